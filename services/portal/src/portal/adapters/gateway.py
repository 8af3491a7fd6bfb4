"""The portal's only way out: HTTP calls to the gateway with the user's session token.

``GatewayClient`` is built per request with the session token; a failed call raises
:class:`ApiError` carrying the common error body (``{code, status, message, errors}``), which the
pages turn into Dutch messages next to the field. ``gather`` runs the independent calls of one page
at the same time, so a page costs about its slowest call, not their sum.

``WsgiAdapter`` lets ``make run`` (one process) send the same requests to the embedded gateway
in-process instead of over a socket: the portal's code is the same in every run mode.
"""

from __future__ import annotations

import io
import threading
from collections.abc import Callable, Iterable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlsplit

import requests
from requests.adapters import BaseAdapter
from requests.structures import CaseInsensitiveDict
from werkzeug.test import EnvironBuilder, run_wsgi_app

from servicekit.correlation import CORRELATION_HEADER, correlation_scope, current_correlation_id

UNAVAILABLE = "De dienst is tijdelijk niet beschikbaar. Probeer het over een ogenblik opnieuw."


class ApiError(Exception):
    """An API answered 4xx/5xx (or could not be reached: status 503)."""

    def __init__(self, status: int, body: dict[str, Any] | None = None) -> None:
        self.status = status
        self.body = body or {}
        super().__init__(f"{status}: {self.message}")

    @property
    def message(self) -> str:
        return str(self.body.get("message") or UNAVAILABLE)

    @property
    def errors(self) -> dict[str, Any]:
        errors = self.body.get("errors")
        return errors if isinstance(errors, dict) else {}

    def field_errors(self) -> dict[str, str]:
        """``{field: first message}``, flattened for display next to each field (nested: ``rows.0.status``)."""
        flat: dict[str, str] = {}

        def walk(prefix: str, value: Any) -> None:
            if isinstance(value, dict):
                for key, inner in value.items():
                    if key != "details":
                        walk(f"{prefix}.{key}" if prefix else str(key), inner)
            elif isinstance(value, list) and value and all(isinstance(v, str) for v in value):
                flat[prefix] = value[0]

        errors = self.errors
        # flask-smorest nests schema errors under the request location ({"json": {"name": [...]}}).
        for location in ("json", "query", "form", "files"):
            if isinstance(errors.get(location), dict):
                errors = {**{k: v for k, v in errors.items() if k != location}, **errors[location]}
        walk("", errors)
        return flat


@dataclass
class Transport:
    """Where requests go: the gateway's base URL and how to open a session to it."""

    base_url: str
    timeout: float = 30.0
    mount: Callable[[requests.Session], None] | None = None
    _local: threading.local = field(default_factory=threading.local)

    def session(self) -> requests.Session:
        """One ``requests.Session`` per thread (a session is not safe to share between threads)."""
        session = getattr(self._local, "session", None)
        if session is None:
            session = requests.Session()
            if self.mount is not None:
                self.mount(session)
            self._local.session = session
        return session


_POOL = ThreadPoolExecutor(max_workers=4, thread_name_prefix="portal-api")


class GatewayClient:
    def __init__(self, transport: Transport, token: str | None = None) -> None:
        self.transport = transport
        self.token = token

    def _headers(self, extra: dict[str, str] | None) -> dict[str, str]:
        headers = {"Accept": "application/json"}
        if self.token:
            headers["Authorization"] = f"Bearer {self.token}"
        correlation = current_correlation_id()
        if correlation:
            headers[CORRELATION_HEADER] = correlation
        return headers | (extra or {})

    def request(
        self,
        method: str,
        path: str,
        *,
        headers: dict[str, str] | None = None,
        timeout: float | None = None,
        **kwargs: Any,
    ) -> Any:
        """The raw response of a call, or :class:`ApiError` for anything but 2xx (``timeout``: the transport's)."""
        url = self.transport.base_url + path
        try:
            response = self.transport.session().request(
                method, url, headers=self._headers(headers), timeout=timeout or self.transport.timeout, **kwargs
            )
        except requests.RequestException as exc:
            raise ApiError(503) from exc
        if response.status_code >= 400:
            raise ApiError(response.status_code, _json_or_none(response))
        return response

    def call(self, method: str, path: str, **kwargs: Any) -> Any:
        """A call's JSON answer (None for 204)."""
        response = self.request(method, path, **kwargs)
        return None if response.status_code == 204 or not response.content else response.json()

    def get(self, path: str, **params: Any) -> Any:
        return self.call("GET", path, params={k: v for k, v in params.items() if v not in (None, "")})

    def gather(self, *calls: Callable[[], Any]) -> list[Any]:
        """Run independent calls at once; the first failure is raised after all have ended."""
        context = current_correlation_id()

        def run(call: Callable[[], Any]) -> Any:
            with correlation_scope(context):
                return call()

        futures = [_POOL.submit(run, call) for call in calls[1:]]
        first = calls[0]() if calls else None
        return [first, *(future.result() for future in futures)]


def _json_or_none(response: requests.Response) -> dict[str, Any] | None:
    try:
        body = response.json()
    except ValueError:
        return None
    return body if isinstance(body, dict) else None


class WsgiAdapter(BaseAdapter):
    """A ``requests`` adapter that hands each request to a WSGI app in-process (the embedded gateway)."""

    def __init__(self, app: Callable[..., Iterable[bytes]]) -> None:
        super().__init__()
        self.app = app

    def send(self, request: requests.PreparedRequest, **kwargs: Any) -> requests.Response:  # type: ignore[override]
        url = urlsplit(request.url or "")
        body = request.body.encode() if isinstance(request.body, str) else (request.body or b"")
        environ = EnvironBuilder(
            path=url.path,
            query_string=url.query,
            method=request.method or "GET",
            headers=list(request.headers.items()),
            input_stream=io.BytesIO(body),
            content_length=len(body),
        ).get_environ()
        environ["REMOTE_ADDR"] = "127.0.0.1"
        chunks, status, headers = run_wsgi_app(self.app, environ)
        response = requests.Response()
        response.status_code = int(status.split()[0])
        response.reason = status.partition(" ")[2]
        response.headers = CaseInsensitiveDict(headers.items())
        response._content = b"".join(chunks)
        response.url = request.url or ""
        response.request = request
        response.encoding = "utf-8"
        return response

    def close(self) -> None:
        pass


def wsgi_transport(app: Callable[..., Iterable[bytes]], timeout: float = 30.0) -> Transport:
    base = "http://gateway.embedded"
    return Transport(base, timeout, mount=lambda session: session.mount(base, WsgiAdapter(app)))
