"""Event pipeline throughput: outbox -> RabbitMQ -> consumer with inbox, on PostgreSQL.

Printed next to a bare kombu publish + consume loop without confirms, measured in the same run on
the same broker, as a ratio. Target: the pipeline reaches at least 25% of the bare loop.

Then the drain rate of one queue filled beforehand, emptied by 1 and by 3 consumer processes (events
of 1,000 entities, so the processes contend for the same entities' locks as real ones do). Target:
3 processes are not slower than 1.

Run: ``make bench-bus`` (env BENCH_POSTGRES_URL, BENCH_AMQP_URL, BENCH_MESSAGES, BENCH_DRAIN_MESSAGES).
"""

from __future__ import annotations

import contextlib
import multiprocessing
import os
import threading
import time
import uuid

import sqlalchemy as sa
from kombu import Connection, Consumer, Exchange, Producer, Queue
from sqlalchemy import Column, Integer, MetaData, String, Table, func, select
from sqlalchemy.orm import Session

from servicekit.db import create_db_engine
from servicekit.messaging import outbox
from servicekit.messaging.consumer import InboxConsumer, Subscription
from servicekit.messaging.envelope import Envelope
from servicekit.messaging.outbox import OutboxRelay
from servicekit.messaging.publisher import ConfirmingPublisher
from servicekit.messaging.tables import messaging_tables
from servicekit.messaging.topology import retry_queue_name

POSTGRES = os.environ.get("BENCH_POSTGRES_URL", "postgresql://postgres@127.0.0.1:5432/postgres")
AMQP = os.environ.get("BENCH_AMQP_URL", "amqp://guest:guest@127.0.0.1:5672//")
MESSAGES = int(os.environ.get("BENCH_MESSAGES", "20000"))
DRAIN_MESSAGES = int(os.environ.get("BENCH_DRAIN_MESSAGES", "8000"))
RUN = uuid.uuid4().hex[:8]


def bare_loop(n: int) -> float:
    """kombu publish (no confirms) and a concurrent kombu consumer acking each message."""
    exchange = Exchange(f"bench.{RUN}.bare", type="topic", durable=True)
    queue = Queue(f"bench.{RUN}.bare", exchange=exchange, routing_key="bench.#", durable=True)
    body = Envelope.new(type="bench.order.placed", data={"order_id": "x"}, producer="bench").to_json()
    received = 0
    done = threading.Event()

    def consume() -> None:
        nonlocal received
        with Connection(AMQP) as connection:
            channel = connection.channel()
            channel.basic_qos(0, 400, False)

            def on_message(message):  # type: ignore[no-untyped-def]
                nonlocal received
                message.ack()
                received += 1
                if received >= n:
                    done.set()

            with Consumer(channel, queues=[queue], on_message=on_message, accept=["json"]):
                ready.set()
                while not done.is_set():
                    with contextlib.suppress(TimeoutError):
                        connection.drain_events(timeout=1)

    ready = threading.Event()
    with Connection(AMQP) as connection:
        queue(connection.channel()).declare()
    thread = threading.Thread(target=consume, daemon=True)
    thread.start()
    ready.wait(10)
    started = time.perf_counter()
    with Connection(AMQP) as connection:
        producer = Producer(connection.channel(), exchange=exchange)
        for _ in range(n):
            producer.publish(
                body, routing_key="bench.order.placed", content_type="application/json", content_encoding="utf-8"
            )
    done.wait(300)
    elapsed = time.perf_counter() - started
    with Connection(AMQP) as connection:
        channel = connection.channel()
        channel.queue_delete(queue.name)
        channel.exchange_delete(exchange.name)
    return n / elapsed


def _admin() -> sa.Engine:
    return sa.create_engine(POSTGRES.replace("postgresql://", "postgresql+psycopg://", 1), isolation_level="AUTOCOMMIT")


