"""Topology, declared at start-up by every process that needs it.

- one durable topic exchange for all integration events (routing key = event type);
- one durable queue per consuming purpose, named ``<prefix><service>.<purpose>``: a quorum queue
  whose broker-side delivery limit is the safety net for consumers that crash on a message;
- beside each, ``<queue>.dlq`` bound to the dead-letter exchange ``<exchange>.dlx``.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from kombu import Exchange, Queue


def dead_letter_exchange_name(exchange: str) -> str:
    return f"{exchange}.dlx"


def events_exchange(exchange: str) -> Exchange:
    return Exchange(exchange, type="topic", durable=True, auto_delete=False)


def dead_letter_exchange(exchange: str) -> Exchange:
    return Exchange(dead_letter_exchange_name(exchange), type="direct", durable=True, auto_delete=False)


def declare_exchanges(channel: Any, exchange: str) -> None:
    events_exchange(exchange)(channel).declare()
    dead_letter_exchange(exchange)(channel).declare()


@dataclass(frozen=True)
class QueueSpec:
    """One consuming purpose of one service."""

    service: str
    purpose: str
    bindings: tuple[str, ...]

    def name(self, prefix: str = "") -> str:
        return f"{prefix}{self.service}.{self.purpose}"

    def dead_letter_name(self, prefix: str = "") -> str:
        return f"{self.name(prefix)}.dlq"


def main_queue(spec: QueueSpec, exchange: str, prefix: str, max_delivery_attempts: int, memory: bool) -> Queue:
    name = spec.name(prefix)
    arguments: dict[str, Any] = {}
    if not memory:
        arguments = {
            "x-queue-type": "quorum",
            "x-delivery-limit": max_delivery_attempts,
            "x-dead-letter-exchange": dead_letter_exchange_name(exchange),
            "x-dead-letter-routing-key": spec.dead_letter_name(prefix),
        }
    return Queue(
        name,
        exchange=events_exchange(exchange),
        routing_key=spec.bindings[0],
        durable=True,
        auto_delete=False,
        queue_arguments=arguments or None,
    )


def dead_letter_queue(spec: QueueSpec, exchange: str, prefix: str) -> Queue:
    return Queue(
        spec.dead_letter_name(prefix),
        exchange=dead_letter_exchange(exchange),
        routing_key=spec.dead_letter_name(prefix),
        durable=True,
        auto_delete=False,
    )


def declare_queues(
    channel: Any,
    specs: Iterable[QueueSpec],
    *,
    exchange: str,
    prefix: str = "",
    max_delivery_attempts: int = 5,
    memory: bool = False,
) -> None:
    declare_exchanges(channel, exchange)
    for spec in specs:
        queue = main_queue(spec, exchange, prefix, max_delivery_attempts, memory)(channel)
        queue.declare()
        for routing_key in spec.bindings[1:]:
            queue.bind_to(exchange=events_exchange(exchange), routing_key=routing_key)
        dead_letter_queue(spec, exchange, prefix)(channel).declare()
