"""Password policies as pure rules."""

from __future__ import annotations

import pytest

from identity.domain.passwords import PRESETS, SEED, STRONG, common_passwords


def rules(policy, password: str, username: str | None = None) -> list[str]:
    return [message.split(":")[0] for message in policy.violations(password, username)]


def test_seed_rules_each_named() -> None:
    assert rules(SEED, "Abcdefg1") == []
    assert rules(SEED, "Abc1") == ["R2 minimale lengte"]
    assert rules(SEED, "Abcdefghijk12") == ["R2 maximale lengte"]
    assert rules(SEED, "Abcdefgh") == ["R2 cijfer"]
    assert rules(SEED, "12345678") == ["R2 letter"]
    assert rules(SEED, "Abcdefg1\t") == ["R2 stuurtekens"]
    for ch in "`<>/\"'&\\":
        assert rules(SEED, f"Abcdef1{ch}") == ["R2 verboden tekens"]


def test_letters_may_be_accented_and_length_counts_characters() -> None:
    assert rules(SEED, "Één2026é") == []


def test_strong_preset() -> None:
    assert rules(STRONG, "kort") == ["Wachtwoordbeleid 'strong' minimale lengte"]
    assert rules(STRONG, "geen cijfers nodig hier") == []
    assert rules(STRONG, "x" * 129)[0] == "Wachtwoordbeleid 'strong' maximale lengte"
    assert "Wachtwoordbeleid 'strong' veelgebruikt" in rules(STRONG, "Wachtwoord2026!!")
    assert "Wachtwoordbeleid 'strong' veelgebruikt" in rules(STRONG, "1234567890123")
    assert "Wachtwoordbeleid 'strong' veelgebruikt" in rules(STRONG, "ik-ben-zk-admin-hoor", username="zk-admin")
    assert "Wachtwoordbeleid 'strong' veelgebruikt" in rules(STRONG, "aaaaaaaaaaaaaaa")


def test_presets_and_list() -> None:
    assert set(PRESETS) == {"seed", "strong"}
    assert "wachtwoord" in common_passwords() and "password" in common_passwords()
    assert all(item == item.lower() for item in common_passwords())


@pytest.mark.parametrize("password", ["Demo2026Zcp!"])
def test_the_demo_password_satisfies_both_presets(password: str) -> None:
    assert SEED.violations(password) == [] and STRONG.violations(password, "zk-admin") == []
