"""Read what a service wrote to its outbox, for tests."""

from __future__ import annotations

from sqlalchemy import Engine, select

from servicekit.messaging.envelope import Envelope
from servicekit.messaging.tables import OUTBOX_TABLE


def outbox_events(engine: Engine, event_type: str | None = None) -> list[Envelope]:
    query = select(OUTBOX_TABLE.c.body).order_by(OUTBOX_TABLE.c.position)
    if event_type:
        query = query.where(OUTBOX_TABLE.c.event_type == event_type)
    with engine.connect() as connection:
        return [Envelope.from_json(body) for body in connection.execute(query).scalars()]
