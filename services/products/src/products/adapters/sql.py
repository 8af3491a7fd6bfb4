"""Small SQL helpers that keep statements portable between PostgreSQL and SQLite (``make run``)."""

from __future__ import annotations

import uuid
from datetime import UTC, date, datetime
from typing import Any

from sqlalchemy import Table
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.orm import Session


def upsert(session: Session, table: Table) -> Any:
    """``INSERT ... ON CONFLICT`` for the session's dialect (both speak it)."""
    return pg_insert(table) if session.get_bind().dialect.name == "postgresql" else sqlite_insert(table)


def now() -> datetime:
    return datetime.now(UTC)


def today() -> date:
    return now().date()


def new_id() -> str:
    return str(uuid.uuid4())
