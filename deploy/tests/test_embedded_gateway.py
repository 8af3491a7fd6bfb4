"""The embedded gateway of `make run` behaves as nginx does, with fake services behind it."""

from __future__ import annotations

import json
import threading
import urllib.request
from typing import Any

import pytest
from werkzeug.serving import make_server
from werkzeug.test import Client
from werkzeug.wrappers import Request, Response

from zcp_runner.docs import INIT_SCRIPT
from zcp_runner.embedded import request_handler
from zcp_runner.gateway import EmbeddedGateway
from zcp_runner.routes import RouteTable

ROUTES = RouteTable.load()


def echo_service(environ: dict[str, Any], start_response: Any) -> Any:
    request = Request(environ)
    body = {
        "path": request.path,
        "identity": request.headers.get("X-Identity-Token"),
        "request_id": request.headers.get("X-Request-ID"),
        "forwarded_for": request.headers.get("X-Forwarded-For"),
    }
    return Response(json.dumps(body), mimetype="application/json")(environ, start_response)


def identity_service(environ: dict[str, Any], start_response: Any) -> Any:
    request = Request(environ)
    if request.path == ROUTES.auth_check_path:
        if request.headers.get("Authorization") == "Bearer good":
            response = Response(status=204, headers={"X-Identity-Token": "signed-by-identity"})
        else:
            response = Response(json.dumps({"code": 401}), status=401, mimetype="application/json")
        return response(environ, start_response)
    return echo_service(environ, start_response)


def client() -> Client:
    apps = {name: echo_service for name in ROUTES.service_ports} | {"identity": identity_service}
    return Client(EmbeddedGateway(apps, ROUTES))


def test_protected_route_without_session_gets_401_with_the_common_error_body() -> None:
    response = client().get("/api/contracting/collections")
    assert response.status_code == 401
    assert response.json is not None and {"code", "status", "message"} <= set(response.json)


def test_protected_route_with_session_reaches_the_service_with_identity_answer() -> None:
    response = client().get(
        "/api/contracting/collections",
        headers={"Authorization": "Bearer good"},
        environ_base={"REMOTE_ADDR": "127.0.0.1"},
    )
    assert response.status_code == 200
    assert response.json == {
        "path": "/api/contracting/collections",
        "identity": "signed-by-identity",
        "request_id": response.headers["X-Request-ID"],
        "forwarded_for": "127.0.0.1",
    }


def test_a_client_cannot_choose_the_address_the_services_trust() -> None:
    response = client().get(
        "/api/catalogue/health/live", headers={"X-Forwarded-For": "10.9.9.9"}, environ_base={"REMOTE_ADDR": "127.0.0.1"}
    )
    assert response.json is not None
    assert response.json["forwarded_for"] == "10.9.9.9, 127.0.0.1"  # the last hop is the real peer


def test_a_forged_identity_header_never_reaches_a_service() -> None:
    forged = {"X-Identity-Token": "forged"}
    public = client().get("/api/catalogue/health/live", headers=forged)
    assert public.json is not None and public.json["identity"] is None
    protected = client().get("/api/catalogue/institutions", headers=forged)
    assert protected.status_code == 401


def test_unknown_service_is_404_and_oversized_body_is_413() -> None:
    assert client().get("/api/nope/anything").status_code == 404
    big = client().post(
        "/api/catalogue/import", data=b"x" * (ROUTES.max_body_bytes + 1), headers={"Authorization": "Bearer good"}
    )
    assert big.status_code == 413
    assert big.json is not None and big.json["code"] == 413


def test_docs_page_lists_every_service_openapi_but_not_the_portal() -> None:
    page = client().get(f"/api/docs/{INIT_SCRIPT}").get_data(as_text=True)
    for name in ROUTES.api_services:
        assert f"/api/{name}/openapi.json" in page
    assert f"/api/{ROUTES.site}/openapi.json" not in page
    assert client().get("/api/docs/swagger-ui-bundle.js").status_code == 200


def test_the_session_check_is_internal_the_gateway_still_uses_it() -> None:
    """Issue 16 item 5: a client never gets identity's signed token from /auth/check."""
    response = client().get(ROUTES.auth_check_path, headers={"Authorization": "Bearer good"})
    assert response.status_code == 404
    assert response.json is not None and response.json["code"] == 404
    assert "X-Identity-Token" not in response.headers
    assert client().get("/api/catalogue/x", headers={"Authorization": "Bearer good"}).status_code == 200


