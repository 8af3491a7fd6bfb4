"""Issue 8: crashes cost no attempt, refusals wait and are counted by the platform, counters move.

On real PostgreSQL and RabbitMQ. A consumer process killed (SIGKILL) while it holds a full prefetch
window returns every message to the queue: with the broker counting deliveries (a quorum queue's
delivery limit), a few kills in a row dead-lettered the whole window.
"""

from __future__ import annotations

import itertools
import multiprocessing
import socket
import threading
import time
import urllib.request
from typing import Any

from kombu import Connection
from prometheus_client import REGISTRY
from sqlalchemy import Engine
from sqlalchemy.orm import Session

from servicekit.messaging.consumer import InboxConsumer, lock_entities
from servicekit.messaging.envelope import Envelope
from servicekit.messaging.publisher import ConfirmingPublisher
from servicekit.metrics import serve_metrics
from servicekit.testing import wait_for

from .conftest import Flow
from .test_event_pipeline import _orders


class _Hoarder(InboxConsumer):
    """Takes its full prefetch window and never finishes a batch: it can only be killed."""

    def process_batch(self, messages, dead_letter, delay=None):  # type: ignore[no-untyped-def]
        time.sleep(3600)


def _hoard(flow: Flow, ready: Any) -> None:
    flow.consumer_engine.dispose(close=False)  # fresh connections in the child process
    flow.consumer(cls=_Hoarder, max_attempts=3).run(threading.Event(), ready)


def ready_and_consumers(flow: Flow) -> tuple[int, int]:
    name = flow.subscription().queue_spec.name(flow.broker.queue_prefix)
    with Connection(flow.broker.amqp_url) as connection:
        declared = connection.channel().queue_declare(name, passive=True)
    return int(declared.message_count), int(declared.consumer_count)


def test_a_consumer_killed_seven_times_holding_a_full_prefetch_window_dead_letters_nothing(flow: Flow) -> None:
    orders = _orders(250)
    flow.consumer()  # declares the queue names for clean-up
    context = multiprocessing.get_context("fork")
    window = 50 * 2  # the flow's consumers take batches of 50, prefetch twice that
    for kill in range(7):
        ready = context.Event()
        child = context.Process(target=_hoard, args=(flow, ready), daemon=True)
        child.start()
        assert ready.wait(30), "the child consumer did not start"
        if kill == 0:  # the queue exists now: publish once
            flow.write_orders(orders)
            relay = flow.relay()
            assert sum(relay.relay_once() for _ in range(3)) == 250  # batches of 100
        wait_for(lambda: ready_and_consumers(flow)[0] == 250 - window, timeout=20, message="a full window held")
        child.kill()  # SIGKILL while holding the window: nothing acked, nothing rejected
        child.join(timeout=10)
        wait_for(lambda: ready_and_consumers(flow) == (250, 0), timeout=20, message="the window back in the queue")
    assert flow.queue_depth(dead_letters=True) == 0
    flow.start(flow.consumer(max_attempts=3).run, wait_ready=True)
    wait_for(lambda: flow.queue_depth() == 0 and len(flow.effect_counts()) == 250, timeout=30, message="all applied")
    assert flow.effect_counts() == {order: 1 for order in orders}  # every message applied once
    assert flow.queue_depth(dead_letters=True) == 0


def test_a_refused_message_waits_growing_delays_counted_by_the_platform_then_is_dead_lettered(flow: Flow) -> None:
    seen: list[float] = []

    def refuse(envelope: Envelope, session: Session) -> None:
        seen.append(time.monotonic())
        raise LookupError("what this event needs is not there")

    consumer = flow.consumer(refuse, max_attempts=3)
    consumer.retry_delays = (0.5, 1.0)  # as RETRY_DELAY=0.5 would declare them
    flow.start(consumer.run, wait_ready=True)
    flow.write_orders(["order-refused"])
    assert flow.relay().relay_once() == 1
    wait_for(lambda: flow.queue_depth(dead_letters=True) == 1, timeout=20, message="dead-lettered after 3 refusals")
    # three attempts, each a run in the batch and one in its savepoint: no more, no fewer
    assert len(seen) == 6
    gaps = [later - earlier for earlier, later in itertools.pairwise(seen[::2])]
    assert gaps[0] >= 0.45 and gaps[1] >= 0.95  # each retry waited in its delay queue, longer each time
    assert flow.effect_counts() == {}


def test_metrics_count_handled_duplicates_and_retries_and_are_served_over_http(flow: Flow) -> None:
    labels = (flow.subscription().queue_spec.name(), flow.event_type)

    def value(outcome: str) -> float:
        sample = {"queue": labels[0], "event_type": labels[1], "outcome": outcome}
        return REGISTRY.get_sample_value("zcp_messages_total", sample) or 0.0

    flow.start(flow.consumer().run, wait_ready=True)
    envelope = Envelope.new(type=flow.event_type, data={"order_id": "order-m"}, producer="kittest")
    publisher = ConfirmingPublisher(flow.broker.amqp_url, flow.broker.exchange)
    publisher.publish_batch([(envelope.type, envelope.to_json())] * 2)
    publisher.close()
    wait_for(lambda: value("handled") == 1 and value("duplicate") == 1, message="handled once, skipped once")
    port = free_port()
    serve_metrics(port)
    page = urllib.request.urlopen(f"http://127.0.0.1:{port}/metrics", timeout=5).read().decode()
    line = f'zcp_messages_total{{event_type="{flow.event_type}",outcome="duplicate",queue="{labels[0]}"}} 1.0'
    assert line in page
    assert "zcp_handler_seconds_bucket" in page and "zcp_outbox_waiting" in page


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def test_entities_another_consumer_holds_are_left_for_the_next_transaction_not_waited_for(
    consumer_engine: Engine,
) -> None:
    with Session(consumer_engine) as first, first.begin():
        assert lock_entities(first, ["institution_id:a", "institution_id:b"]) == {
            "institution_id:a",
            "institution_id:b",
        }
        with Session(consumer_engine) as second, second.begin():
            assert lock_entities(second, ["institution_id:a", "institution_id:c"]) == {"institution_id:c"}
    with Session(consumer_engine) as third, third.begin():  # committed: free again
        assert lock_entities(third, ["institution_id:a"]) == {"institution_id:a"}


def test_a_queue_left_by_an_older_version_with_a_delivery_limit_is_used_as_it_is(flow: Flow) -> None:
    spec = flow.subscription().queue_spec
    legacy = {
        "x-queue-type": "quorum",
        "x-delivery-limit": 5,
        "x-dead-letter-exchange": f"{flow.broker.exchange}.dlx",
        "x-dead-letter-routing-key": spec.dead_letter_name(flow.broker.queue_prefix),
    }
    with Connection(flow.broker.amqp_url) as connection:
        channel = connection.channel()
        channel.queue_declare(spec.name(flow.broker.queue_prefix), durable=True, auto_delete=False, arguments=legacy)
    flow.start(flow.consumer().run, wait_ready=True)  # declares with other arguments: warns, goes on
    flow.write_orders(["order-legacy"])
    assert flow.relay().relay_once() == 1
    wait_for(lambda: flow.effect_counts() == {"order-legacy": 1}, message="applied through the old queue")
