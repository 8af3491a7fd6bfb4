"""Settings from the environment: one explicit URL per dependency, validated at start-up.

A service's ``config.py`` subclasses :class:`BaseSettings` and names its ``service``; that is all
unless it has settings of its own (then it overrides ``from_env`` and starts from
:func:`base_settings_from_env`). Bad values fail fast with :class:`SettingsError`, naming the variable.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import ClassVar, Self, TypeVar
from urllib.parse import urlsplit

SUPPORTED_DATABASE_SCHEMES = ("sqlite", "postgresql", "postgresql+psycopg")
SUPPORTED_AMQP_SCHEMES = ("amqp", "amqps", "pyamqp", "memory")
#: The gateway's ``max_body`` (deploy/gateway/routes.json, "10m"): whatever it lets through, a service
#: accepts too, so a demo-size spreadsheet export can be imported back (a deploy test ties the two).
DEFAULT_MAX_BODY_BYTES = 10 * 1024 * 1024


class SettingsError(ValueError):
    """A required environment variable is missing or malformed."""


def normalise_database_url(name: str, url: str) -> str:
    """Check the scheme and pin PostgreSQL to the psycopg 3 driver."""
    scheme = urlsplit(url).scheme
    if scheme not in SUPPORTED_DATABASE_SCHEMES:
        raise SettingsError(f"{name}={url!r}: scheme must be one of {', '.join(SUPPORTED_DATABASE_SCHEMES)}")
    if scheme == "postgresql":
        return "postgresql+psycopg" + url[len("postgresql") :]
    return url


def validate_amqp_url(name: str, url: str) -> str:
    scheme = urlsplit(url).scheme
    if scheme not in SUPPORTED_AMQP_SCHEMES:
        raise SettingsError(f"{name}={url!r}: scheme must be one of {', '.join(SUPPORTED_AMQP_SCHEMES)}")
    return url


N = TypeVar("N", int, float)


def _env_number(env: Mapping[str, str], name: str, default: N, minimum: N, parse: Callable[[str], N], kind: str) -> N:
    raw = env.get(name)
    if raw is None or raw == "":
        return default
    try:
        value = parse(raw)
    except ValueError as exc:
        raise SettingsError(f"{name}={raw!r}: must be {kind}") from exc
    if value < minimum:
        raise SettingsError(f"{name}={raw!r}: must be at least {minimum}")
    return value


def env_int(env: Mapping[str, str], name: str, default: int, minimum: int = 0) -> int:
    return _env_number(env, name, default, minimum, int, "a whole number")


def env_float(env: Mapping[str, str], name: str, default: float, minimum: float = 0.0) -> float:
    return _env_number(env, name, default, minimum, float, "a number")


def env_choice(env: Mapping[str, str], name: str, default: str, choices: tuple[str, ...]) -> str:
    value = env.get(name) or default
    if value not in choices:
        raise SettingsError(f"{name}={value!r}: must be one of {', '.join(choices)}")
    return value


@dataclass(frozen=True)
class MessagingSettings:
    amqp_url: str = "memory://"
    exchange: str = "zcp.events"
    #: Prefix for every queue name; test runs set it so that runs never share queues.
    queue_prefix: str = ""
    #: Refusals by a handler before a message goes to the dead-letter queue (crashes count none).
    max_delivery_attempts: int = 8
    #: The first retry's delay in seconds; each further one doubles, up to ``max_retry_delay``.
    retry_delay: float = 1.0
    max_retry_delay: float = 60.0
    #: Port of ``/metrics`` in consumer and relay processes (None: not served; the API serves its own).
    metrics_port: int | None = None
    consumer_batch_size: int = 200
    outbox_batch_size: int = 500
    relay_poll_interval: float = 0.2
    relay_max_backoff: float = 30.0
    #: Days an inbox claim is kept (it only has to outlive every redelivery and replay of its message).
    inbox_retention_days: int = 30

    @property
    def is_memory(self) -> bool:
        return self.amqp_url.startswith("memory://")


@dataclass(frozen=True)
class BaseSettings:
    """What every service needs. Services extend this with their own fields."""

    #: The service these settings are for (``<SERVICE>_DATABASE_URL``); each service's subclass sets it.
    service: ClassVar[str] = ""

    service_name: str
    database_url: str
    messaging: MessagingSettings = field(default_factory=MessagingSettings)
    log_level: str = "INFO"
    log_format: str = "json"
    #: PEM file with identity's public key; services verify the signed identity token with it.
    identity_public_key_file: Path | None = None
    max_body_bytes: int = DEFAULT_MAX_BODY_BYTES

    @classmethod
    def from_env(cls, env: Mapping[str, str] | None = None) -> Self:
        """The settings every service reads, for ``cls.service``; validated (a bad value raises SettingsError)."""
        if not cls.service:
            raise SettingsError(f"{cls.__qualname__}.service is not set")
        return cls(**base_settings_from_env(cls.service, env).__dict__)


def base_settings_from_env(service_name: str, env: Mapping[str, str] | None = None) -> BaseSettings:
    """Read the settings every service shares.

    ``<SERVICE>_DATABASE_URL`` is the service's own database; the default is an embedded SQLite file
    under ``./var`` (for ``make run`` only).
    """
    env = os.environ if env is None else env
    db_var = f"{service_name.upper()}_DATABASE_URL"
    default_db = f"sqlite:///{Path(env.get('DATA_DIR', 'var')).absolute() / (service_name + '.sqlite3')}"
    database_url = normalise_database_url(db_var, env.get(db_var) or default_db)
    messaging = MessagingSettings(
        amqp_url=validate_amqp_url("AMQP_URL", env.get("AMQP_URL") or "memory://"),
        exchange=env.get("EVENT_EXCHANGE") or "zcp.events",
        queue_prefix=env.get("QUEUE_PREFIX", ""),
        max_delivery_attempts=env_int(env, "MAX_DELIVERY_ATTEMPTS", 8, minimum=1),
        retry_delay=env_float(env, "RETRY_DELAY", 1.0, minimum=0.001),
        max_retry_delay=env_float(env, "MAX_RETRY_DELAY", 60.0, minimum=0.001),
        metrics_port=env_int(env, "METRICS_PORT", 0, minimum=0) or None,
        consumer_batch_size=env_int(env, "CONSUMER_BATCH_SIZE", 200, minimum=1),
        outbox_batch_size=env_int(env, "OUTBOX_BATCH_SIZE", 500, minimum=1),
        relay_poll_interval=env_float(env, "RELAY_POLL_INTERVAL", 0.2, minimum=0.001),
        relay_max_backoff=env_float(env, "RELAY_MAX_BACKOFF", 30.0, minimum=0.01),
        inbox_retention_days=env_int(env, "INBOX_RETENTION_DAYS", 30, minimum=1),
    )
    key_file = env.get("IDENTITY_PUBLIC_KEY_FILE")
    if key_file and not Path(key_file).is_file():
        raise SettingsError(f"IDENTITY_PUBLIC_KEY_FILE={key_file!r}: no such file")
    return BaseSettings(
        service_name=service_name,
        database_url=database_url,
        messaging=messaging,
        log_level=env_choice(env, "LOG_LEVEL", "INFO", ("DEBUG", "INFO", "WARNING", "ERROR")),
        log_format=env_choice(env, "LOG_FORMAT", "json", ("json", "text")),
        identity_public_key_file=Path(key_file) if key_file else None,
        max_body_bytes=env_int(env, "MAX_BODY_BYTES", DEFAULT_MAX_BODY_BYTES, minimum=1024),
    )
