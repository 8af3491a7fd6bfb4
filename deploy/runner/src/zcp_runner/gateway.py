"""The embedded gateway of ``make run``: nginx's routes, served in-process.

It does what ``deploy/gateway/nginx.conf`` does, from the same route table: routes
``/api/<service>/...`` to that service, adds a request id, limits the body size, strips any
identity header a client sent, and asks identity (``auth_request``) before protected routes,
passing identity's signed answer upstream. Business logic never lives here.
"""

from __future__ import annotations

import json
import logging
import mimetypes
import re
import uuid
from collections.abc import Callable, Iterable
from http import HTTPStatus
from typing import Any
from urllib.parse import quote, unquote

from werkzeug.test import EnvironBuilder, run_wsgi_app
from werkzeug.wrappers import Request, Response

from zcp_runner.docs import ASSETS, ASSETS_DIR, INIT_SCRIPT, SECURITY_HEADERS, docs_page, init_script
from zcp_runner.routes import CONTROL_CHARACTERS, CORRELATION_ID_PATTERN, RouteTable

log = logging.getLogger("zcp_runner.gateway")
_CORRELATION_ID = re.compile(CORRELATION_ID_PATTERN)
_CONTROL = re.compile(CONTROL_CHARACTERS)
_RAW_TARGET_KEYS = ("REQUEST_URI", "RAW_URI")  # werkzeug's and gunicorn's names for the raw target

WsgiApp = Callable[[dict[str, Any], Callable[..., Any]], Iterable[bytes]]
FORWARDED_TO_AUTH = ("Authorization", "Cookie", "X-API-Key")


#: The common error body names what a refusal of who is asking is about, as the services' do.
AUTHORIZATION_ERRORS = {
    401: {"authorization": ["Geen geldige sessie of API-sleutel."]},
    403: {"authorization": ["Deze route is niet voor u open."]},
}


def error(status: int, message: str) -> Response:
    body: dict[str, object] = {"code": status, "status": HTTPStatus(status).phrase, "message": message}
    if status in AUTHORIZATION_ERRORS:
        body["errors"] = AUTHORIZATION_ERRORS[status]
    return Response(json.dumps(body), status=status, mimetype="application/json")


