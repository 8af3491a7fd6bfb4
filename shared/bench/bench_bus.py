"""Event pipeline throughput: outbox -> RabbitMQ -> consumer with inbox, on PostgreSQL.

Printed next to a bare kombu publish + consume loop without confirms, measured in the same run on
the same broker, as a ratio. Target: the pipeline reaches at least 25% of the bare loop.

Run: ``make bench-bus`` (env BENCH_POSTGRES_URL, BENCH_AMQP_URL, BENCH_MESSAGES).
"""

from __future__ import annotations

import contextlib
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

POSTGRES = os.environ.get("BENCH_POSTGRES_URL", "postgresql://postgres@127.0.0.1:5432/postgres")
AMQP = os.environ.get("BENCH_AMQP_URL", "amqp://guest:guest@127.0.0.1:5672//")
MESSAGES = int(os.environ.get("BENCH_MESSAGES", "20000"))
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


def pipeline(n: int) -> tuple[float, int]:
    admin = sa.create_engine(
        POSTGRES.replace("postgresql://", "postgresql+psycopg://", 1), isolation_level="AUTOCOMMIT"
    )
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


if __name__ == "__main__":
    main()
