"""Outbox -> RabbitMQ -> inbox, on real PostgreSQL and RabbitMQ: exactly once, whatever goes wrong."""

from __future__ import annotations

import multiprocessing
import os
import threading
import uuid
from typing import Any

from kombu import Connection
from sqlalchemy.orm import Session

from servicekit.messaging.consumer import InboxConsumer
from servicekit.messaging.deadletters import DeadLetterQueue
from servicekit.messaging.envelope import Envelope
from servicekit.messaging.publisher import ConfirmingPublisher, PublishError
from servicekit.testing import wait_for
from servicekit.testing.tcpproxy import TcpProxy

from .conftest import Flow, effects


def _orders(n: int) -> list[str]:
    return [f"order-{uuid.uuid4().hex[:8]}" for _ in range(n)]


def test_a_rolled_back_business_transaction_leaves_no_outbox_row(flow: Flow) -> None:
    flow.write_orders(_orders(3), commit=False)
    assert flow.unsent() == []


def test_an_event_written_in_one_service_takes_effect_once_in_another(flow: Flow) -> None:
    orders = _orders(25)
    flow.start(flow.consumer().run, wait_ready=True)
    flow.write_orders(orders)
    flow.start(flow.relay().run)
    wait_for(lambda: len(flow.effect_counts()) == 25, message="all orders applied")
    wait_for(lambda: flow.queue_depth() == 0, message="queue drained")
    wait_for(lambda: flow.unsent() == [], message="outbox rows marked sent")
    assert flow.effect_counts() == {order: 1 for order in orders}


def test_broker_unreachable_at_write_time_then_back_delivers_exactly_once(flow: Flow) -> None:
    proxy = TcpProxy("127.0.0.1", 5672)
    try:
        flow.start(flow.consumer().run, wait_ready=True)
        proxy.cut()
        orders = _orders(10)
        flow.write_orders(orders)  # the business transaction does not need the broker
        relay = flow.relay(amqp_url=f"amqp://guest:guest@127.0.0.1:{proxy.port}//")
        assert relay.relay_once() == 0
        unsent = flow.unsent()
        assert len(unsent) == 10 and all(attempts == 1 and error for attempts, error in unsent)
        assert flow.effect_counts() == {}
        proxy.restore()
        flow.start(relay.run)
        wait_for(lambda: len(flow.effect_counts()) == 10, timeout=15, message="orders applied after broker came back")
        # the relay marks rows sent after the broker's confirms: possibly after the consumer applied them
        wait_for(lambda: flow.unsent() == [], timeout=15, message="outbox rows marked sent")
        assert flow.effect_counts() == {order: 1 for order in orders}
    finally:
        proxy.close()


def test_the_same_message_delivered_twice_takes_effect_once(flow: Flow) -> None:
    flow.start(flow.consumer().run, wait_ready=True)
    envelope = Envelope.new(type=flow.event_type, data={"order_id": "order-dup"}, producer="kittest")
    publisher = ConfirmingPublisher(flow.broker.amqp_url, flow.broker.exchange)
    publisher.publish_batch([(envelope.type, envelope.to_json())])
    publisher.publish_batch([(envelope.type, envelope.to_json())])
    publisher.close()
    wait_for(lambda: flow.queue_depth() == 0 and flow.effect_counts(), message="both deliveries handled")
    assert flow.effect_counts() == {"order-dup": 1}
    assert flow.inbox_ids() == {envelope.id}


class _DiesBeforeAcking(InboxConsumer):
    def after_commit(self, messages):  # type: ignore[no-untyped-def]
        os._exit(17)  # the process dies: effects committed, nothing acked


def _run_dying_consumer(flow: Flow, ready: Any) -> None:
    flow.consumer_engine.dispose(close=False)  # fresh connections in the child process
    flow.consumer(cls=_DiesBeforeAcking).run(threading.Event(), ready)


