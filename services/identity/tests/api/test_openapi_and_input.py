"""Every operation is documented; malformed input gets a 4xx with the common error body, never a 500."""

from __future__ import annotations

import pytest

from tests.api.test_sessions import assert_error


def test_every_operation_has_a_description(client) -> None:
    spec = client.get("/api/identity/openapi.json").json
    expected = {
        "/api/identity/auth/check": {"get"},
        "/api/identity/sessions": {"post"},
        "/api/identity/sessions/current": {"get", "delete"},
        "/api/identity/users": {"get", "post"},
        "/api/identity/users/me": {"get"},
        "/api/identity/users/me/password": {"put"},
        "/api/identity/users/{user_id}": {"get", "patch"},
        "/api/identity/users/{user_id}/password-reset": {"post"},
        "/api/identity/users/{user_id}/deactivation": {"post"},
        "/api/identity/insurers": {"get", "post"},
        "/api/identity/insurers/{insurer_id}": {"get", "patch"},
        "/api/identity/api-keys": {"get", "post"},
        "/api/identity/api-keys/{api_key_id}": {"delete"},
    }
    for path, methods in expected.items():
        assert path in spec["paths"], path
        for method in methods:
            operation = spec["paths"][path][method]
            assert operation.get("summary") or operation.get("description"), (path, method)


@pytest.mark.parametrize(
    "kwargs",
    [
        {"data": "not json", "content_type": "application/json"},
        {"data": "contract_year=2026", "content_type": "application/x-www-form-urlencoded"},
        {"json": [1, 2, 3]},
        {"json": {"contract_year": 2026, "username": 42, "password": "x"}},
        {"json": {"contract_year": 2026, "username": "x" * 201, "password": "x"}},
        {"json": {"contract_year": 2026, "username": "zk-admin", "password": "x" * 2000}},
        {"json": {"contract_year": None, "username": "zk-admin", "password": "x"}},
        {"json": {"contract_year": 2026.5, "username": "zk-admin", "password": "x"}},
    ],
)
def test_malformed_logins_get_4xx(portal, kwargs) -> None:
    response = portal.client.post("/api/identity/sessions", **kwargs)
    assert 400 <= response.status_code < 500, response.json
    assert response.json["code"] == response.status_code


def test_wrong_methods_and_unknown_ids(portal) -> None:
    assert_error(portal.client.put("/api/identity/sessions"), 405)
    platform = portal.as_user("platform")
    assert_error(portal.client.get("/api/identity/users?active=misschien", headers=platform), 422)
    assert_error(portal.client.patch("/api/identity/insurers/not-a-uuid", json={"name": "X"}, headers=platform), 404)
