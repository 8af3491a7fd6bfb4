"""servicekit.tracing: off without an endpoint; on, the relay's publish and each handler get a span of
the trace their correlation id names (issue 14, Must show 3; the whole path: deploy/tests/test_tracing.py)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from opentelemetry.sdk.trace import TracerProvider
from opentelemetry.sdk.trace.export import SimpleSpanProcessor
from opentelemetry.sdk.trace.export.in_memory_span_exporter import InMemorySpanExporter
from opentelemetry.trace import SpanKind, StatusCode

from servicekit import tracing
from servicekit.messaging.consumer import Subscription
from servicekit.messaging.envelope import Envelope
from servicekit.messaging.publisher import PublishError

REQUEST_ID = "0af7651916cd43dd8448eb211c80319c"


@pytest.fixture
def spans() -> Iterator[InMemorySpanExporter]:
    exporter = InMemorySpanExporter()
    provider = TracerProvider()
    provider.add_span_processor(SimpleSpanProcessor(exporter))
    tracing.use_provider(provider)
    yield exporter
    tracing.use_provider(None)


class FakePublisher:
    def __init__(self, fail: bool = False) -> None:
        self.sent: list[tuple[str, str]] = []
        self.fail = fail

    def publish_batch(self, messages: list[tuple[str, str]]) -> None:
        if self.fail:
            raise PublishError("broker gone")
        self.sent.extend(messages)

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