def _database_url(name: str) -> str:
    base = sa.engine.make_url(POSTGRES.replace("postgresql://", "postgresql+psycopg://", 1))
    return base.set(database=name).render_as_string(hide_password=False)


def pipeline(n: int) -> tuple[float, int]:
    admin = _admin()
    names = [f"bench_{RUN}_producer", f"bench_{RUN}_consumer"]
    with admin.connect() as connection:
        for name in names:
            connection.execute(sa.text(f'CREATE DATABASE "{name}"'))
    base = sa.engine.make_url(POSTGRES.replace("postgresql://", "postgresql+psycopg://", 1))
    producer_engine = create_db_engine(base.set(database=names[0]).render_as_string(hide_password=False))
    consumer_engine = create_db_engine(base.set(database=names[1]).render_as_string(hide_password=False))
    producer_meta, consumer_meta = MetaData(), MetaData()
    messaging_tables(producer_meta)
    messaging_tables(consumer_meta)
    effect = Table("effect", consumer_meta, Column("id", Integer, primary_key=True), Column("order_id", String(40)))
    producer_meta.create_all(producer_engine)
    consumer_meta.create_all(consumer_engine)
    exchange = f"bench.{RUN}.events"
    event_type = "bench.order.placed"
    try:
        with Session(producer_engine) as session, session.begin():  # written before timing starts
            for start in range(0, n, 1000):
                outbox.add_many(
                    session,
                    [
                        Envelope.new(type=event_type, data={"order_id": str(i)}, producer="bench")
                        for i in range(start, min(n, start + 1000))
                    ],
                )

        def apply(envelope: Envelope, session: Session) -> None:
            session.execute(effect.insert().values(order_id=envelope.data["order_id"]))

        subscription = Subscription("bench", f"pipeline_{RUN}", {event_type: apply})
        consumer = InboxConsumer(
            consumer_engine,
            subscription,
            amqp_url=AMQP,
            exchange=exchange,
            queue_prefix=f"bench.{RUN}.",
            batch_size=200,
        )
        stop, ready = threading.Event(), threading.Event()
        threads = [threading.Thread(target=consumer.run, args=(stop, ready), daemon=True)]
        threads[0].start()
        ready.wait(10)
        relay = OutboxRelay(producer_engine, ConfirmingPublisher(AMQP, exchange), batch_size=500, poll_interval=0.01)
        started = time.perf_counter()
        threads.append(threading.Thread(target=relay.run, args=(stop,), daemon=True))
        threads[1].start()
        count = 0
        deadline = time.monotonic() + 600
        while count < n and time.monotonic() < deadline:
            with consumer_engine.connect() as connection:
                count = connection.execute(select(func.count()).select_from(effect)).scalar_one()
            time.sleep(0.02)
        elapsed = time.perf_counter() - started
        stop.set()
        for thread in threads:
            thread.join(10)
        with Connection(AMQP) as connection:
            channel = connection.channel()
            spec = subscription.queue_spec
            channel.queue_delete(spec.name(f"bench.{RUN}."))
            channel.queue_delete(spec.dead_letter_name(f"bench.{RUN}."))
            channel.exchange_delete(exchange)
            channel.exchange_delete(f"{exchange}.dlx")
        return count / elapsed, count
    finally:
        producer_engine.dispose()
        consumer_engine.dispose()
        with admin.connect() as connection:
            for name in names:
                connection.execute(sa.text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))


DRAIN_EVENT = "bench.account.changed"


def _drain_consumer(database: str, purpose: str) -> InboxConsumer:
    metadata = MetaData()
    effect = Table("effect", metadata, Column("id", Integer, primary_key=True), Column("account_id", String(40)))

    def apply(envelope: Envelope, session: Session) -> None:
        session.execute(effect.insert().values(account_id=envelope.data["account_id"]))

    return InboxConsumer(
        create_db_engine(_database_url(database)),
        Subscription("bench", purpose, {DRAIN_EVENT: apply}),
        amqp_url=AMQP,
        exchange=f"bench.{RUN}.events",
        queue_prefix=f"bench.{RUN}.",
        batch_size=200,
    )


