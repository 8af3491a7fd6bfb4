"""Small SQL helpers that keep the set-based statements portable between PostgreSQL and SQLite."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import CursorResult, Executable, Table
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.orm import Session


def insert_ignoring_duplicates(session: Session, table: Table) -> Any:
    """``INSERT ... ON CONFLICT DO NOTHING`` for the session's dialect (both support it, also with SELECT)."""
    if session.get_bind().dialect.name == "postgresql":
        return pg_insert(table)
    return sqlite_insert(table)


def rows_written(session: Session, statement: Executable) -> int:
    """Execute an INSERT/UPDATE/DELETE (also ``INSERT ... SELECT``) and return how many rows it wrote."""
    result = session.execute(statement, execution_options={"preserve_rowcount": True})
    assert isinstance(result, CursorResult)  # a data-changing statement's result carries its row count
    return int(result.rowcount or 0)


def is_postgres(session: Session) -> bool:
    return session.get_bind().dialect.name == "postgresql"


def now() -> datetime:
    return datetime.now(UTC)


def new_id() -> str:
    return str(uuid.uuid4())
