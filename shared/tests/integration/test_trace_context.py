"""Issue 14: the W3C trace context crosses PostgreSQL and RabbitMQ with the event, on the real servers.

A request's span writes outbox rows (its context stored with them); the relay's publish spans are its
children and send their own context as AMQP headers; each handler's span is a child of its message's
publish span, also after a refusal sent the message through a delay queue. A message published
without the headers (as before this change) is still handled, in its correlation id's trace.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterator

import pytest
from opentelemetry.sdk.trace import ReadableSpan
from opentelemetry.sdk.trace.export.in_memory_span_exporter import InMemorySpanExporter
from opentelemetry.trace import SpanKind
from sqlalchemy.orm import Session

from servicekit import tracing
from servicekit.correlation import correlation_scope
from servicekit.messaging.envelope import Envelope
from servicekit.messaging.publisher import ConfirmingPublisher
from servicekit.testing import wait_for
from servicekit.testing.tracing import recorded_spans

from .conftest import Flow


@pytest.fixture
def spans() -> Iterator[InMemorySpanExporter]:
    with recorded_spans() as exporter:
        yield exporter


def of_kind(exporter: InMemorySpanExporter, kind: SpanKind) -> list[ReadableSpan]:
    return [span for span in exporter.get_finished_spans() if span.kind is kind]


def test_the_handler_span_is_a_child_of_the_publish_span_of_the_request_that_wrote_the_event(
    flow: Flow, spans: InMemorySpanExporter
) -> None:
    refused: set[str] = set()

    def refuse_once(envelope: Envelope, session: Session) -> None:
        if envelope.data["order_id"].endswith("-a") and envelope.id not in refused:
            refused.add(envelope.id)
            raise ValueError("not yet")  # back through a delay queue, headers and all
        flow.apply_order(envelope, session)

    subscription = tracing.traced_subscription(flow.subscription(refuse_once))
    consumer = flow.consumer()
    consumer.subscription = subscription
    flow.start(consumer.run, wait_ready=True)
    request_id = uuid.uuid4().hex
    with correlation_scope(request_id), tracing.span("POST /orders", request_id, SpanKind.SERVER) as request:
        flow.write_orders(["order-a", "order-b"])
    relay = flow.relay()
    relay.publisher = tracing.TracedPublisher(relay.publisher, "kittest")
    flow.start(relay.run)
    wait_for(lambda: flow.effect_counts() == {"order-a": 1, "order-b": 1}, timeout=30, message="both applied")
    wait_for(lambda: len(of_kind(spans, SpanKind.CONSUMER)) == 3, message="three handler calls (one refused)")

    publishes = of_kind(spans, SpanKind.PRODUCER)
    assert [p.parent.span_id for p in publishes] == [request.get_span_context().span_id] * 2
    publish_of = {p.attributes["messaging.message.id"]: p.context.span_id for p in publishes}
    handlers = of_kind(spans, SpanKind.CONSUMER)
    assert {h.context.trace_id for h in handlers} == {request.get_span_context().trace_id}
    for handled in handlers:
        assert handled.parent.span_id == publish_of[handled.attributes["messaging.message.id"]]
    assert len(refused) == 1


def test_a_message_without_trace_headers_is_handled_in_its_correlation_ids_trace(
    flow: Flow, spans: InMemorySpanExporter
) -> None:
    consumer = flow.consumer()
    consumer.subscription = tracing.traced_subscription(flow.subscription())
    flow.start(consumer.run, wait_ready=True)
    old = Envelope.new(type=flow.event_type, data={"order_id": "order-old"}, producer="kittest", correlation_id="r-1")
    publisher = ConfirmingPublisher(flow.broker.amqp_url, flow.broker.exchange)
    publisher.publish_batch([(old.type, old.to_json())])  # as every message before issue 14
    publisher.close()
    wait_for(lambda: flow.effect_counts() == {"order-old": 1}, message="the old message applied")
    (handled,) = wait_for(lambda: of_kind(spans, SpanKind.CONSUMER), message="its handler span")
    assert handled.context.trace_id == tracing.trace_id_for("r-1")
