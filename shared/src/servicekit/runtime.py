"""Process entry points shared by every service: the outbox relay and the event consumers.

A service's ``relay.py`` and ``consumer.py`` are two lines each: build the runtime from
``bootstrap.py``, then hand it to :func:`run_relay` or :func:`run_consumers`.
"""

from __future__ import annotations

import logging
import signal
import threading
from collections.abc import Callable, Sequence
from datetime import timedelta
from typing import Any

from kombu import Connection
from sqlalchemy import Engine

from servicekit import tracing
from servicekit.logs import configure_logging
from servicekit.messaging.consumer import InboxConsumer, Subscription
from servicekit.messaging.outbox import OutboxRelay
from servicekit.messaging.publisher import Publisher, create_publisher
from servicekit.messaging.topology import declare_exchanges, declare_queues, retry_delays
from servicekit.metrics import serve_metrics
from servicekit.settings import BaseSettings

log = logging.getLogger(__name__)

Worker = Callable[[threading.Event], None]


def build_relay(settings: BaseSettings, engine: Engine) -> OutboxRelay:
    messaging = settings.messaging
    publisher: Publisher = create_publisher(messaging.amqp_url, messaging.exchange)
    if tracing.configure(settings.service_name):
        publisher = tracing.TracedPublisher(publisher, settings.service_name)
    return OutboxRelay(
        engine,
        publisher,
        batch_size=messaging.outbox_batch_size,
        poll_interval=messaging.relay_poll_interval,
        max_backoff=messaging.relay_max_backoff,
        inbox_retention=timedelta(days=messaging.inbox_retention_days),
    )


def build_consumers(
    settings: BaseSettings, engine: Engine, subscriptions: Sequence[Subscription]
) -> list[InboxConsumer]:
    messaging = settings.messaging
    if tracing.configure(settings.service_name):
        subscriptions = [tracing.traced_subscription(subscription) for subscription in subscriptions]
    return [
        InboxConsumer(
            engine,
            subscription,
            amqp_url=messaging.amqp_url,
            exchange=messaging.exchange,
            queue_prefix=messaging.queue_prefix,
            max_delivery_attempts=messaging.max_delivery_attempts,
            batch_size=messaging.consumer_batch_size,
            max_backoff=messaging.relay_max_backoff,
            retry_delay=messaging.retry_delay,
            max_retry_delay=messaging.max_retry_delay,
        )
        for subscription in subscriptions
    ]


def declare_topology(settings: BaseSettings, subscriptions: Sequence[Subscription]) -> None:
    """Declare the exchange and this service's queues (part of the explicit migrate step)."""
    messaging = settings.messaging
    with Connection(messaging.amqp_url, connect_timeout=5) as connection:
        channel = connection.channel()
        declare_exchanges(channel, messaging.exchange)
        declare_queues(
            channel,
            [s.queue_spec for s in subscriptions],
            exchange=messaging.exchange,
            prefix=messaging.queue_prefix,
            retry_delays=retry_delays(
                messaging.max_delivery_attempts, messaging.retry_delay, messaging.max_retry_delay
            ),
            memory=messaging.is_memory,
        )


def run_workers(workers: Sequence[Worker], stop: threading.Event | None = None) -> None:
    """Run workers in threads until SIGTERM/SIGINT (or ``stop``), then stop them cleanly."""
    stop = stop or threading.Event()

    def _request_stop(signum: int, _frame: Any) -> None:
        log.info("stop requested", extra={"fields": {"signal": signum}})
        stop.set()

    if threading.current_thread() is threading.main_thread():
        signal.signal(signal.SIGTERM, _request_stop)
        signal.signal(signal.SIGINT, _request_stop)
    threads = [threading.Thread(target=worker, args=(stop,), daemon=True) for worker in workers]
    for thread in threads:
        thread.start()
    while not stop.is_set() and any(thread.is_alive() for thread in threads):
        stop.wait(0.5)
    stop.set()
    for thread in threads:
        thread.join(timeout=10)


def run_relay(settings: BaseSettings, engine: Engine) -> None:
    configure_logging(f"{settings.service_name}-relay", settings.log_level, settings.log_format)
    serve_metrics(settings.messaging.metrics_port)
    run_workers([build_relay(settings, engine).run])


def run_consumers(
    settings: BaseSettings,
    engine: Engine,
    subscriptions: Sequence[Subscription],
    background: Sequence[Worker] = (),
) -> None:
    """The consumer process: one worker per subscription, plus a service's periodic ``background`` work."""
    configure_logging(f"{settings.service_name}-consumer", settings.log_level, settings.log_format)
    serve_metrics(settings.messaging.metrics_port)
    if not subscriptions:
        log.info("this service subscribes to no events; consumer idles")
    workers: list[Worker] = [consumer.run for consumer in build_consumers(settings, engine, subscriptions)]
    run_workers([*workers, *background] or [_idle])


def _idle(stop: threading.Event) -> None:
    stop.wait()
