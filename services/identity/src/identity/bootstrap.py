"""Composition root: engine, sessions, unit of work, handler dependencies, subscriptions. Nothing connects at import."""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from alembic.config import Config
from sqlalchemy import Engine
from sqlalchemy.orm import Session, sessionmaker

from identity import SERVICE
from identity.adapters.crypto import Argon2Hasher, TokenSigner
from identity.adapters.orm import start_mappers
from identity.config import Settings
from identity.domain.commands import PurgeSessions
from identity.domain.passwords import PRESETS
from identity.domain.throttle import ThrottleRule
from identity.integration.inbound import subscriptions
from identity.service_layer.handlers import HANDLERS, Deps
from identity.service_layer.unit_of_work import IdentityUnitOfWork
from servicekit.db import create_db_engine, session_factory
from servicekit.messaging.consumer import Subscription
from servicekit.migrations import alembic_config as _alembic_config
from servicekit.migrations import migration_head as _migration_head

SERVICE_ROOT = Path(__file__).resolve().parents[2]
log = logging.getLogger(__name__)


def alembic_config(database_url: str) -> Config:
    return _alembic_config(SERVICE_ROOT, database_url)


def migration_head() -> str:
    return _migration_head(SERVICE_ROOT)


def utc_now() -> datetime:
    return datetime.now(UTC)


def build_deps(settings: Settings) -> Deps:
    assert settings.signing_key_file is not None, "Settings.from_env validates the signing key"
    return Deps(
        clock=utc_now,
        hasher=Argon2Hasher(),
        policy=PRESETS[settings.password_policy],
        signer=TokenSigner(settings.signing_key_file.read_bytes(), settings.identity_token_ttl_seconds),
        idle=timedelta(seconds=settings.session_idle_seconds),
        max_age=timedelta(seconds=settings.session_max_seconds),
        open_years=settings.open_contract_years,
        account_rule=ThrottleRule(
            limit=settings.login_max_failures_per_account,
            forget_after=settings.login_forget_failures_seconds,
            base_block=settings.login_first_block_seconds,
            max_block=settings.login_max_block_seconds,
        ),
        address_rule=ThrottleRule(
            limit=settings.login_max_failures_per_address,
            forget_after=settings.login_forget_failures_seconds,
            base_block=settings.login_first_block_seconds,
            max_block=settings.login_max_block_seconds,
        ),
        session_retention=timedelta(seconds=settings.session_retention_seconds),
    )


@dataclass
class Runtime:
    settings: Settings
    engine: Engine
    sessions: sessionmaker[Session]
    deps: Deps
    subscriptions: list[Subscription] = field(default_factory=list)

    def unit_of_work(self) -> IdentityUnitOfWork:
        return IdentityUnitOfWork(self.sessions, producer=SERVICE)

    def handle(self, command: Any) -> Any:
        """Run ``command`` through its handler in a unit of work of its own."""
        return HANDLERS[type(command)](command, self.unit_of_work(), self.deps)

    def background_workers(self) -> list[Callable[[threading.Event], None]]:
        """Periodic work the consumer process (and ``make run``) runs beside the consumers."""
        return [self.purge_sessions_periodically]

    def purge_sessions_periodically(self, stop: threading.Event) -> None:
        """Purge ended sessions now and every ``SESSION_PURGE_INTERVAL_SECONDS`` (bounded per run)."""
        while not stop.is_set():
            try:
                deleted = self.handle(PurgeSessions())
                if deleted:
                    log.info("purged ended sessions", extra={"fields": {"deleted": deleted}})
            except Exception:  # the database may be away: try again next time, never kill the process
                log.exception("session purge failed")
            stop.wait(self.settings.session_purge_interval_seconds)


def bootstrap(settings: Settings | None = None) -> Runtime:
    settings = settings or Settings.from_env()
    start_mappers()
    engine = create_db_engine(settings.database_url)
    return Runtime(settings, engine, session_factory(engine), build_deps(settings), subscriptions())
