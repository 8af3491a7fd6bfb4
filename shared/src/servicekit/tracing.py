"""OpenTelemetry traces: one trace from an HTTP request through the outbox relay's publish to every
consumer's handler of the events it caused.

Off unless ``OTEL_EXPORTER_OTLP_ENDPOINT`` is set; then every process exports its spans by OTLP/HTTP
(the standard ``OTEL_*`` variables tune the exporter).

The trace id is derived from the correlation id (the gateway's request id, which every event a
request causes carries as ``correlation_id``, and every event caused by that event too). So the
relay, which publishes later from another process, and the consumers join the request's trace with
nothing added to the outbox table or the messages. All spans of a trace hang under one root that
stands for the request at the gateway; the events' ``causation_id`` says which event caused which.

Hooks, each placed only when tracing is on as the process starts (off, nothing is wrapped): :func:`install`
(HTTP server spans, in the app chassis), :class:`TracedPublisher` (the relay's publish, in
:func:`servicekit.runtime.build_relay`) and :func:`traced_subscription` (each handler, in
:func:`servicekit.runtime.build_consumers`).
"""

from __future__ import annotations

import hashlib
import json
import os
import re
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import replace
from typing import TYPE_CHECKING, Any

from opentelemetry import context as otel_context
from opentelemetry import trace
from opentelemetry.sdk.resources import Resource
from opentelemetry.sdk.trace import TracerProvider
from opentelemetry.sdk.trace.export import BatchSpanProcessor
from opentelemetry.trace import NonRecordingSpan, SpanContext, SpanKind, Status, StatusCode, TraceFlags

if TYPE_CHECKING:
    from flask import Flask, Response

    from servicekit.messaging.consumer import Handler, Subscription
    from servicekit.messaging.envelope import Envelope
    from servicekit.messaging.publisher import Publisher

_HEX_TRACE_ID = re.compile(r"^[0-9a-f]{32}$")
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


@contextmanager
def span(name: str, correlation_id: str, kind: SpanKind, **attributes: Any) -> Iterator[Any]:
    """A span of the correlation id's trace; a no-op when tracing is off."""
    if _provider is None:
        yield None
        return
    tracer = _provider.get_tracer("servicekit")
    with tracer.start_as_current_span(name, context=_root(correlation_id), kind=kind, attributes=attributes) as current:
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
            context=_root(g.correlation_id),
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
    """The relay's publisher, with a producer span per message around the batch's publish."""

    def __init__(self, inner: Publisher, service: str) -> None:
        self.inner = inner
        self.service = service

    def publish_batch(self, messages: list[tuple[str, str]]) -> None:
        if _provider is None:
            self.inner.publish_batch(messages)
            return
        spans = [self._start(event_type, body) for event_type, body in messages]
        try:
            self.inner.publish_batch(messages)
        except Exception as exc:
            for current in spans:
                current.record_exception(exc)
                current.set_status(Status(StatusCode.ERROR))
            raise
        finally:
            for current in spans:
                current.end()

    def _start(self, event_type: str, body: str) -> Any:
        assert _provider is not None
        envelope = json.loads(body)
        return _provider.get_tracer("servicekit").start_span(
            f"publish {event_type}",
            context=_root(str(envelope.get("correlation_id") or envelope.get("id"))),
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
        with span(f"handle {envelope.type}", envelope.correlation_id, SpanKind.CONSUMER, **attributes):
            handler(envelope, session)

    return traced
