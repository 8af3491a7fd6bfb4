"""OpenTelemetry traces: one trace from an HTTP request through the outbox relay's publish to every
consumer's handler of the events it caused.

Off unless ``OTEL_EXPORTER_OTLP_ENDPOINT`` is set; then every process exports its spans by OTLP/HTTP
(the standard ``OTEL_*`` variables tune the exporter).

The W3C trace context travels with the work, with OpenTelemetry's standard propagator
(``traceparent``/``tracestate``):

- **HTTP**: the server span continues a ``traceparent`` the request brings; without one its parent
  is a root derived from the correlation id (the gateway's request id), so a request is one trace.
- **Outbox**: :func:`capture` takes the context of the span current when the event is written (the
  request's server span, or the handler's span for an event caused by an event) into the outbox
  row's ``trace_context`` column, in the business transaction.
- **Relay**: :class:`TracedPublisher` starts the publish span as a child of the stored context and
  sends *its own* context as the AMQP headers ``traceparent``/``tracestate``. (With tracing off in
  the relay the stored context goes out as the headers unchanged.)
- **Consumer**: the handler's span is a child of the message's headers (:func:`incoming`).

A message without the headers (published before this, or replayed from an old dead-letter queue),
and an outbox row without a stored context, fall back to the root derived from the correlation id,
which every event a request causes carries as ``correlation_id``: such spans still join the
request's trace, as siblings under its root.

Hooks, each placed only when tracing is on as the process starts (off, nothing is wrapped and
:func:`capture`/:func:`incoming` return at once): :func:`install` (HTTP server spans, in the app
chassis), :class:`TracedPublisher` (the relay's publish, in :func:`servicekit.runtime.build_relay`)
and :func:`traced_subscription` (each handler, in :func:`servicekit.runtime.build_consumers`).
"""

from __future__ import annotations

import hashlib
import json
import os
import re
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import replace
from typing import TYPE_CHECKING, Any

from opentelemetry import context as otel_context
from opentelemetry import trace
from opentelemetry.sdk.resources import Resource
from opentelemetry.sdk.trace import TracerProvider
from opentelemetry.sdk.trace.export import BatchSpanProcessor
from opentelemetry.trace import NonRecordingSpan, SpanContext, SpanKind, Status, StatusCode, TraceFlags
from opentelemetry.trace.propagation.tracecontext import TraceContextTextMapPropagator

if TYPE_CHECKING:
    from flask import Flask, Response

    from servicekit.messaging.consumer import Handler, Subscription
    from servicekit.messaging.envelope import Envelope
    from servicekit.messaging.publisher import Publisher

_HEX_TRACE_ID = re.compile(r"^[0-9a-f]{32}$")
#: W3C Trace Context, the standard propagator: reads and writes ``traceparent`` and ``tracestate``.
PROPAGATOR = TraceContextTextMapPropagator()
TRACE_HEADERS = ("traceparent", "tracestate")
#: The trace headers of the message whose handler runs now (set by the consumer, see :func:`incoming`).
_incoming: ContextVar[Mapping[str, Any] | None] = ContextVar("incoming_trace_headers", default=None)
#: The process's provider; None: tracing is off (the API's global provider is left alone, so tests
#: can give each platform they build a provider of their own).
_provider: TracerProvider | None = None


def configure(service: str, env: Mapping[str, str] | None = None) -> bool:
    """Export this process's spans by OTLP when ``OTEL_EXPORTER_OTLP_ENDPOINT`` is set; True if on."""
    env = os.environ if env is None else env
    if _provider is not None or not env.get("OTEL_EXPORTER_OTLP_ENDPOINT"):
        return _provider is not None
    from opentelemetry.exporter.otlp.proto.http.trace_exporter import OTLPSpanExporter

    provider = TracerProvider(resource=Resource.create({"service.name": service}))
    provider.add_span_processor(BatchSpanProcessor(OTLPSpanExporter()))
    use_provider(provider)
    return True


def use_provider(provider: TracerProvider | None) -> None:
    """Send spans to ``provider`` (None: tracing off). Tests pass one with an in-memory exporter."""
    global _provider
    _provider = provider


def trace_id_for(correlation_id: str) -> int:
    """The trace id of a correlation id: the id itself when it is 32 hex digits, else its hash."""
    value = correlation_id.replace("-", "").lower()
    if not _HEX_TRACE_ID.match(value):
        value = hashlib.sha256(correlation_id.encode()).hexdigest()[:32]
    return int(value, 16) or 1


def _root(correlation_id: str) -> Any:
    """The context of the trace's root: the request as the gateway received it."""
    span_id = int(hashlib.sha256(b"root:" + correlation_id.encode()).hexdigest()[:16], 16) or 1
    parent = SpanContext(
        trace_id_for(correlation_id), span_id, is_remote=True, trace_flags=TraceFlags(TraceFlags.SAMPLED)
    )
    return trace.set_span_in_context(NonRecordingSpan(parent))


def parent_context(carrier: Mapping[str, Any] | None, correlation_id: str) -> Any:
    """The context a span continues: the W3C context in ``carrier`` if it holds a valid one, else the
    root derived from the correlation id (older messages and rows, clients that send none)."""
    if carrier and carrier.get("traceparent"):
        extracted = PROPAGATOR.extract(carrier)
        if trace.get_current_span(extracted).get_span_context().is_valid:
            return extracted
    return _root(correlation_id)


def carrier_for(current: Any) -> dict[str, str]:
    """``traceparent`` (and ``tracestate``) naming ``current`` as the parent of what follows."""
    carrier: dict[str, str] = {}
    PROPAGATOR.inject(carrier, context=trace.set_span_in_context(current))
    return carrier


