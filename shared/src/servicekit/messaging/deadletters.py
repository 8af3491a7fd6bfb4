"""Dead letters: list what a consumer gave up on, and replay it to that consumer's queue only."""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from kombu import Connection, Producer, Queue
from kombu.message import Message

from servicekit import tracing


@dataclass(frozen=True)
class DeadLetter:
    message_id: str | None
    event_type: str | None
    occurred_at: str | None
    reason: str | None
    body: str

    def to_dict(self) -> dict[str, Any]:
        return {
            "message_id": self.message_id,
            "event_type": self.event_type,
            "occurred_at": self.occurred_at,
            "reason": self.reason,
            "body": self.body,
        }


def _describe(message: Message) -> DeadLetter:
    body = message.body.decode("utf-8") if isinstance(message.body, bytes) else str(message.body)
    try:
        payload = json.loads(body)
    except ValueError:
        payload = {}
    if not isinstance(payload, dict):
        payload = {}
    deaths = (message.headers or {}).get("x-death") or []
    reason = deaths[0].get("reason") if deaths and isinstance(deaths[0], dict) else None
    return DeadLetter(payload.get("id"), payload.get("type"), payload.get("occurred_at"), reason, body)


class DeadLetterQueue:
    def __init__(self, amqp_url: str, queue_name: str, dead_letter_queue_name: str) -> None:
        self.amqp_url = amqp_url
        self.queue_name = queue_name
        self.dead_letter_queue_name = dead_letter_queue_name

    def _take_all(self, connection: Connection, limit: int) -> list[Message]:
        queue = Queue(self.dead_letter_queue_name, durable=True, auto_delete=False, no_declare=True)(
            connection.default_channel
        )
        taken: list[Message] = []
        while len(taken) < limit:
            message = queue.get(no_ack=False, accept=["json"])
            if message is None:
                break
            taken.append(message)
        return taken

    def list(self, limit: int = 100) -> list[DeadLetter]:
        """Look without taking: every message is put back."""
        with Connection(self.amqp_url, connect_timeout=5) as connection:
            taken = self._take_all(connection, limit)
            letters = [_describe(message) for message in taken]
            for message in taken:
                message.requeue()
        return letters

    def replay(self, message_ids: set[str] | None = None, limit: int = 10_000) -> int:
        """Send dead letters (all, or those with the given ids) back to the consumer's own queue."""
        options = {} if self.amqp_url.startswith("memory://") else {"confirm_publish": True}
        with Connection(self.amqp_url, connect_timeout=5, transport_options=options) as connection:
            taken = self._take_all(connection, limit)
            producer = Producer(connection.default_channel)
            replayed = 0
            for message in taken:
                letter = _describe(message)
                if message_ids is None or letter.message_id in message_ids:
                    # The default exchange routes by queue name: no other consumer sees the replay.
                    producer.publish(
                        letter.body,
                        exchange="",
                        routing_key=self.queue_name,
                        headers=tracing.trace_headers(message.headers),  # the replay stays in its trace
                        content_type="application/json",
                        content_encoding="utf-8",
                        delivery_mode=2,
                    )
                    message.ack()
                    replayed += 1
                else:
                    message.requeue()
        return replayed
