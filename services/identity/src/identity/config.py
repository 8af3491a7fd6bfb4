"""Settings of the identity service, read from the environment and validated at start-up.

Identity refuses to start without its signing key (``IDENTITY_SIGNING_KEY_FILE``, an Ed25519 private
key in PKCS8 PEM): without it nobody could be vouched for.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from identity import SERVICE
from identity.domain.model import MAX_CONTRACT_YEAR, MIN_CONTRACT_YEAR
from identity.domain.passwords import PRESETS
from servicekit.settings import BaseSettings, SettingsError, base_settings_from_env, env_choice, env_int


def _signing_key_file(env: Mapping[str, str]) -> Path:
    raw = env.get("IDENTITY_SIGNING_KEY_FILE")
    if not raw:
        raise SettingsError(
            "IDENTITY_SIGNING_KEY_FILE is not set: identity needs an Ed25519 private key (PKCS8 PEM) to sign "
            "identity tokens; the other services verify them with the matching IDENTITY_PUBLIC_KEY_FILE."
        )
    path = Path(raw)
    if not path.is_file():
        raise SettingsError(f"IDENTITY_SIGNING_KEY_FILE={raw!r}: no such file")
    try:
        key = serialization.load_pem_private_key(path.read_bytes(), password=None)
    except (ValueError, TypeError) as exc:
        raise SettingsError(f"IDENTITY_SIGNING_KEY_FILE={raw!r}: not an unencrypted PKCS8 PEM private key") from exc
    if not isinstance(key, Ed25519PrivateKey):
        raise SettingsError(f"IDENTITY_SIGNING_KEY_FILE={raw!r}: must be an Ed25519 key (EdDSA)")
    return path


def _open_years(env: Mapping[str, str]) -> tuple[int, ...]:
    raw = env.get("OPEN_CONTRACT_YEARS") or "2026,2027"
    try:
        years = tuple(sorted({int(part) for part in raw.split(",") if part.strip()}))
    except ValueError as exc:
        raise SettingsError(f"OPEN_CONTRACT_YEARS={raw!r}: comma-separated whole numbers expected") from exc
    if not years or any(not MIN_CONTRACT_YEAR <= year <= MAX_CONTRACT_YEAR for year in years):
        raise SettingsError(
            f"OPEN_CONTRACT_YEARS={raw!r}: one or more years between {MIN_CONTRACT_YEAR} and {MAX_CONTRACT_YEAR}"
        )
    return years


@dataclass(frozen=True)
class Settings(BaseSettings):
    service = SERVICE
    signing_key_file: Path | None = None
    #: Lifetime of the identity token the gateway passes upstream (seconds): it only crosses one hop.
    identity_token_ttl_seconds: int = 10
    #: R1: a session ends after this many seconds without activity (sliding).
    session_idle_seconds: int = 600
    #: A session ends after this many seconds however active it is (a working day).
    session_max_seconds: int = 12 * 3600
    password_policy: str = "seed"
    open_contract_years: tuple[int, ...] = (2026, 2027)
    login_max_failures_per_account: int = 5
    login_max_failures_per_address: int = 100
    login_forget_failures_seconds: int = 900
    login_first_block_seconds: int = 30
    login_max_block_seconds: int = 900
    #: Sessions are kept this long after their maximum age (audit questions), then purged by the consumer.
    session_retention_seconds: int = 7 * 24 * 3600
    #: How often the consumer process purges ended sessions.
    session_purge_interval_seconds: int = 3600
    #: Proxies in front of identity whose X-Forwarded-For is trusted (the gateway: 1).
    trusted_proxy_hops: int = 1

    @classmethod
    def from_env(cls, env: Mapping[str, str] | None = None) -> Settings:
        env = os.environ if env is None else env
        base = base_settings_from_env(SERVICE, env)
        return cls(
            **base.__dict__,
            signing_key_file=_signing_key_file(env),
            identity_token_ttl_seconds=env_int(env, "IDENTITY_TOKEN_TTL_SECONDS", 10, minimum=2),
            session_idle_seconds=env_int(env, "SESSION_IDLE_SECONDS", 600, minimum=1),
            session_max_seconds=env_int(env, "SESSION_MAX_SECONDS", 12 * 3600, minimum=60),
            password_policy=env_choice(env, "PASSWORD_POLICY", "seed", tuple(PRESETS)),
            open_contract_years=_open_years(env),
            login_max_failures_per_account=env_int(env, "LOGIN_MAX_FAILURES_PER_ACCOUNT", 5, minimum=1),
            login_max_failures_per_address=env_int(env, "LOGIN_MAX_FAILURES_PER_ADDRESS", 100, minimum=1),
            login_forget_failures_seconds=env_int(env, "LOGIN_FORGET_FAILURES_SECONDS", 900, minimum=1),
            login_first_block_seconds=env_int(env, "LOGIN_FIRST_BLOCK_SECONDS", 30, minimum=1),
            login_max_block_seconds=env_int(env, "LOGIN_MAX_BLOCK_SECONDS", 900, minimum=1),
            trusted_proxy_hops=env_int(env, "TRUSTED_PROXY_HOPS", 1, minimum=0),
            session_retention_seconds=env_int(env, "SESSION_RETENTION_SECONDS", 7 * 24 * 3600, minimum=0),
            session_purge_interval_seconds=env_int(env, "SESSION_PURGE_INTERVAL_SECONDS", 3600, minimum=1),
        )