class EmbeddedGateway:
    def __init__(self, apps: dict[str, WsgiApp], routes: RouteTable, site: WsgiApp | None = None) -> None:
        self.apps = apps
        self.routes = routes
        #: The web portal, for every path outside /api/ (set once it is built: it calls this gateway).
        self.site = site

    def __call__(self, environ: dict[str, Any], start_response: Callable[..., Any]) -> Iterable[bytes]:
        request_id = uuid.uuid4().hex
        try:
            response = self._route(environ, request_id)
        except Exception:  # as nginx: never an HTML stack page, always the common error body
            log.exception("gateway error on request %s", request_id)
            response = error(503, "De dienst is tijdelijk niet beschikbaar.")
        if isinstance(response, Response):
            response.headers["X-Request-ID"] = request_id
        result: Iterable[bytes] = response(environ, start_response)
        return result

    def _route(self, environ: dict[str, Any], request_id: str) -> Any:
        path = environ.get("PATH_INFO", "")
        if _CONTROL.search(path) or _CONTROL.search(unquote(original_uri(environ))):
            return error(400, "Ongeldig verzoek: het pad bevat stuurtekens.")
        if path.rstrip("/") == "/api/docs" or path.startswith("/api/docs/"):
            return self._docs(path)
        service = self.routes.service_for(path)
        if service is None and self.site is not None and not path.startswith("/api/"):
            environ.pop("HTTP_X_IDENTITY_TOKEN", None)
            return _Passthrough(self.site, request_id)
        if service is None or service not in self.apps or self.routes.is_internal(path):
            return error(404, "Onbekende route.")
        length = int(environ.get("CONTENT_LENGTH") or 0)
        if length > self.routes.max_body_bytes:
            return error(413, f"Het verzoek is groter dan {self.routes.max_body} toegestaan.")
        environ.pop("HTTP_X_IDENTITY_TOKEN", None)  # only identity's own answer may set it
        environ["HTTP_X_REQUEST_ID"] = request_id
        correlation_id = environ.get("HTTP_X_CORRELATION_ID", "")
        environ["HTTP_X_CORRELATION_ID"] = correlation_id if _CORRELATION_ID.match(correlation_id) else request_id
        # As nginx's $proxy_add_x_forwarded_for: append the real peer, so the last hop is trustworthy.
        peer = environ.get("REMOTE_ADDR", "")
        forwarded = environ.get("HTTP_X_FORWARDED_FOR")
        environ["HTTP_X_FORWARDED_FOR"] = ", ".join(hop for hop in (forwarded, peer) if hop)
        if not self.routes.is_public(path):
            verdict = self._auth_request(environ, path)
            if isinstance(verdict, Response):
                return verdict
            if verdict:
                environ["HTTP_X_IDENTITY_TOKEN"] = verdict
        return _Passthrough(self.apps[service], request_id)

    def _auth_request(self, environ: dict[str, Any], path: str) -> Response | str | None:
        incoming = Request(environ)
        headers = {name: incoming.headers[name] for name in FORWARDED_TO_AUTH if name in incoming.headers}
        headers.update(
            {
                "X-Original-URI": original_uri(environ),
                "X-Original-Method": environ.get("REQUEST_METHOD", "GET"),
                "X-Forwarded-For": environ["HTTP_X_FORWARDED_FOR"],
                "X-Request-ID": environ["HTTP_X_REQUEST_ID"],
                "X-Correlation-ID": environ["HTTP_X_CORRELATION_ID"],
            }
        )
        check_env = EnvironBuilder(
            path=self.routes.auth_check_path, method="GET", headers=list(headers.items())
        ).get_environ()
        check_env["REMOTE_ADDR"] = environ.get("REMOTE_ADDR", "")
        body, status, response_headers = run_wsgi_app(self.apps["identity"], check_env)
        b"".join(body)
        code = int(status.split()[0])
        if code in (200, 204):
            return response_headers.get("X-Identity-Token")
        if code == 403:
            return error(403, "U heeft geen toegang tot deze route.")
        if code == 401:
            return error(401, "Niet ingelogd of sessie verlopen; log opnieuw in.")
        return error(500, "De sessiecontrole is niet beschikbaar.")

    def _docs(self, path: str) -> Response:
        name = path[len("/api/docs") :].strip("/")
        if not name:
            response = Response(docs_page(), mimetype="text/html")
        elif name == INIT_SCRIPT:
            services = [n for n in self.apps if n != self.routes.site]
            response = Response(init_script(services), mimetype="application/javascript")
        elif name in ASSETS:
            mimetype = mimetypes.guess_type(name)[0] or "application/octet-stream"
            response = Response((ASSETS_DIR / name).read_bytes(), mimetype=mimetype)
        else:
            return error(404, "Onbekend bestand.")
        response.headers.update(SECURITY_HEADERS)
        return response


def original_uri(environ: dict[str, Any]) -> str:
    """The request target as the client sent it (nginx's ``$request_uri``): still percent-encoded."""
    raw = next((environ[key] for key in _RAW_TARGET_KEYS if environ.get(key)), None)  # WSGI keys, not settings
    if raw:
        return str(raw)
    path = quote(environ.get("PATH_INFO", "").encode("latin-1").decode("utf-8", "replace"), safe="/;=,:@!$&'()*+~")
    query = environ.get("QUERY_STRING")
    return path + (f"?{query}" if query else "")


class _Passthrough:
    """Calls the service's WSGI app and adds the request id to its response."""

    def __init__(self, app: WsgiApp, request_id: str) -> None:
        self.app = app
        self.request_id = request_id

    def __call__(self, environ: dict[str, Any], start_response: Callable[..., Any]) -> Iterable[bytes]:
        def start(status: str, headers: list[tuple[str, str]], exc_info: Any = None) -> Any:
            return start_response(status, [*headers, ("X-Request-ID", self.request_id)], exc_info)

        return self.app(environ, start)
