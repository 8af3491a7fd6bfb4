"""Alembic helpers every service's migrations use."""

from __future__ import annotations

from typing import Any

from sqlalchemy import MetaData

from servicekit.messaging.tables import messaging_tables


def create_messaging_tables(op: Any) -> None:
    """Create the outbox and inbox tables (call from a service's first migration)."""
    metadata = MetaData()
    for table in messaging_tables(metadata):
        table.create(op.get_bind())


def drop_messaging_tables(op: Any) -> None:
    metadata = MetaData()
    for table in reversed(messaging_tables(metadata)):
        table.drop(op.get_bind())
