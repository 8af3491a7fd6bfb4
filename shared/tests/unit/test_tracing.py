"""servicekit.tracing: off without an endpoint; on, the W3C trace context travels from the span that
writes an outbox row, through the relay's publish (AMQP ``traceparent``/``tracestate`` headers), to each
handler's span; without it, spans fall back to the trace their correlation id names (issue 14, Must
show 3; the whole path: deploy/tests/test_tracing.py and tests-e2e/test_tracing_through_gateway.py)."""

from __future__ import annotations

import json
from collections.abc import Iterator, Mapping, Sequence
from typing import Any

import pytest
from opentelemetry.sdk.trace.export.in_memory_span_exporter import InMemorySpanExporter
from opentelemetry.trace import SpanKind, StatusCode
from sqlalchemy import create_engine, select

from servicekit import tracing
from servicekit.messaging import outbox
from servicekit.messaging.consumer import InboxConsumer, Subscription
from servicekit.messaging.envelope import Envelope
from servicekit.messaging.publisher import PublishError, _amqp_message
from servicekit.messaging.tables import OUTBOX_TABLE
from servicekit.testing.tracing import recorded_spans

REQUEST_ID = "0af7651916cd43dd8448eb211c80319c"


@pytest.fixture
def spans() -> Iterator[InMemorySpanExporter]:
    with recorded_spans() as exporter:
        yield exporter


#: a W3C context from elsewhere (the spec's example), with a vendor's tracestate
UPSTREAM_TRACE = "4bf92f3577b34da6a3ce929d0e0e4736"
UPSTREAM = {"traceparent": f"00-{UPSTREAM_TRACE}-00f067aa0ba902b7-01", "tracestate": "zcp=1"}


class FakePublisher:
    def __init__(self, fail: bool = False) -> None:
        self.sent: list[tuple[str, str]] = []
        self.headers: list[Mapping[str, Any] | None] = []
        self.fail = fail

    def publish_batch(
        self, messages: list[tuple[str, str]], headers: Sequence[Mapping[str, Any] | None] | None = None
    ) -> None:
        if self.fail:
            raise PublishError("broker gone")
        self.sent.extend(messages)
        self.headers.extend(headers if headers is not None else [None] * len(messages))

    def close(self) -> None:
        pass


def envelope(correlation_id: str = REQUEST_ID) -> Envelope:
    return Envelope.new(
        type="catalogue.institution.changed",
        data={"institution_id": "i1"},
        producer="catalogue",
        correlation_id=correlation_id,
    )


def test_tracing_is_off_without_an_endpoint_and_then_nothing_is_recorded() -> None:
    assert tracing.configure("catalogue", {}) is False and not tracing.enabled()
    with tracing.span("x", REQUEST_ID, SpanKind.INTERNAL) as current:
        assert current is None


def test_a_request_id_is_the_trace_id_and_any_other_correlation_id_maps_to_a_stable_one() -> None:
    assert tracing.trace_id_for(REQUEST_ID) == int(REQUEST_ID, 16)
    assert tracing.trace_id_for("7d4c9b1e-0f2a-4c1b-9d3e-5a6b7c8d9e0f") == int("7d4c9b1e0f2a4c1b9d3e5a6b7c8d9e0f", 16)
    assert (
        tracing.trace_id_for("client:abc") == tracing.trace_id_for("client:abc") != tracing.trace_id_for("client:abd")
    )


def test_the_relay_publishes_each_message_in_a_producer_span_of_its_trace(spans: InMemorySpanExporter) -> None:
    inner = FakePublisher()
    first, second = envelope(), envelope("another-request")
    messages = [(first.type, first.to_json()), (second.type, second.to_json())]
    tracing.TracedPublisher(inner, "catalogue").publish_batch(messages)
    assert inner.sent == messages, "the messages go out unchanged"
    finished = spans.get_finished_spans()
    assert [s.kind for s in finished] == [SpanKind.PRODUCER, SpanKind.PRODUCER]
    assert {s.context.trace_id for s in finished} == {int(REQUEST_ID, 16), tracing.trace_id_for("another-request")}
    assert {s.attributes["messaging.message.id"] for s in finished} == {first.id, second.id}


