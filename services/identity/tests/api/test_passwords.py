"""Passwords (R2): each rule its own message naming it, the 'strong' preset by configuration, argon2id."""

from __future__ import annotations

import dataclasses

import pytest
from sqlalchemy import select

from identity.adapters.orm import user_account
from identity.app import create_app
from identity.bootstrap import bootstrap
from identity.demo import seed_demo
from servicekit.testing.identity import gateway_client
from tests.api.test_sessions import assert_error


def reset(portal, new_password: str):
    platform = portal.as_user("platform")
    target = portal.login("zk-inkoper").json["user"]["id"]
    return portal.client.post(
        f"/api/identity/users/{target}/password-reset", json={"new_password": new_password}, headers=platform
    )


@pytest.mark.parametrize(
    ("password", "rule"),
    [
        ("Abc1234", "R2 minimale lengte"),
        ("Abcdefgh12345", "R2 maximale lengte"),
        ("Abcdefghij", "R2 cijfer"),
        ("1234567890", "R2 letter"),
        ("Abcd1234<", "R2 verboden tekens"),
        ("Abcd1234>", "R2 verboden tekens"),
        ("Abcd1234/", "R2 verboden tekens"),
        ('Abcd1234"', "R2 verboden tekens"),
        ("Abcd1234'", "R2 verboden tekens"),
        ("Abcd1234&", "R2 verboden tekens"),
        ("Abcd1234\\", "R2 verboden tekens"),
        ("Abcd1234`", "R2 verboden tekens"),
    ],
)
def test_each_r2_rule_has_its_own_message(portal, password: str, rule: str) -> None:
    body = assert_error(reset(portal, password), 422)
    messages = body["errors"]["new_password"]
    assert len(messages) == 1, messages
    assert messages[0].startswith(rule)
    assert body["message"] == messages[0]
    if rule == "R2 verboden tekens":
        assert f"(gevonden: {password[-1]})" in messages[0]


def test_every_broken_rule_is_named_at_once(portal) -> None:
    messages = assert_error(reset(portal, "&&&"), 422)["errors"]["new_password"]
    assert [m.split(":")[0] for m in messages] == ["R2 minimale lengte", "R2 cijfer", "R2 letter", "R2 verboden tekens"]


@pytest.mark.parametrize("password", ["Abcdefg1", "Abcdefghij12", "1234567a", "Zorg-2026!#"])
def test_passwords_within_r2_are_accepted(portal, password: str) -> None:
    assert reset(portal, password).status_code == 204


def test_passwords_are_hashed_with_argon2id(portal, runtime) -> None:
    with runtime.engine.connect() as connection:
        hashes = connection.execute(select(user_account.c.password_hash)).scalars().all()
    assert hashes and all(h.startswith("$argon2id$v=19$") for h in hashes)


@pytest.fixture
def strong_client(settings, runtime, demo, identity_keys):
    """The same database, served with PASSWORD_POLICY=strong."""
    strong = bootstrap(dataclasses.replace(settings, password_policy="strong"))
    strong.deps.hasher = runtime.deps.hasher
    strong.deps.clock = runtime.deps.clock
    yield gateway_client(create_app(strong), identity_keys)
    strong.engine.dispose()


def test_the_strong_preset_is_selectable_by_configuration(portal, strong_client) -> None:
    from tests.conftest import Portal

    strong = Portal(strong_client)
    platform = strong.as_user("platform")
    target = strong.login("zk-inkoper").json["user"]["id"]

    def reset_to(password: str):
        return strong_client.post(
            f"/api/identity/users/{target}/password-reset", json={"new_password": password}, headers=platform
        )

    short = assert_error(reset_to("Abc12345"), 422)["errors"]["new_password"]
    assert short[0].startswith("Wachtwoordbeleid 'strong' minimale lengte") and "12" in short[0]
    common = assert_error(reset_to("wachtwoord2026!"), 422)["errors"]["new_password"]
    assert common[0].startswith("Wachtwoordbeleid 'strong' veelgebruikt")
    assert "veelgebruikt" in assert_error(reset_to("qwertyuiop123"), 422)["errors"]["new_password"][0]
    assert "veelgebruikt" in assert_error(reset_to("my zk-inkoper pass"), 422)["errors"]["new_password"][0]
    assert "maximale lengte" in assert_error(reset_to("x" * 129), 422)["errors"]["new_password"][0]
    # no composition rules, forbidden characters allowed, long pass phrases welcome
    assert reset_to("paars olifantje danst <op> het dak & zingt").status_code == 204
    long_phrase = "de zorginkoper van morgen leest rustig elk contract twee keer door"
    assert len(long_phrase) >= 64
    assert reset_to(long_phrase).status_code == 204
    assert "veelgebruikt" in assert_error(reset_to("ab" * 20), 422)["errors"]["new_password"][0]
    # what R2 accepts (test_passwords_within_r2_are_accepted) is too short here
    assert_error(reset_to("Abcdefghij12"[:11]), 422)


def test_demo_data_is_not_loaded_under_the_strong_policy(settings) -> None:
    """The demo password is published, so 'strong' would refuse it: seed-demo says so instead of half-seeding."""
    strong = bootstrap(dataclasses.replace(settings, password_policy="strong"))
    try:
        with pytest.raises(RuntimeError, match="PASSWORD_POLICY=seed"):
            seed_demo(strong)
        with strong.engine.connect() as connection:
            assert connection.execute(select(user_account.c.id)).first() is None
    finally:
        strong.engine.dispose()
