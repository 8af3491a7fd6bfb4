"""Settings of the portal, read from the environment and validated at start-up.

The portal has no database and no broker: its dependencies are the gateway (every API call goes
through it, with the user's session token) and the secret that signs its session cookie.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

from portal import SERVICE
from servicekit.settings import DEFAULT_MAX_BODY_BYTES, SettingsError, env_choice, env_float, env_int

MIN_SECRET_BYTES = 32


@dataclass(frozen=True)
class Settings:
    #: Where the portal reaches the APIs: the gateway (``/api/<service>/...`` below it).
    gateway_url: str
    #: Signs the session cookie (and so the CSRF token kept in it).
    secret_key: bytes
    #: Idle logout (R1) of the portal's own session; None: identity's idle time, told at login.
    idle_seconds: int | None = None
    api_timeout: float = 30.0
    #: The catalogue CSV import is one request (all lines or none) that may check 50,000 lines: it gets
    #: the gateway's own read timeout (nginx's 60 s) instead of ``api_timeout``.
    import_timeout: float = 60.0
    log_level: str = "INFO"
    log_format: str = "json"
    max_body_bytes: int = DEFAULT_MAX_BODY_BYTES
    service_name: str = SERVICE

    @classmethod
    def from_env(cls, env: Mapping[str, str] | None = None) -> Settings:
        env = os.environ if env is None else env
        idle = env_int(env, "PORTAL_IDLE_SECONDS", 0, minimum=0)
        return cls(
            gateway_url=_gateway_url(env.get("PORTAL_GATEWAY_URL") or "http://127.0.0.1:8080"),
            secret_key=_secret(env.get("PORTAL_SECRET_KEY_FILE")),
            idle_seconds=idle or None,
            api_timeout=env_float(env, "PORTAL_API_TIMEOUT", 30.0, minimum=0.1),
            import_timeout=env_float(env, "PORTAL_IMPORT_TIMEOUT", 60.0, minimum=0.1),
            log_level=env_choice(env, "LOG_LEVEL", "INFO", ("DEBUG", "INFO", "WARNING", "ERROR")),
            log_format=env_choice(env, "LOG_FORMAT", "json", ("json", "text")),
            max_body_bytes=env_int(env, "MAX_BODY_BYTES", DEFAULT_MAX_BODY_BYTES, minimum=1024),
        )


def _gateway_url(url: str) -> str:
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        raise SettingsError(f"PORTAL_GATEWAY_URL={url!r}: an http(s) URL of the gateway expected")
    return url.rstrip("/")


def _secret(path: str | None) -> bytes:
    if not path:
        raise SettingsError("PORTAL_SECRET_KEY_FILE: required (a file with at least 32 random bytes)")
    file = Path(path)
    if not file.is_file():
        raise SettingsError(f"PORTAL_SECRET_KEY_FILE={path!r}: no such file")
    secret = file.read_bytes().strip()
    if len(secret) < MIN_SECRET_BYTES:
        raise SettingsError(f"PORTAL_SECRET_KEY_FILE={path!r}: at least {MIN_SECRET_BYTES} bytes expected")
    return secret
