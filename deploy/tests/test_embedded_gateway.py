"""The embedded gateway of `make run` behaves as nginx does, with fake services behind it."""

from __future__ import annotations

import json
from typing import Any

from werkzeug.test import Client
from werkzeug.wrappers import Request, Response

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
    page = client().get("/api/docs/").get_data(as_text=True)
    for name in ROUTES.api_services:
        assert f"/api/{name}/openapi.json" in page
    assert f"/api/{ROUTES.site}/openapi.json" not in page
    assert client().get("/api/docs/swagger-ui-bundle.js").status_code == 200


def test_paths_outside_the_api_go_to_the_site_without_identity_headers_and_unknown_api_paths_stay_404() -> None:
    apps = {name: echo_service for name in ROUTES.service_ports} | {"identity": identity_service}
    gateway = Client(EmbeddedGateway(apps, ROUTES, site=echo_service))
    page = gateway.get("/contractering", headers={"X-Identity-Token": "forged"})
    assert page.status_code == 200
    assert page.json is not None and page.json["path"] == "/contractering" and page.json["identity"] is None
    assert gateway.get("/api/nosuchservice/x").status_code == 404