def _run_drain_consumer(database: str, purpose: str) -> None:
    _drain_consumer(database, purpose).run(threading.Event())


def drain(n: int, processes: int) -> float:
    """Fill a queue with ``n`` events of 1,000 entities, then time ``processes`` consumer processes emptying it."""
    database, purpose = f"bench_{RUN}_drain{processes}", f"drain{processes}_{RUN}"
    with _admin().connect() as connection:
        connection.execute(sa.text(f'CREATE DATABASE "{database}"'))
    metadata = MetaData()
    messaging_tables(metadata)
    effect = Table("effect", metadata, Column("id", Integer, primary_key=True), Column("account_id", String(40)))
    engine = create_db_engine(_database_url(database))
    metadata.create_all(engine)
    consumer = _drain_consumer(database, purpose)
    spec = consumer.subscription.queue_spec
    try:
        with Connection(AMQP) as connection:
            consumer._declare(connection.channel(), spec)
        publisher = ConfirmingPublisher(AMQP, consumer.exchange)
        for start in range(0, n, 500):
            batch = [
                Envelope.new(type=DRAIN_EVENT, data={"account_id": str(i % 1000)}, producer="bench").to_json()
                for i in range(start, min(n, start + 500))
            ]
            publisher.publish_batch([(DRAIN_EVENT, body) for body in batch])
        publisher.close()
        context = multiprocessing.get_context("fork")
        started = time.perf_counter()
        children = [
            context.Process(target=_run_drain_consumer, args=(database, purpose), daemon=True) for _ in range(processes)
        ]
        for child in children:
            child.start()
        count, deadline = 0, time.monotonic() + 600
        while count < n and time.monotonic() < deadline:
            with engine.connect() as connection:
                count = connection.execute(select(func.count()).select_from(effect)).scalar_one()
            time.sleep(0.05)
        elapsed = time.perf_counter() - started
        for child in children:
            child.kill()
            child.join(10)
        return count / elapsed
    finally:
        engine.dispose()
        with Connection(AMQP) as connection:
            channel = connection.channel()
            for name in [spec.name(consumer.queue_prefix), spec.dead_letter_name(consumer.queue_prefix)] + [
                retry_queue_name(spec, consumer.queue_prefix, seconds) for seconds in set(consumer.retry_delays)
            ]:
                channel.queue_delete(name)
        with _admin().connect() as connection:
            connection.execute(sa.text(f'DROP DATABASE IF EXISTS "{database}" WITH (FORCE)'))


def main() -> None:
    print(f"messages: {MESSAGES}")
    bare = bare_loop(MESSAGES)
    print(f"bare kombu publish+consume, no confirms : {bare:10.0f} msg/s")
    rate, delivered = pipeline(MESSAGES)
    print(
        f"outbox -> confirms -> inbox (PostgreSQL) : {rate:10.0f} msg/s  ({delivered}/{MESSAGES} applied exactly once)"
    )
    ratio = rate / bare
    print(
        f"ratio pipeline / bare                    : {ratio:10.2f}  (target >= 0.25: {'met' if ratio >= 0.25 else 'NOT met'})"
    )
    print(f"drain of one queue, {DRAIN_MESSAGES} events of 1,000 entities:")
    one = drain(DRAIN_MESSAGES, 1)
    print(f"  1 consumer process                     : {one:10.0f} msg/s")
    three = drain(DRAIN_MESSAGES, 3)
    print(f"  3 consumer processes                   : {three:10.0f} msg/s")
    verdict = "met" if three >= one else "NOT met"
    print(f"ratio 3 / 1 processes                    : {three / one:10.2f}  (target >= 1.0: {verdict})")


if __name__ == "__main__":
    main()
