"""Settings of the support service: those every service reads (``servicekit.settings``), validated at
start-up, plus the optional SMTP server the reporters' and requesters' e-mails go through.

``SMTP_URL``: ``smtp://[user:password@]host[:port]`` (``smtps://`` for TLS from the start). Without
it, nobody is e-mailed and the e-mails wait in the mail outbox; notifications in the platform work
either way. ``MAIL_FROM`` is the sender address.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Self
from urllib.parse import urlsplit

from servicekit.settings import BaseSettings, SettingsError, base_settings_from_env, env_float
from support import SERVICE

SMTP_SCHEMES = ("smtp", "smtps")


def validate_smtp_url(url: str | None) -> str | None:
    if not url:
        return None
    parts = urlsplit(url)
    if parts.scheme not in SMTP_SCHEMES or not parts.hostname:
        raise SettingsError(f"SMTP_URL={url!r}: use smtp://host[:port] or smtps://host[:port]")
    try:
        parts.port  # noqa: B018 - raises on a port that is not a number
    except ValueError as exc:
        raise SettingsError(f"SMTP_URL={url!r}: the port must be a number") from exc
    return url


@dataclass(frozen=True)
class Settings(BaseSettings):
    service = SERVICE

    smtp_url: str | None = None
    mail_from: str = "noreply@zorgcontractering.example"
    #: seconds between two looks at the mail outbox
    mail_poll_interval: float = 1.0

    @classmethod
    def from_env(cls, env: Mapping[str, str] | None = None) -> Self:
        env = os.environ if env is None else env
        return cls(
            **base_settings_from_env(cls.service, env).__dict__,
            smtp_url=validate_smtp_url(env.get("SMTP_URL")),
            mail_from=env.get("MAIL_FROM") or "noreply@zorgcontractering.example",
            mail_poll_interval=env_float(env, "MAIL_POLL_INTERVAL", 1.0, minimum=0.01),
        )