def capture() -> str | None:
    """The current span's W3C context as the outbox stores it (JSON), or None (off, or no span)."""
    if _provider is None:
        return None
    carrier: dict[str, str] = {}
    PROPAGATOR.inject(carrier)
    return json.dumps(carrier, separators=(",", ":")) if carrier.get("traceparent") else None


def stored_carrier(stored: str | None) -> dict[str, str] | None:
    """The trace headers of a stored context; None for none, and for anything unreadable."""
    if not stored:
        return None
    try:
        carrier = json.loads(stored)
    except ValueError:
        return None
    if not isinstance(carrier, dict):
        return None
    found = {name: carrier[name] for name in TRACE_HEADERS if isinstance(carrier.get(name), str)}
    return found if "traceparent" in found else None


def trace_headers(headers: Mapping[str, Any] | None) -> dict[str, str]:
    """Only the W3C trace headers of a message's headers (a replay carries them on)."""
    return {name: str(headers[name]) for name in TRACE_HEADERS if headers and headers.get(name)}


@contextmanager
def incoming(headers: Mapping[str, Any] | None) -> Iterator[None]:
    """Run a handler call with the trace headers of the message it handles (the consumer calls it)."""
    if _provider is None or not headers or "traceparent" not in headers:
        yield
        return
    token = _incoming.set(headers)
    try:
        yield
    finally:
        _incoming.reset(token)


@contextmanager
def span(
    name: str, correlation_id: str, kind: SpanKind, carrier: Mapping[str, Any] | None = None, **attributes: Any
) -> Iterator[Any]:
    """A span continuing ``carrier``'s W3C context, else the correlation id's trace; a no-op when off."""
    if _provider is None:
        yield None
        return
    tracer = _provider.get_tracer("servicekit")
    context = parent_context(carrier, correlation_id)
    with tracer.start_as_current_span(name, context=context, kind=kind, attributes=attributes) as current:
        yield current


def enabled() -> bool:
    return _provider is not None


def install(app: Flask, service: str) -> None:
    """An HTTP server span around each request, current while the request runs; registered after the
    chassis's own hooks, so the request's correlation id is bound."""
    from flask import g, request

    @app.before_request
    def _start_span() -> None:
        if _provider is None:
            return
        current = _provider.get_tracer("servicekit").start_span(
            f"{request.method} {request.path}",
            context=parent_context(
                {name: value for name in TRACE_HEADERS if (value := request.headers.get(name))}, g.correlation_id
            ),
            kind=SpanKind.SERVER,
            attributes={"zcp.service": service, "http.request.method": request.method},
        )
        g.trace_span = current
        g.trace_token = otel_context.attach(trace.set_span_in_context(current))

    @app.after_request
    def _name_and_status(response: Response) -> Response:
        current = g.get("trace_span")
        if current is not None:
            if request.url_rule is not None:
                current.update_name(f"{request.method} {request.url_rule.rule}")
                current.set_attribute("http.route", request.url_rule.rule)
            current.set_attribute("http.response.status_code", response.status_code)
            if response.status_code >= 500:
                current.set_status(Status(StatusCode.ERROR))
        return response

    @app.teardown_request
    def _end_span(exc: BaseException | None) -> None:
        current = g.pop("trace_span", None)
        if current is None:
            return
        if exc is not None:
            current.record_exception(exc)
            current.set_status(Status(StatusCode.ERROR))
        current.end()
        otel_context.detach(g.pop("trace_token"))


class TracedPublisher:
    """The relay's publisher, with a producer span per message around the batch's publish.

    Each span is a child of the context stored with the outbox row (``headers``, as the relay reads
    them), and its own context goes out in the message's ``traceparent``/``tracestate`` headers.
    """

    def __init__(self, inner: Publisher, service: str) -> None:
        self.inner = inner
        self.service = service

    def publish_batch(
        self, messages: list[tuple[str, str]], headers: Sequence[Mapping[str, Any] | None] | None = None
    ) -> None:
        if _provider is None:
            self.inner.publish_batch(messages, headers)
            return
        stored = list(headers) if headers is not None else [None] * len(messages)
        pairs = zip(messages, stored, strict=True)
        spans = [self._start(event_type, body, carrier) for (event_type, body), carrier in pairs]
        try:
            self.inner.publish_batch(messages, [carrier_for(current) for current in spans])
        except Exception as exc:
            for current in spans:
                current.record_exception(exc)
                current.set_status(Status(StatusCode.ERROR))
            raise
        finally:
            for current in spans:
                current.end()

    def _start(self, event_type: str, body: str, carrier: Mapping[str, Any] | None) -> Any:
        assert _provider is not None
        envelope = json.loads(body)
        return _provider.get_tracer("servicekit").start_span(
            f"publish {event_type}",
            context=parent_context(carrier, str(envelope.get("correlation_id") or envelope.get("id"))),
            kind=SpanKind.PRODUCER,
            attributes={"zcp.service": self.service, "messaging.message.id": str(envelope.get("id"))},
        )

    def close(self) -> None:
        self.inner.close()


def traced_subscription(subscription: Subscription) -> Subscription:
    """The subscription with a consumer span around each handler call (the call itself unchanged)."""
    handlers = {event_type: _traced(subscription, handler) for event_type, handler in subscription.handlers.items()}
    return replace(subscription, handlers=handlers)


def _traced(subscription: Subscription, handler: Handler) -> Handler:
    def traced(envelope: Envelope, session: Any) -> None:
        attributes = {
            "zcp.service": subscription.service,
            "zcp.handler": subscription.handler_name(envelope.type),
            "messaging.message.id": envelope.id,
        }
        name = f"handle {envelope.type}"
        with span(name, envelope.correlation_id, SpanKind.CONSUMER, _incoming.get(), **attributes):
            handler(envelope, session)

    return traced
