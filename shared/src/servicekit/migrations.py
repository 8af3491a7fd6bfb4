"""Alembic helpers: every service's migrations/env.py, bootstrap and migrate step use these.

A service keeps ``alembic.ini`` and ``migrations/`` at its root (``SERVICE_ROOT``); migrations run
as an explicit step (``python -m <service>.manage migrate``), never at start-up.

Migrations are frozen: they never import live table definitions (not the kit's outbox/inbox
tables, not a service's ORM). Each writes its schema out literally, so an old database migrated
long ago and a new one migrated today end up equal; ``deploy/tests/test_frozen_migrations.py``
checks every service's migrations and the service template's.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from alembic import context
from alembic.config import Config
from alembic.script import ScriptDirectory
from sqlalchemy import MetaData, create_engine, pool


def alembic_config(service_root: Path, database_url: str) -> Config:
    config = Config(str(service_root / "alembic.ini"))
    config.set_main_option("script_location", str(service_root / "migrations"))
    config.attributes["database_url"] = database_url
    return config


def migration_head(service_root: Path) -> str:
    """The revision this code expects (readiness compares the database with it)."""
    head = ScriptDirectory.from_config(alembic_config(service_root, "sqlite://")).get_current_head()
    if head is None:
        raise RuntimeError(f"{service_root}/migrations has no revision")
    return head


def run_migrations(metadata: MetaData, default_url: Callable[[], str]) -> None:
    """The body of a service's ``migrations/env.py``; settings are read only when no URL was passed."""
    url = context.config.attributes.get("database_url") or default_url()
    batch = url.startswith("sqlite")  # SQLite alters tables by copying them
    if context.is_offline_mode():
        context.configure(url=url, target_metadata=metadata, literal_binds=True, render_as_batch=batch)
        with context.begin_transaction():
            context.run_migrations()
        return
    engine = create_engine(url, poolclass=pool.NullPool)
    with engine.connect() as connection:
        context.configure(connection=connection, target_metadata=metadata, render_as_batch=batch)
        with context.begin_transaction():
            context.run_migrations()
    engine.dispose()
