"""The idempotent inbox: a row keyed (message id, handler) in the same transaction as the effect."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import Engine, and_, delete, or_, select, tuple_
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.orm import Session

from servicekit.messaging.tables import INBOX_TABLE


def claim(session: Session, message_id: str, handler: str, event_type: str) -> bool:
    """Record that ``handler`` processes ``message_id``; False when it already has (a duplicate)."""
    values = {"message_id": message_id, "handler": handler, "event_type": event_type}
    dialect = session.get_bind().dialect.name
    statement: Any
    if dialect == "postgresql":
        statement = pg_insert(INBOX_TABLE).values(**values).on_conflict_do_nothing()
    elif dialect == "sqlite":
        statement = sqlite_insert(INBOX_TABLE).values(**values).on_conflict_do_nothing()
    else:
        raise NotImplementedError(f"inbox on {dialect} is not supported (PostgreSQL and SQLite are)")
    # RETURNING, not rowcount: some driver combinations report -1 for ON CONFLICT DO NOTHING.
    return session.execute(statement.returning(INBOX_TABLE.c.message_id)).first() is not None


def claim_many(session: Session, claims: list[tuple[str, str, str]]) -> set[str]:
    """Claim ``(message_id, handler, event_type)`` rows in one statement; returns the ids newly claimed."""
    if not claims:
        return set()
    rows = [{"message_id": m, "handler": h, "event_type": t} for m, h, t in claims]
    dialect = session.get_bind().dialect.name
    statement: Any
    if dialect == "postgresql":
        statement = pg_insert(INBOX_TABLE).values(rows).on_conflict_do_nothing()
    elif dialect == "sqlite":
        statement = sqlite_insert(INBOX_TABLE).values(rows).on_conflict_do_nothing()
    else:
        raise NotImplementedError(f"inbox on {dialect} is not supported (PostgreSQL and SQLite are)")
    return set(session.execute(statement.returning(INBOX_TABLE.c.message_id)).scalars())


def unclaim(session: Session, claims: list[tuple[str, str]]) -> None:
    """Take back ``(message_id, handler)`` claims made in this transaction whose handlers did not run."""
    if not claims:
        return
    table = INBOX_TABLE
    session.execute(delete(table).where(or_(*(and_(table.c.message_id == m, table.c.handler == h) for m, h in claims))))


def purge(engine: Engine, older_than: timedelta, batch: int = 10_000) -> int:
    """Forget claims older than ``older_than``, ``batch`` rows per transaction; returns how many went.

    The inbox only has to outlive every redelivery of a message (retries wait at most minutes; a
    dead letter is replayed within days), so it need not grow for ever. Small transactions keep the
    consumers' claims on the same table waiting for a moment at most.
    """
    cutoff = datetime.now(UTC) - older_than
    table = INBOX_TABLE
    removed = 0
    while True:
        oldest = (
            select(table.c.message_id, table.c.handler).where(table.c.processed_at < cutoff).limit(batch).subquery()
        )
        with engine.begin() as connection:
            result = connection.execute(
                delete(table).where(tuple_(table.c.message_id, table.c.handler).in_(select(oldest)))
            )
        count = int(result.rowcount or 0)
        removed += count
        if count < batch:
            return removed
