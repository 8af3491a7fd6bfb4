"""Small SQL helpers that keep the set-based statements portable between PostgreSQL and SQLite."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import CursorResult, Executable, String, Table
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.orm import Session
from sqlalchemy.sql.functions import FunctionElement


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


class id_text(FunctionElement[str]):
    """An id column as its canonical text (``8-4-4-4-12``) computed by the database.

    Answers with many ids (a comparison, a consistency check) take them as text from the database
    instead of converting every value in Python. ``CAST(id AS TEXT)`` on PostgreSQL; SQLite keeps a
    ``Uuid`` as 32 hex digits, so there the dashes are put back in.
    """

    type = String()
    inherit_cache = True


@compiles(id_text)
def _id_text_default(element: id_text, compiler: Any, **kw: Any) -> str:
    return f"CAST({compiler.process(element.clauses, **kw)} AS TEXT)"


@compiles(id_text, "sqlite")
def _id_text_sqlite(element: id_text, compiler: Any, **kw: Any) -> str:
    value = compiler.process(element.clauses, **kw)
    parts = [f"substr({value}, {start}, {length})" for start, length in ((1, 8), (9, 4), (13, 4), (17, 4), (21, 12))]
    return "(" + " || '-' || ".join(parts) + ")"