@pytest.mark.parametrize("value", ["x" * 3600, "abc def", "a\u00e9b", "-starts-with-dash", "a" * 129])
def test_an_over_long_or_odd_correlation_id_is_replaced_by_the_request_id(value: str) -> None:
    """Issue 16 item 5: a 3.5 KB X-Correlation-ID once made nginx answer 503."""
    seen: dict[str, Any] = {}

    def service(environ: dict[str, Any], start_response: Any) -> Any:
        seen["correlation"] = environ.get("HTTP_X_CORRELATION_ID")
        return Response("{}", mimetype="application/json")(environ, start_response)

    gateway = Client(EmbeddedGateway({name: service for name in ROUTES.service_ports}, ROUTES))
    response = gateway.get("/api/catalogue/health/live", headers={"X-Correlation-ID": value})
    assert response.status_code == 200
    assert seen["correlation"] == response.headers["X-Request-ID"]
    kept = gateway.get("/api/catalogue/health/live", headers={"X-Correlation-ID": "portal-7f3a.2:x_y"})
    assert kept.status_code == 200 and seen["correlation"] == "portal-7f3a.2:x_y"


@pytest.mark.parametrize(
    "path",
    ["/api/catalogue/a%0D%0ASet-Cookie:%20x=1", "/api/catalogue/a\r\nb", "/api/contracting/x%0A", "/api/x%00", "/%7F"],
)
def test_control_characters_in_a_path_answer_400_with_the_common_error_body(path: str) -> None:
    """Issue 16 item 4: CR/LF in a path gave an HTML 500 on the embedded gateway."""
    response = client().get(path)
    assert response.status_code == 400
    assert response.json is not None and response.json["code"] == 400 and response.json["message"]


def test_the_session_check_is_asked_about_the_raw_request_target() -> None:
    asked: dict[str, Any] = {}

    def identity(environ: dict[str, Any], start_response: Any) -> Any:
        request = Request(environ)
        asked.update(
            uri=request.headers.get("X-Original-URI"),
            method=request.headers.get("X-Original-Method"),
            request_id=request.headers.get("X-Request-ID"),
        )
        return Response(status=401)(environ, start_response)

    gateway = Client(EmbeddedGateway({name: identity for name in ROUTES.service_ports}, ROUTES))
    response = gateway.patch(
        "/api/contracting/collections/a%20b?x=%2F",
        environ_base={"REQUEST_URI": "/api/contracting/collections/a%20b?x=%2F"},
    )
    assert asked == {
        "uri": "/api/contracting/collections/a%20b?x=%2F",
        "method": "PATCH",
        "request_id": response.headers["X-Request-ID"],
    }


def test_the_docs_page_may_not_be_framed_and_runs_only_its_own_scripts() -> None:
    for path in ("/api/docs/", f"/api/docs/{INIT_SCRIPT}", "/api/docs/swagger-ui-bundle.js"):
        response = client().get(path)
        assert response.status_code == 200, path
        assert response.headers["X-Frame-Options"] == "DENY"
        policy = response.headers["Content-Security-Policy"]
        assert "frame-ancestors 'none'" in policy and "script-src 'self';" in policy
    page = client().get("/api/docs/").get_data(as_text=True)
    assert "<script>" not in page  # no inline script: the CSP would block it


def test_the_embedded_server_does_not_announce_werkzeug_or_python() -> None:
    """Issue 16 item 5: ``Server: Werkzeug/x Python/y`` is gone (as nginx's server_tokens off)."""
    server = make_server("127.0.0.1", 0, client().application, threaded=True, request_handler=request_handler())
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        with urllib.request.urlopen(f"http://127.0.0.1:{server.server_port}/api/docs/", timeout=10) as response:
            banner = response.headers.get("Server", "")
    finally:
        server.shutdown()
        thread.join(timeout=10)
    assert banner == "zcp-gateway"


def test_paths_outside_the_api_go_to_the_site_without_identity_headers_and_unknown_api_paths_stay_404() -> None:
    apps = {name: echo_service for name in ROUTES.service_ports} | {"identity": identity_service}
    gateway = Client(EmbeddedGateway(apps, ROUTES, site=echo_service))
    page = gateway.get("/contractering", headers={"X-Identity-Token": "forged"})
    assert page.status_code == 200
    assert page.json is not None and page.json["path"] == "/contractering" and page.json["identity"] is None
    assert gateway.get("/api/nosuchservice/x").status_code == 404
