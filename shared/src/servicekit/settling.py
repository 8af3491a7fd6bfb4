"""Is messaging quiet? For steps that must act on a settled platform (the demo seeds), never on a timer alone.

- :func:`wait_outbox_drained`: the producer's side, every row of this service's outbox published.
- :func:`messages_waiting`: the consumer's side, the messages ready in this service's queues and
  their retry queues (a passive declare: it never creates a queue; a queue not declared yet holds none).

Messages a consumer holds unacknowledged are not counted by the broker: a caller adds a quiet period
of its own data on top (see ``contracting.demo``).
"""

from __future__ import annotations

import threading
import time
from collections.abc import Sequence
from contextlib import suppress

from amqp.exceptions import AMQPError
from kombu import Connection
from kombu.exceptions import KombuError
from sqlalchemy import Engine, func, select

from servicekit.messaging.consumer import Subscription
from servicekit.messaging.tables import OUTBOX_TABLE
from servicekit.messaging.topology import retry_delays, retry_queue_name
from servicekit.settings import BaseSettings

#: the broker could not be asked: nothing can be said to be settled
UNKNOWN = -1
#: what a broker that is away raises
BROKER_ERRORS = (OSError, KombuError, AMQPError)


def outbox_waiting(engine: Engine) -> int:
    """Rows of this service's outbox not published yet."""
    with engine.connect() as connection:
        return int(connection.scalar(select(func.count()).where(OUTBOX_TABLE.c.sent_at.is_(None))) or 0)


def wait_outbox_drained(engine: Engine, timeout: float, *, poll: float = 0.2) -> bool:
    """True once the relay has published every outbox row; False if ``timeout`` seconds pass first."""
    pause = threading.Event()
    deadline = time.monotonic() + timeout
    while outbox_waiting(engine):
        if time.monotonic() >= deadline:
            return False
        pause.wait(poll)
    return True


def queue_names(settings: BaseSettings, subscriptions: Sequence[Subscription]) -> list[str]:
    """This service's consuming queues and, on a real broker, their retry queues."""
    messaging = settings.messaging
    delays = retry_delays(messaging.max_delivery_attempts, messaging.retry_delay, messaging.max_retry_delay)
    names = []
    for spec in (subscription.queue_spec for subscription in subscriptions):
        names.append(spec.name(messaging.queue_prefix))
        if not messaging.is_memory:  # the memory transport has no retry queues (see topology)
            names += [retry_queue_name(spec, messaging.queue_prefix, seconds) for seconds in sorted(set(delays))]
    return names


def messages_waiting(settings: BaseSettings, subscriptions: Sequence[Subscription]) -> int:
    """Messages ready in this service's queues and retry queues, or :data:`UNKNOWN` if the broker is away."""
    try:
        with Connection(settings.messaging.amqp_url, connect_timeout=5) as connection:
            return sum(_ready(connection, name) for name in queue_names(settings, subscriptions))
    except BROKER_ERRORS:
        return UNKNOWN


def _ready(connection: Connection, queue_name: str) -> int:
    channel = connection.channel()  # a channel per queue: a missing queue closes the channel that asked
    try:
        _name, count, _consumers = channel.queue_declare(queue=queue_name, passive=True)
        return int(count)
    except connection.channel_errors:  # not declared yet: nothing waits in it
        return 0
    finally:
        with suppress(*BROKER_ERRORS):
            channel.close()
