"""Deliver events to a service's handlers through the kit's real consumer, without a broker, for tests."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from typing import Any

from sqlalchemy import Engine

from servicekit.messaging.consumer import InboxConsumer, Subscription
from servicekit.messaging.envelope import Envelope


class FakeMessage:
    """Just enough of a kombu message for :meth:`InboxConsumer.process_batch`."""

    def __init__(self, body: str) -> None:
        self.body = body
        self.headers: dict[str, Any] = {}
        self.delivery_tag = uuid.uuid4().hex
        self.outcome: str | None = None

    def ack(self) -> None:
        self.outcome = "acked"

    def requeue(self) -> None:
        self.outcome = "requeued"

    def reject(self, requeue: bool = False) -> None:
        self.outcome = "rejected"


class Feeder:
    """Deliver envelopes through the kit's consumer (inbox row + savepoint per message)."""

    def __init__(self, engine: Engine, subscriptions: Sequence[Subscription]) -> None:
        self.consumers = {
            event_type: InboxConsumer(engine, sub, amqp_url="memory://", exchange="test", max_delivery_attempts=5)
            for sub in subscriptions
            for event_type in sub.handlers
        }

    def deliver(self, *envelopes: Envelope) -> list[str | None]:
        outcomes = []
        for envelope in envelopes:
            message = FakeMessage(envelope.to_json())
            self.consumers[envelope.type].process_batch([message], dead_letter=lambda m: None)  # type: ignore[list-item]
            outcomes.append(message.outcome)
        return outcomes