def test_a_failed_publish_ends_its_spans_as_errors_and_still_raises(spans: InMemorySpanExporter) -> None:
    message = envelope()
    with pytest.raises(PublishError):
        tracing.TracedPublisher(FakePublisher(fail=True), "catalogue").publish_batch(
            [(message.type, message.to_json())]
        )
    (failed,) = spans.get_finished_spans()
    assert failed.status.status_code is StatusCode.ERROR


def test_each_handler_call_is_a_consumer_span_of_the_events_trace(spans: InMemorySpanExporter) -> None:
    seen: list[Any] = []
    subscription = Subscription(
        "contracting", "catalogue", {"catalogue.institution.changed": lambda e, s: seen.append(e)}
    )
    traced = tracing.traced_subscription(subscription)
    assert traced.queue_spec == subscription.queue_spec, "the same queue and bindings"
    event = envelope()
    traced.handlers[event.type](event, None)
    assert seen == [event]
    (handled,) = spans.get_finished_spans()
    assert handled.kind is SpanKind.CONSUMER and handled.context.trace_id == int(REQUEST_ID, 16)
    assert handled.attributes["zcp.handler"] == "contracting.catalogue:catalogue.institution.changed"


def test_a_handler_that_fails_raises_as_before_and_its_span_says_so(spans: InMemorySpanExporter) -> None:
    def broken(_envelope: Envelope, _session: Any) -> None:
        raise ValueError("bad data")

    traced = tracing.traced_subscription(
        Subscription("contracting", "catalogue", {"catalogue.institution.changed": broken})
    )
    with pytest.raises(ValueError, match="bad data"):
        traced.handlers["catalogue.institution.changed"](envelope(), None)
    (failed,) = spans.get_finished_spans()
    assert failed.status.status_code is StatusCode.ERROR


def test_the_publish_span_continues_the_stored_context_and_sends_its_own_as_headers(
    spans: InMemorySpanExporter,
) -> None:
    inner = FakePublisher()
    stored, old = envelope(), envelope("an-older-request")
    messages = [(stored.type, stored.to_json()), (old.type, old.to_json())]
    tracing.TracedPublisher(inner, "catalogue").publish_batch(messages, [UPSTREAM, None])
    assert inner.sent == messages
    child, fallback = sorted(
        spans.get_finished_spans(), key=lambda s: s.attributes["messaging.message.id"] != stored.id
    )
    assert child.context.trace_id == int(UPSTREAM_TRACE, 16) and child.parent.span_id == 0x00F067AA0BA902B7
    # a row without a stored context (written before the migration, or with tracing off) keeps the old way
    assert fallback.context.trace_id == tracing.trace_id_for("an-older-request")
    for sent, current in zip(inner.headers, (child, fallback), strict=True):
        assert sent is not None
        assert sent["traceparent"] == f"00-{current.context.trace_id:032x}-{current.context.span_id:016x}-01"
    assert inner.headers[0]["tracestate"] == "zcp=1"


def test_off_the_relay_passes_the_stored_context_on_unchanged() -> None:
    inner = FakePublisher()
    message = envelope()
    tracing.TracedPublisher(inner, "catalogue").publish_batch([(message.type, message.to_json())], [UPSTREAM])
    assert inner.headers == [UPSTREAM]


def test_the_outbox_stores_the_current_span_and_the_relay_publishes_it_as_the_parent(
    spans: InMemorySpanExporter,
) -> None:
    engine = create_engine("sqlite://")
    OUTBOX_TABLE.metadata.create_all(engine)
    inner = FakePublisher()
    request = tracing.span("PATCH /api/catalogue/institutions/1", REQUEST_ID, SpanKind.SERVER)
    with request as current, outbox.Session(engine) as session, session.begin():
        outbox.add(session, envelope())
        outbox.add_many(session, [envelope()])
    with engine.connect() as connection:
        stored = list(connection.execute(select(OUTBOX_TABLE.c.trace_context)).scalars())
    expected = f"00-{int(REQUEST_ID, 16):032x}-{current.get_span_context().span_id:016x}-01"
    assert [json.loads(value)["traceparent"] for value in stored] == [expected, expected]
    assert outbox.OutboxRelay(engine, tracing.TracedPublisher(inner, "catalogue")).relay_once() == 2
    publishes = [s for s in spans.get_finished_spans() if s.kind is SpanKind.PRODUCER]
    assert [s.parent.span_id for s in publishes] == [current.get_span_context().span_id] * 2
    assert [h["traceparent"].split("-")[2] for h in inner.headers if h] == [
        f"{s.context.span_id:016x}" for s in publishes
    ]


