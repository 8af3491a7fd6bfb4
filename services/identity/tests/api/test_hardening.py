"""Issue 16 items 4, 5, 9 on identity's operations: the login included, no input gets a 500."""

from __future__ import annotations

import pytest

LOGIN = "/api/identity/sessions"


def test_the_login_answer_with_its_token_is_never_stored(portal) -> None:  # type: ignore[no-untyped-def]
    response = portal.login("zk-inkoper")
    assert response.status_code == 201
    assert response.headers["Cache-Control"] == "no-store"
    assert response.headers["X-Content-Type-Options"] == "nosniff"


@pytest.mark.parametrize(
    ("data", "content_type", "status"),
    [
        ("[" * 200_000, "application/json", 400),  # 200 KB of nesting: was a RecursionError
        ("contract_year=2026&username=zk-inkoper&password=x", "application/x-www-form-urlencoded", 415),
        ("<login><username>zk-inkoper</username></login>", "application/xml", 415),
        ("zk-inkoper", "text/plain", 415),
    ],
)
def test_a_login_body_that_is_not_a_json_object_gets_4xx_with_errors(portal, data, content_type, status) -> None:  # type: ignore[no-untyped-def]
    response = portal.client.post(LOGIN, data=data, content_type=content_type)
    assert response.status_code == status
    assert response.json["errors"] and response.json["message"]


@pytest.mark.parametrize("username", ["zk\x00inkoper", "zk-inkoper\x1b[2J", "\udcff"])
def test_control_characters_and_lone_surrogates_in_a_login_are_refused_naming_the_field(portal, username) -> None:  # type: ignore[no-untyped-def]
    response = portal.login(username)
    assert response.status_code == 422
    assert "stuurtekens" in response.json["errors"]["username"][0]


def test_validation_messages_are_flat_and_dutch(portal) -> None:  # type: ignore[no-untyped-def]
    response = portal.client.post(LOGIN, json={"contract_year": "twintig", "username": 5})
    body = response.json
    assert response.status_code == 422
    assert body["errors"] == {
        "contract_year": ["Contractjaar: een geheel getal."],
        "username": ["Tekst verwacht."],
        "password": ["Verplicht veld."],
    }
    assert "well-formed" not in body["message"]


def test_an_anonymous_caller_with_a_bad_body_gets_401_with_errors(portal) -> None:  # type: ignore[no-untyped-def]
    response = portal.client.post("/api/identity/users", json={"role": "superuser", "username": 7})
    assert response.status_code == 401
    assert response.json["errors"]["authorization"]


def test_403_names_the_roles_needed(portal) -> None:  # type: ignore[no-untyped-def]
    response = portal.client.get("/api/identity/api-keys", headers=portal.as_user("zk-inkoper"))
    assert response.status_code == 403
    assert "platform_admin" in response.json["errors"]["roles"][0]
