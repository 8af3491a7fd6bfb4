"""Composition root: engine, sessions, unit of work, subscriptions. Nothing connects at import."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from alembic.config import Config
from alembic.script import ScriptDirectory
from sqlalchemy import Engine
from sqlalchemy.orm import Session, sessionmaker

from servicekit.db import UnitOfWork, create_db_engine, session_factory
from servicekit.messaging.consumer import Subscription

from support import SERVICE
from support.config import Settings
from support.integration.inbound import subscriptions

SERVICE_ROOT = Path(__file__).resolve().parents[2]


def alembic_config(database_url: str) -> Config:
    config = Config(str(SERVICE_ROOT / "alembic.ini"))
    config.set_main_option("script_location", str(SERVICE_ROOT / "migrations"))
    config.attributes["database_url"] = database_url
    return config


def migration_head() -> str:
    head = ScriptDirectory.from_config(alembic_config("sqlite://")).get_current_head()
    assert head is not None
    return head


@dataclass
class Runtime:
    settings: Settings
    engine: Engine
    sessions: sessionmaker[Session]
    subscriptions: list[Subscription] = field(default_factory=list)

    def unit_of_work(self) -> UnitOfWork:
        return UnitOfWork(self.sessions, producer=SERVICE)


def bootstrap(settings: Settings | None = None) -> Runtime:
    settings = settings or Settings.from_env()
    engine = create_db_engine(settings.database_url)
    return Runtime(settings, engine, session_factory(engine), subscriptions())
