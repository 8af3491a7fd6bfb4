"""Settings: identity refuses to start without a usable signing key; its own variables are validated."""

from __future__ import annotations

from pathlib import Path

import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ec import SECP256R1, generate_private_key

from identity.config import Settings
from servicekit.settings import SettingsError
from servicekit.testing.identity import generate_keypair


@pytest.fixture
def key_file(tmp_path: Path) -> Path:
    path = tmp_path / "identity-private.pem"
    path.write_bytes(generate_keypair()[0])
    return path


def env(**extra: str) -> dict[str, str]:
    return {"IDENTITY_DATABASE_URL": "sqlite://", **extra}


def test_defaults(key_file: Path) -> None:
    settings = Settings.from_env(env(IDENTITY_SIGNING_KEY_FILE=str(key_file)))
    assert settings.session_idle_seconds == 600
    assert settings.password_policy == "seed"
    assert settings.open_contract_years == (2026, 2027)
    assert settings.identity_token_ttl_seconds == 10  # one hop, gateway -> service
    assert settings.login_max_failures_per_account == 5


def test_no_signing_key_refuses_to_start() -> None:
    with pytest.raises(SettingsError, match="IDENTITY_SIGNING_KEY_FILE is not set"):
        Settings.from_env(env())
    with pytest.raises(SettingsError, match="no such file"):
        Settings.from_env(env(IDENTITY_SIGNING_KEY_FILE="/nonexistent.pem"))


def test_wrong_kind_of_key_is_refused(tmp_path: Path) -> None:
    garbage = tmp_path / "garbage.pem"
    garbage.write_text("not a key")
    with pytest.raises(SettingsError, match="PKCS8"):
        Settings.from_env(env(IDENTITY_SIGNING_KEY_FILE=str(garbage)))
    ec = tmp_path / "ec.pem"
    ec.write_bytes(
        generate_private_key(SECP256R1()).private_bytes(
            serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
        )
    )
    with pytest.raises(SettingsError, match="Ed25519"):
        Settings.from_env(env(IDENTITY_SIGNING_KEY_FILE=str(ec)))


def test_own_variables(key_file: Path) -> None:
    settings = Settings.from_env(
        env(
            IDENTITY_SIGNING_KEY_FILE=str(key_file),
            SESSION_IDLE_SECONDS="120",
            PASSWORD_POLICY="strong",
            OPEN_CONTRACT_YEARS="2027, 2026,2028",
            TRUSTED_PROXY_HOPS="0",
        )
    )
    assert settings.session_idle_seconds == 120
    assert settings.password_policy == "strong"
    assert settings.open_contract_years == (2026, 2027, 2028)
    assert settings.trusted_proxy_hops == 0
    for name, value in (
        ("PASSWORD_POLICY", "weak"),
        ("SESSION_IDLE_SECONDS", "0"),
        ("OPEN_CONTRACT_YEARS", "1999"),
        ("OPEN_CONTRACT_YEARS", "next"),
        ("SESSION_IDLE_SECONDS", "ten"),
    ):
        with pytest.raises(SettingsError, match=name):
            Settings.from_env(env(IDENTITY_SIGNING_KEY_FILE=str(key_file), **{name: value}))
