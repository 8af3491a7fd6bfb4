"""Sessions across services (R1): GIVEN a user logged in through the gateway, WHEN it calls other
services, THEN they know who it is, a forged identity header changes nothing, and logout ends it at once."""

from __future__ import annotations

import time

import requests
from helpers import login

from servicekit.auth import Principal, sign_identity_token
from servicekit.keys import generate_keypair
from servicekit.testing.identity import UNBOUND


def forged_identity_header() -> dict[str, str]:
    private, _ = generate_keypair()
    principal = Principal(subject="x", kind="user", roles=frozenset({"platform_admin", "catalogue_maintainer"}))
    return {"X-Identity-Token": sign_identity_token(principal, private, int(time.time()), 60, UNBOUND)}


def test_a_session_from_identity_is_recognised_by_the_other_services(gateway: str, http: requests.Session) -> None:
    session = login(gateway, "zk-inkoper")
    me = http.get(f"{gateway}/api/identity/users/me", headers=session, timeout=10)
    assert me.status_code == 200 and me.json()["username"] == "zk-inkoper"
    institutions = http.get(
        f"{gateway}/api/catalogue/institutions", params={"page_size": 5}, headers=session, timeout=10
    )
    assert institutions.status_code == 200


def test_a_forged_identity_header_does_not_lift_an_insurer_user_to_maintainer(
    gateway: str, http: requests.Session
) -> None:
    session = login(gateway, "zk-inkoper")
    response = http.post(
        f"{gateway}/api/catalogue/groups",
        json={"name": "Inbraakgroep", "kind": "other"},
        headers={**session, **forged_identity_header()},
        timeout=10,
    )
    assert response.status_code == 403
    assert response.json()["code"] == 403


def test_logout_makes_the_token_useless_at_once_everywhere(gateway: str, http: requests.Session) -> None:
    session = login(gateway, "menzis-inkoper")
    assert http.delete(f"{gateway}/api/identity/sessions/current", headers=session, timeout=10).status_code == 204
    for path in ("/api/identity/users/me", "/api/catalogue/institutions", "/api/contracting/collections"):
        response = http.get(f"{gateway}{path}", headers=session, timeout=10)
        assert response.status_code == 401, path
        assert response.json()["code"] == 401


def test_login_for_a_year_that_is_not_open_is_refused_with_the_field_named(
    gateway: str, http: requests.Session
) -> None:
    response = http.post(
        f"{gateway}/api/identity/sessions",
        json={"contract_year": 1999, "username": "zk-inkoper", "password": "Demo2026Zcp!"},
        timeout=10,
    )
    assert response.status_code == 422
    assert "contract_year" in response.text
