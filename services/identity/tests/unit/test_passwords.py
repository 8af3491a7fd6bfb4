"""Password policies as pure rules."""

from __future__ import annotations

from pathlib import Path

import pytest

from identity.demo import DEMO_PASSWORD
from identity.domain import passwords
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


README = Path(__file__).resolve().parents[4] / "README.md"


def readme_demo_passwords() -> set[str]:
    """The passwords column of the README's demo-accounts table."""
    table = README.read_text(encoding="utf-8").split("| role | insurer | username | password |", 1)[1]
    rows = [line.split("|") for line in table.split("\n\n", 1)[0].splitlines()[2:]]
    return {cells[4].strip().strip("`") for cells in rows if len(cells) > 5 and cells[4].strip().startswith("`")}


def test_the_published_demo_password_is_refused_by_strong_and_fits_seed() -> None:
    """Issue 16 item 7: a password printed in the README is known to everyone."""
    published = readme_demo_passwords()
    assert DEMO_PASSWORD in published
    for password in published:
        assert SEED.violations(password) == []
        assert rules(STRONG, password) == ["Wachtwoordbeleid 'strong' veelgebruikt"], password


@pytest.mark.parametrize("password", ["1qaz2wsx3edc", "Qwerty123456!", "Iloveyou2026", "Wachtwoord2026!!"])
def test_strong_refuses_entries_of_the_bundled_top_20000_list(password: str) -> None:
    assert "Wachtwoordbeleid 'strong' veelgebruikt" in rules(STRONG, password)


def test_the_bundled_list_names_its_source_and_licence() -> None:
    assert len(common_passwords()) > 19_000
    folder = Path(passwords.__file__).parent
    notice = (folder / "common_passwords_top20k.NOTICE").read_text(encoding="utf-8")
    assert "Django" in notice and "Royce Williams" in notice and "BSD 3-Clause" in notice
    assert "Redistribution and use" in (folder / "common_passwords_top20k.LICENSE").read_text(encoding="utf-8")
    assert set(passwords.PASSWORD_LISTS) <= {path.name for path in folder.iterdir()}
