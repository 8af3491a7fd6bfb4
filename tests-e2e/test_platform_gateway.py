"""GIVEN the platform as separate processes behind nginx, WHEN a client calls the gateway, THEN ..."""

from __future__ import annotations

import pytest
import requests

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
    assert page.status_code == 200
    for service in SERVICE_ORDER:
        assert f"/api/{service}/openapi.json" in page.text
    assert http.get(f"{gateway}/api/docs/swagger-ui-bundle.js", timeout=10).status_code == 200


def test_the_request_id_of_the_gateway_reaches_the_service_as_correlation_id(
    gateway: str, http: requests.Session
) -> None:
    response = http.get(f"{gateway}/api/catalogue/health/ready", timeout=10)
    assert response.headers["X-Correlation-ID"] == response.headers["X-Request-ID"]


def test_unknown_routes_and_oversized_bodies_get_the_common_error_body(gateway: str, http: requests.Session) -> None:
    unknown = http.get(f"{gateway}/somewhere/else", timeout=10)
    assert unknown.status_code == 404
    assert {"code", "status", "message"} <= set(unknown.json())
    oversized = http.post(f"{gateway}/api/catalogue/anything", data=b"x" * (11 * 1024 * 1024), timeout=30)
    assert oversized.status_code == 413
    assert oversized.json()["code"] == 413
