"""Composition root: engine, sessions, unit of work, subscriptions. Nothing connects at import."""

from __future__ import annotations

import threading
from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy import Engine
from sqlalchemy.orm import Session, sessionmaker

from contracting import SERVICE
from contracting.config import Settings
from contracting.integration.inbound import subscriptions
from servicekit.db import UnitOfWork, create_db_engine, session_factory
from servicekit.messaging.consumer import Subscription
from servicekit.migrations import migration_head as _migration_head

SERVICE_ROOT = Path(__file__).resolve().parents[2]


def migration_head() -> str:
    return _migration_head(SERVICE_ROOT)


@dataclass
class Runtime:
    settings: Settings
    engine: Engine
    sessions: sessionmaker[Session]
    subscriptions: list[Subscription] = field(default_factory=list)

    def unit_of_work(self) -> UnitOfWork:
        return UnitOfWork(self.sessions, producer=SERVICE)

    def run_rollover_in_background(self, job_id: str) -> threading.Thread:
        """Run a queued rollover job (R3) in a thread of this process; its progress is readable meanwhile."""
        from contracting.service_layer.rollover import run_rollover

        thread = threading.Thread(
            target=run_rollover, args=(job_id, self.unit_of_work, self.engine), name=f"rollover-{job_id}", daemon=True
        )
        thread.start()
        return thread


def bootstrap(settings: Settings | None = None) -> Runtime:
    settings = settings or Settings.from_env()
    engine = create_db_engine(settings.database_url)
    return Runtime(settings, engine, session_factory(engine), subscriptions())
