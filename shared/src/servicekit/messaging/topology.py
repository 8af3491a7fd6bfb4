"""Topology, declared at start-up by every process that needs it.

- one durable topic exchange for all integration events (routing key = event type);
- one durable queue per consuming purpose, named ``<prefix><service>.<purpose>``: a quorum queue
  without a broker delivery limit (a consumer that dies returns its unacked messages without using
  up their attempts; the platform counts refusals itself in the ``x-zcp-attempt`` header);
- beside each, ``<queue>.dlq`` bound to the dead-letter exchange ``<exchange>.dlx``, and the delay
  queues ``<queue>.retry.<ms>ms``: a message TTL of that many milliseconds, after which the broker
  dead-letters the message back onto the main queue (through the default exchange). Named after
  their delay, so a changed delay setting declares new queues instead of clashing with old ones.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from amqp.exceptions import PreconditionFailed
from kombu import Exchange, Queue

log = logging.getLogger(__name__)

#: The platform's own count of a message's deliveries that a handler refused, plus one.
ATTEMPT_HEADER = "x-zcp-attempt"


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


def retry_delays(max_delivery_attempts: int, first: float, cap: float) -> tuple[float, ...]:
    """The wait before each retry: ``first``, twice that, … up to ``cap`` (one per retry)."""
    return tuple(min(cap, first * 2**n) for n in range(max(1, max_delivery_attempts - 1)))


def retry_queue_name(spec: QueueSpec, prefix: str, seconds: float) -> str:
    return f"{spec.name(prefix)}.retry.{round(seconds * 1000)}ms"


def retry_queue(spec: QueueSpec, prefix: str, seconds: float) -> Queue:
    return Queue(
        retry_queue_name(spec, prefix, seconds),
        durable=True,
        auto_delete=False,
        queue_arguments={
            "x-message-ttl": round(seconds * 1000),
            "x-dead-letter-exchange": "",
            "x-dead-letter-routing-key": spec.name(prefix),
        },
    )


def main_queue(spec: QueueSpec, exchange: str, prefix: str, memory: bool) -> Queue:
    name = spec.name(prefix)
    arguments: dict[str, Any] = {}
    if not memory:
        arguments = {
            "x-queue-type": "quorum",
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


def _declare_main_queue(channel: Any, queue: Queue) -> None:
    """Declare on a channel of its own: a queue left by an older version with other arguments (its
    broker delivery limit) makes the broker close the declaring channel. That queue is then used as
    it is, with a warning: delete it once empty (``rabbitmqctl delete_queue``) to get the new one.
    """
    probe = channel.connection.channel()
    try:
        queue.bind(probe).declare()
    except PreconditionFailed as exc:
        log.warning(
            "queue exists with other arguments; using it as it is",
            extra={"fields": {"queue": queue.name, "error": str(exc)}},
        )
        queue.bind(channel).bind_to(exchange=queue.exchange, routing_key=queue.routing_key)
    else:
        probe.close()


def declare_queues(
    channel: Any,
    specs: Iterable[QueueSpec],
    *,
    exchange: str,
    prefix: str = "",
    retry_delays: tuple[float, ...] = (),
    memory: bool = False,
) -> None:
    declare_exchanges(channel, exchange)
    for spec in specs:
        queue = main_queue(spec, exchange, prefix, memory)(channel)
        if memory:
            queue.declare()
        else:
            _declare_main_queue(channel, queue)
        for routing_key in spec.bindings[1:]:
            queue.bind_to(exchange=events_exchange(exchange), routing_key=routing_key)
        dead_letter_queue(spec, exchange, prefix)(channel).declare()
        if not memory:  # the memory transport has no TTL: its consumer requeues after a short wait
            for seconds in sorted(set(retry_delays)):
                retry_queue(spec, prefix, seconds)(channel).declare()