def test_a_consumer_that_dies_before_acking_is_redelivered_without_a_second_effect(flow: Flow) -> None:
    orders = _orders(5)
    flow.consumer()  # declare names for clean-up
    context = multiprocessing.get_context("fork")
    ready = context.Event()
    # daemon: a child that outlives a failed assertion must not keep pytest from exiting
    child = context.Process(target=_run_dying_consumer, args=(flow, ready), daemon=True)
    child.start()
    try:
        # publish only once the child's queue exists, or the messages would be unroutable
        assert ready.wait(30), "the child consumer did not start"
        flow.write_orders(orders)
        assert flow.relay().relay_once() == 5
        child.join(timeout=30)
        assert child.exitcode == 17
    finally:
        if child.is_alive():
            child.kill()
            child.join(timeout=10)
    assert flow.effect_counts() == {order: 1 for order in orders}  # applied, but never acked
    wait_for(lambda: flow.queue_depth() == 5, message="unacked messages back in the queue")
    flow.start(flow.consumer().run, wait_ready=True)
    wait_for(lambda: flow.queue_depth() == 0, message="redeliveries acked")
    assert flow.effect_counts() == {order: 1 for order in orders}


class _CountingAttempts(InboxConsumer):
    """Records the broker's delivery number of every failed delivery."""

    seen: list[int]

    def attempt_number(self, message):  # type: ignore[no-untyped-def]
        number = super().attempt_number(message)
        self.seen.append(number)
        return number


def test_a_handler_that_always_fails_is_dead_lettered_after_n_tries_then_listed_and_replayed(flow: Flow) -> None:
    broken = threading.Event()
    broken.set()

    def flaky(envelope: Envelope, session: Session) -> None:
        session.execute(effects.insert().values(order_id=envelope.data["order_id"]))  # partial effect...
        if broken.is_set():
            raise RuntimeError("downstream rule rejects this order")  # ...rolled back with the savepoint

    consumer = flow.consumer(flaky, cls=_CountingAttempts, max_attempts=3)
    consumer.seen = []
    flow.start(consumer.run, wait_ready=True)
    flow.write_orders(["order-poison"])
    assert flow.relay().relay_once() == 1
    wait_for(lambda: flow.queue_depth(dead_letters=True) == 1, timeout=15, message="message dead-lettered")
    assert consumer.seen == [1, 2, 3]  # three deliveries, then the dead-letter queue
    assert flow.effect_counts() == {}  # no partial effect
    assert flow.inbox_ids() == set()  # no inbox row

    spec = flow.subscription().queue_spec
    letters = DeadLetterQueue(
        flow.broker.amqp_url, spec.name(flow.broker.queue_prefix), spec.dead_letter_name(flow.broker.queue_prefix)
    )
    listed = letters.list()
    assert [letter.event_type for letter in listed] == [flow.event_type]
    assert flow.queue_depth(dead_letters=True) == 1  # listing takes nothing away

    broken.clear()
    assert letters.replay({listed[0].message_id or ""}) == 1
    wait_for(lambda: flow.effect_counts() == {"order-poison": 1}, message="replayed message applied")
    assert flow.queue_depth(dead_letters=True) == 0
    assert flow.inbox_ids() == {listed[0].message_id}


def test_a_failed_handler_leaves_no_inbox_row_and_its_batch_neighbours_commit(flow: Flow) -> None:
    def picky(envelope: Envelope, session: Session) -> None:
        session.execute(effects.insert().values(order_id=envelope.data["order_id"]))
        if envelope.data["order_id"].startswith("bad"):
            raise ValueError("refused")

    flow.start(flow.consumer(picky, max_attempts=2).run, wait_ready=True)
    flow.write_orders(["good-1", "bad-1", "good-2"])
    assert flow.relay().relay_once() == 3
    wait_for(lambda: flow.queue_depth(dead_letters=True) == 1, timeout=15, message="bad order dead-lettered")
    assert flow.effect_counts() == {"good-1": 1, "good-2": 1}
    assert len(flow.inbox_ids()) == 2


def test_publisher_reports_an_unreachable_broker_instead_of_losing_messages() -> None:
    publisher = ConfirmingPublisher("amqp://guest:guest@127.0.0.1:1//", "nowhere")
    try:
        publisher.publish_batch([("a.b.c", "{}")])
    except PublishError as exc:
        assert "unreachable" in str(exc)
    else:  # pragma: no cover - the assertion below explains
        raise AssertionError("publishing to a closed port must raise PublishError")


def test_queues_are_quorum_queues_with_a_dead_letter_queue(flow: Flow, broker_namespace) -> None:  # type: ignore[no-untyped-def]
    flow.start(flow.consumer().run, wait_ready=True)
    spec = flow.subscription().queue_spec
    with Connection(broker_namespace.amqp_url) as connection:
        channel = connection.channel()
        assert channel.queue_declare(spec.name(broker_namespace.queue_prefix), passive=True)
        assert channel.queue_declare(spec.dead_letter_name(broker_namespace.queue_prefix), passive=True)