def test_with_tracing_off_the_outbox_stores_no_context_and_nothing_is_sent_as_headers() -> None:
    engine = create_engine("sqlite://")
    OUTBOX_TABLE.metadata.create_all(engine)
    assert tracing.capture() is None
    with outbox.Session(engine) as session, session.begin():
        outbox.add(session, envelope())
    inner = FakePublisher()
    assert outbox.OutboxRelay(engine, inner).relay_once() == 1
    assert inner.headers == [None]


def test_a_stored_context_that_cannot_be_read_is_no_context() -> None:
    assert tracing.stored_carrier(None) is None
    assert tracing.stored_carrier("not json") is None
    assert tracing.stored_carrier('["x"]') is None
    assert tracing.stored_carrier('{"tracestate": "a=b"}') is None
    assert tracing.stored_carrier(json.dumps({**UPSTREAM, "other": "x"})) == UPSTREAM


def test_the_amqp_message_carries_the_headers_and_none_without_them() -> None:
    assert _amqp_message("{}", dict(UPSTREAM)).application_headers == UPSTREAM
    assert not _amqp_message("{}", {}).properties.get("application_headers")


class HeaderedMessage:
    """What the consumer reads of a kombu message."""

    def __init__(self, body: str, headers: dict[str, Any]) -> None:
        self.body, self.headers, self.delivery_tag, self.fate = body, headers, 1, "pending"

    def ack(self) -> None:
        self.fate = "acked"


def test_the_consumer_makes_each_handler_span_a_child_of_its_messages_traceparent(spans: InMemorySpanExporter) -> None:
    engine = create_engine("sqlite://")
    OUTBOX_TABLE.metadata.create_all(engine)
    seen: list[str] = []
    subscription = Subscription(
        "contracting", "catalogue", {"catalogue.institution.changed": lambda e, s: seen.append(e.id)}
    )
    consumer = InboxConsumer(
        engine, tracing.traced_subscription(subscription), amqp_url="amqp://unused//", exchange="x", max_backoff=0.0
    )
    with_header, without = envelope(), envelope("an-older-request")
    batch = [HeaderedMessage(with_header.to_json(), dict(UPSTREAM)), HeaderedMessage(without.to_json(), {})]
    consumer.process_batch(batch, dead_letter=lambda m: pytest.fail("nothing is dead-lettered"))  # type: ignore[arg-type]
    assert seen == [with_header.id, without.id] and [m.fate for m in batch] == ["acked", "acked"]
    child, fallback = spans.get_finished_spans()
    assert child.context.trace_id == int(UPSTREAM_TRACE, 16) and child.parent.span_id == 0x00F067AA0BA902B7
    # a message published before the headers existed still lands in its request's trace
    assert fallback.context.trace_id == tracing.trace_id_for("an-older-request")


def test_an_http_request_continues_a_traceparent_it_brings(spans: InMemorySpanExporter, keys: Any) -> None:
    from .conftest import demo_app

    client = demo_app(keys).test_client()
    assert client.get("/api/demo/health/live", headers=UPSTREAM).status_code == 200
    answered = client.get("/api/demo/health/live")
    joined, own = spans.get_finished_spans()
    assert joined.kind is SpanKind.SERVER and joined.parent.span_id == 0x00F067AA0BA902B7
    assert joined.context.trace_id == int(UPSTREAM_TRACE, 16)
    assert own.context.trace_id == tracing.trace_id_for(answered.headers["X-Correlation-ID"])
