"""GIVEN the platform as separate processes behind nginx, WHEN a client calls the gateway, THEN ..."""

from __future__ import annotations

import pytest
import requests
from helpers import login

from zcp_runner.routes import SERVICE_ORDER


@pytest.mark.parametrize("service", SERVICE_ORDER)
def test_every_service_is_ready_through_the_gateway(gateway: str, http: requests.Session, service: str) -> None:
    response = http.get(f"{gateway}/api/{service}/health/ready", timeout=10)
    assert response.status_code == 200
    assert response.json()["checks"] == {"database": "ok", "migrations": "ok"}
    assert response.headers["X-Request-ID"]


@pytest.mark.parametrize("service", SERVICE_ORDER)
def test_each_openapi_document_is_reachable_through_the_gateway(
    gateway: str, http: requests.Session, service: str
) -> None:
    document = http.get(f"{gateway}/api/{service}/openapi.json", timeout=10).json()
    assert document["openapi"].startswith("3.")
    assert f"/api/{service}/health/ready" in document["paths"]


def test_one_docs_page_shows_every_service(gateway: str, http: requests.Session) -> None:
    page = http.get(f"{gateway}/api/docs/", timeout=10)
    assert page.status_code == 200 and "utf-8" in page.headers["Content-Type"].lower()
    assert "/api/docs/swagger-init.js" in page.text
    init = http.get(f"{gateway}/api/docs/swagger-init.js", timeout=10).text
    for service in SERVICE_ORDER:
        assert f"/api/{service}/openapi.json" in init
    assert http.get(f"{gateway}/api/docs/swagger-ui-bundle.js", timeout=10).status_code == 200


def test_the_request_id_of_the_gateway_reaches_the_service_as_correlation_id(
    gateway: str, http: requests.Session
) -> None:
    response = http.get(f"{gateway}/api/catalogue/health/ready", timeout=10)
    assert response.headers["X-Correlation-ID"] == response.headers["X-Request-ID"]


def test_unknown_routes_and_oversized_bodies_get_the_common_error_body(gateway: str, http: requests.Session) -> None:
    unknown = http.get(f"{gateway}/api/somewhere/else", timeout=10)
    assert unknown.status_code == 404
    assert {"code", "status", "message"} <= set(unknown.json())
    # Outside /api/ the portal answers: a Dutch page, not JSON.
    page = http.get(f"{gateway}/somewhere/else", timeout=10)
    assert page.status_code == 404
    assert page.headers["Content-Type"].startswith("text/html")
    assert "niet gevonden" in page.text.lower()
    oversized = http.post(f"{gateway}/api/catalogue/anything", data=b"x" * (11 * 1024 * 1024), timeout=30)
    assert oversized.status_code == 413
    assert oversized.json()["code"] == 413


def test_an_over_long_correlation_id_is_replaced_not_answered_with_503(gateway: str, http: requests.Session) -> None:
    """Issue 16 item 5: a client's 3.5 KB X-Correlation-ID overflowed nginx's upstream header buffer."""
    for value in ("x" * 3600, "y" * 6000, "bad value;<script>"):
        response = http.get(f"{gateway}/api/catalogue/health/ready", headers={"X-Correlation-ID": value}, timeout=10)
        assert response.status_code == 200
        assert response.headers["X-Correlation-ID"] == response.headers["X-Request-ID"]
    kept = http.get(f"{gateway}/api/catalogue/health/ready", headers={"X-Correlation-ID": "client-42.a"}, timeout=10)
    assert kept.headers["X-Correlation-ID"] == "client-42.a"


def test_a_client_never_gets_the_internal_identity_token(gateway: str, http: requests.Session) -> None:
    """Issue 16 item 5: /auth/check is the gateway's own question; clients get 404 without a token."""
    session = login(gateway, "zk-inkoper")
    for path in ("/api/identity/auth/check", "/api/identity/auth/%63heck", "/api//identity/auth/check"):
        response = http.get(f"{gateway}{path}", headers=session, timeout=10)
        assert response.status_code == 404, path
        assert "X-Identity-Token" not in response.headers
        assert response.json()["code"] == 404
    assert http.get(f"{gateway}/api/identity/users/me", headers=session, timeout=10).status_code == 200


def test_the_docs_page_has_a_content_security_policy_and_cannot_be_framed(gateway: str, http: requests.Session) -> None:
    for path in ("/api/docs/", "/api/docs/swagger-init.js"):
        response = http.get(f"{gateway}{path}", timeout=10)
        assert response.status_code == 200
        assert "frame-ancestors 'none'" in response.headers["Content-Security-Policy"]
        assert response.headers["X-Frame-Options"] == "DENY"
        assert response.headers["X-Request-ID"]


def test_control_characters_in_a_path_answer_400_with_the_common_error_body(
    gateway: str, http: requests.Session
) -> None:
    for path in ("/api/catalogue/institutions%0D%0AX-Evil:%201", "/api/contracting/collections%0A"):
        response = http.get(f"{gateway}{path}", timeout=10)
        assert response.status_code == 400, path
        assert response.json()["code"] == 400
