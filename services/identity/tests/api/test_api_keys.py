"""API keys of publication consumers: create (shown once), list, revoke; the gateway check accepts them."""

from __future__ import annotations

import uuid

from servicekit.auth import IdentityTokenVerifier
from tests.api.test_sessions import assert_error
from tests.conftest import CHECKED, GATEWAY_HEADERS


def test_an_api_key_lives_from_creation_to_revocation(portal, identity_keys) -> None:
    platform = portal.as_user("platform")
    created = portal.client.post("/api/identity/api-keys", json={"name": "Zorgzoeker Menzis"}, headers=platform)
    assert created.status_code == 201, created.json
    key = created.json["key"]
    assert key.startswith("zcpk_") and len(key) >= 40
    assert created.json["prefix"] == key[:12]

    listed = portal.client.get("/api/identity/api-keys", headers=platform).json
    mine = next(item for item in listed if item["id"] == created.json["id"])
    assert "key" not in mine
    assert key not in str(listed)
    assert mine["revoked_at"] is None

    for headers in ({"X-API-Key": key}, {"Authorization": f"Bearer {key}"}):
        check = portal.client.get("/api/identity/auth/check", headers={**GATEWAY_HEADERS, **headers})
        assert check.status_code == 200
        principal = IdentityTokenVerifier(identity_keys.public_pem).verify(check.headers["X-Identity-Token"], CHECKED)
        assert principal.kind == "api_client"
        assert principal.roles == frozenset({"publication_consumer"})
        assert principal.subject == created.json["id"]
        assert principal.tenant_id is None
    assert portal.client.get("/api/identity/api-keys", headers=platform).json[-1]["last_used_at"]

    assert portal.client.delete(f"/api/identity/api-keys/{created.json['id']}", headers=platform).status_code == 204
    assert_error(portal.client.get("/api/identity/auth/check", headers={"X-API-Key": key}), 401)
    revoked = next(
        item
        for item in portal.client.get("/api/identity/api-keys", headers=platform).json
        if item["id"] == created.json["id"]
    )
    assert revoked["revoked_at"]


def test_the_demo_api_key_works(portal) -> None:
    from identity.demo import DEMO_API_KEY

    response = portal.client.get("/api/identity/auth/check", headers={"X-API-Key": DEMO_API_KEY})
    assert response.status_code == 200
    assert response.json["kind"] == "api_client"


def test_only_platform_admins_manage_api_keys(portal) -> None:
    platform = portal.as_user("platform")
    key_id = portal.client.post("/api/identity/api-keys", json={"name": "Independer"}, headers=platform).json["id"]
    for username in ("zk-admin", "zk-inkoper", "beheerder"):
        headers = portal.as_user(username)
        assert_error(portal.client.get("/api/identity/api-keys", headers=headers), 403)
        assert_error(portal.client.post("/api/identity/api-keys", json={"name": "X"}, headers=headers), 403)
        assert_error(portal.client.delete(f"/api/identity/api-keys/{key_id}", headers=headers), 403)


def test_api_key_input_is_checked(portal) -> None:
    platform = portal.as_user("platform")
    assert (
        "name" in assert_error(portal.client.post("/api/identity/api-keys", json={}, headers=platform), 422)["errors"]
    )
    assert_error(portal.client.delete(f"/api/identity/api-keys/{uuid.uuid4()}", headers=platform), 404)


def test_an_api_client_cannot_log_out_or_manage_anything(portal) -> None:
    from identity.demo import DEMO_API_KEY

    check = portal.client.get("/api/identity/auth/check", headers={"X-API-Key": DEMO_API_KEY})
    headers = {"X-Identity-Token": check.headers["X-Identity-Token"]}
    assert_error(portal.client.delete("/api/identity/sessions/current", headers=headers), 422)
    assert_error(portal.client.get("/api/identity/users", headers=headers), 403)
    assert_error(portal.client.get("/api/identity/api-keys", headers=headers), 403)
