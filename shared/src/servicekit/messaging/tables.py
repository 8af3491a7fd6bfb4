"""The outbox and inbox tables. Each service has its own copy in its own database.

Call :func:`messaging_tables` on the service's ``MetaData``. Each service's first Alembic migration
(``0001_messaging``) writes these tables out literally (migrations are frozen): a change here needs a
new migration in every service, and ``deploy/tests/test_frozen_migrations.py`` fails until then.
"""

from __future__ import annotations

from sqlalchemy import (
    BigInteger,
    Column,
    DateTime,
    Index,
    Integer,
    MetaData,
    String,
    Table,
    Text,
    text,
)

# SQLite only auto-increments an INTEGER PRIMARY KEY, PostgreSQL wants a BIGINT identity.
_Position = BigInteger().with_variant(Integer(), "sqlite")

OUTBOX = "outbox_message"
INBOX = "inbox_message"


def messaging_tables(metadata: MetaData) -> tuple[Table, Table]:
    if OUTBOX in metadata.tables:
        return metadata.tables[OUTBOX], metadata.tables[INBOX]
    outbox = Table(
        OUTBOX,
        metadata,
        Column("position", _Position, primary_key=True, autoincrement=True),
        Column("message_id", String(36), nullable=False, unique=True),
        Column("event_type", String(200), nullable=False),
        Column("body", Text, nullable=False),
        Column("created_at", DateTime(timezone=True), nullable=False, server_default=text("CURRENT_TIMESTAMP")),
        Column("sent_at", DateTime(timezone=True), nullable=True),
        Column("attempts", Integer, nullable=False, server_default=text("0")),
        Column("next_attempt_at", DateTime(timezone=True), nullable=True),
        Column("last_error", Text, nullable=True),
        # W3C trace context (JSON: traceparent, tracestate) of the span that wrote the row; NULL when
        # tracing is off (issue 14: the relay's publish span is its child). Added by a later migration.
        Column("trace_context", Text, nullable=True),
        Index(
            "ix_outbox_message_unsent",
            "position",
            postgresql_where=text("sent_at IS NULL"),
            sqlite_where=text("sent_at IS NULL"),
        ),
    )
    inbox = Table(
        INBOX,
        metadata,
        Column("message_id", String(36), primary_key=True),
        Column("handler", String(200), primary_key=True),
        Column("event_type", String(200), nullable=False),
        Column("processed_at", DateTime(timezone=True), nullable=False, server_default=text("CURRENT_TIMESTAMP")),
    )
    return outbox, inbox


_default_metadata = MetaData()
OUTBOX_TABLE, INBOX_TABLE = messaging_tables(_default_metadata)
