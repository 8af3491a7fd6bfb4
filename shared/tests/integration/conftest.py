"""Two services' databases on real PostgreSQL and a real RabbitMQ, with this run's own names.

The "producer" database holds an outbox; the "consumer" database holds an inbox and the effect a
handler applies (one row per order placed), so "exactly once" is a count of rows.
"""

from __future__ import annotations

import threading
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field

import pytest
from kombu import Connection
from sqlalchemy import Column, Engine, Integer, MetaData, String, Table, func, select
from sqlalchemy.orm import Session

from servicekit.db import UnitOfWork, create_db_engine, session_factory
from servicekit.messaging.consumer import InboxConsumer, Subscription
from servicekit.messaging.envelope import Envelope
from servicekit.messaging.outbox import OutboxRelay
from servicekit.messaging.publisher import ConfirmingPublisher
from servicekit.messaging.tables import INBOX_TABLE, OUTBOX_TABLE, messaging_tables
from servicekit.testing.servers import BrokerNamespace

producer_metadata = MetaData()
messaging_tables(producer_metadata)

consumer_metadata = MetaData()
messaging_tables(consumer_metadata)
effects = Table(
    "order_effect",
    consumer_metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("order_id", String(40), nullable=False),  # deliberately not unique: duplicates would show
)


@pytest.fixture(scope="session")
def producer_engine(database_factory) -> Iterator[Engine]:  # type: ignore[no-untyped-def]
    engine = create_db_engine(database_factory.create("kit_producer"))
    producer_metadata.create_all(engine)
    yield engine
    engine.dispose()


@pytest.fixture(scope="session")
def consumer_engine(database_factory) -> Iterator[Engine]:  # type: ignore[no-untyped-def]
    engine = create_db_engine(database_factory.create("kit_consumer"))
    consumer_metadata.create_all(engine)
    yield engine
    engine.dispose()


@pytest.fixture(autouse=True)
def _empty_tables(producer_engine: Engine, consumer_engine: Engine) -> Iterator[None]:
    yield
    with producer_engine.begin() as connection:
        connection.execute(OUTBOX_TABLE.delete())
    with consumer_engine.begin() as connection:
        connection.execute(INBOX_TABLE.delete())
        connection.execute(effects.delete())


@dataclass
class Flow:
    """One test's event type, queue and helpers around the two databases and the broker."""

    producer_engine: Engine
    consumer_engine: Engine
    broker: BrokerNamespace
    event_type: str = field(default_factory=lambda: f"kittest.order_{uuid.uuid4().hex[:8]}.placed")
    purpose: str = field(default_factory=lambda: f"orders_{uuid.uuid4().hex[:8]}")
    threads: list[tuple[threading.Event, threading.Thread]] = field(default_factory=list)

    def write_orders(self, order_ids: list[str], *, commit: bool = True) -> None:
        with UnitOfWork(session_factory(self.producer_engine), producer="kittest") as uow:
            for order_id in order_ids:
                uow.publish(self.event_type, {"order_id": order_id})
            if commit:
                uow.commit()

    def apply_order(self, envelope: Envelope, session: Session) -> None:
        session.execute(effects.insert().values(order_id=envelope.data["order_id"]))

    def subscription(self, handler: Callable[[Envelope, Session], None] | None = None) -> Subscription:
        return Subscription("kittest", self.purpose, {self.event_type: handler or self.apply_order})

    def consumer(self, handler=None, *, cls=InboxConsumer, max_attempts: int = 5, amqp_url: str | None = None):  # type: ignore[no-untyped-def]
        consumer = cls(
            self.consumer_engine,
            self.subscription(handler),
            amqp_url=amqp_url or self.broker.amqp_url,
            exchange=self.broker.exchange,
            queue_prefix=self.broker.queue_prefix,
            max_delivery_attempts=max_attempts,
            batch_size=50,
            max_backoff=0.5,
        )
        self.broker.declared_queues.update(
            {
                self.subscription().queue_spec.name(self.broker.queue_prefix),
                self.subscription().queue_spec.dead_letter_name(self.broker.queue_prefix),
            }
        )
        return consumer

    def relay(self, amqp_url: str | None = None) -> OutboxRelay:
        publisher = ConfirmingPublisher(amqp_url or self.broker.amqp_url, self.broker.exchange, confirm_timeout=5)
        return OutboxRelay(self.producer_engine, publisher, batch_size=100, poll_interval=0.02, max_backoff=0.2)

    def start(self, worker: Callable[..., None], *, wait_ready: bool = False) -> threading.Event:
        stop, ready = threading.Event(), threading.Event()
        args = (stop, ready) if wait_ready else (stop,)
        thread = threading.Thread(target=worker, args=args, daemon=True)
        thread.start()
        self.threads.append((stop, thread))
        if wait_ready:
            assert ready.wait(15), "consumer did not start"
        return stop

    def stop_all(self) -> None:
        for stop, _thread in self.threads:
            stop.set()
        for _, thread in self.threads:
            thread.join(timeout=15)

    def effect_counts(self) -> dict[str, int]:
        with self.consumer_engine.connect() as connection:
            rows = connection.execute(select(effects.c.order_id, func.count()).group_by(effects.c.order_id)).all()
        return {order_id: count for order_id, count in rows}

    def inbox_ids(self) -> set[str]:
        with self.consumer_engine.connect() as connection:
            return set(connection.execute(select(INBOX_TABLE.c.message_id)).scalars())

    def unsent(self) -> list[tuple[int, str | None]]:
        with self.producer_engine.connect() as connection:
            query = select(OUTBOX_TABLE.c.attempts, OUTBOX_TABLE.c.last_error).where(OUTBOX_TABLE.c.sent_at.is_(None))
            return [(row.attempts, row.last_error) for row in connection.execute(query)]

    def queue_depth(self, dead_letters: bool = False) -> int:
        spec = self.subscription().queue_spec
        name = spec.dead_letter_name(self.broker.queue_prefix) if dead_letters else spec.name(self.broker.queue_prefix)
        with Connection(self.broker.amqp_url) as connection:
            return int(connection.channel().queue_declare(name, passive=True).message_count)


@pytest.fixture
def flow(producer_engine: Engine, consumer_engine: Engine, broker_namespace: BrokerNamespace) -> Iterator[Flow]:
    active = Flow(producer_engine, consumer_engine, broker_namespace)
    yield active
    active.stop_all()
