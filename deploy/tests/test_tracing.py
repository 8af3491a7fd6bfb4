"""Issue 14, Must show 3: a catalogue change sent through the gateway is one trace, from the HTTP
request through the catalogue relay's publish to contracting's handler.

`make run`'s platform is built for real with tracing on and an in-memory exporter: every service's
API, relay and consumer run (in threads, on SQLite and kombu memory://), exactly as deployed, each
with the hooks servicekit.tracing places when the process starts. The same path in process mode
(nginx, PostgreSQL, RabbitMQ, spans exported by OTLP/HTTP): tests-e2e/test_tracing_through_gateway.py.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from opentelemetry.sdk.trace import ReadableSpan, TracerProvider
from opentelemetry.sdk.trace.export import SimpleSpanProcessor
from opentelemetry.sdk.trace.export.in_memory_span_exporter import InMemorySpanExporter
from opentelemetry.trace import SpanKind
from werkzeug.test import Client

from servicekit import tracing
from servicekit.testing import wait_for
from zcp_runner.embedded import EmbeddedPlatform, build
from zcp_runner.routes import SERVICE_ORDER

HANDLER = "contracting.catalogue:catalogue.institution.changed"


@pytest.fixture(scope="module")
def traced(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[EmbeddedPlatform, InMemorySpanExporter]]:
    exporter = InMemorySpanExporter()
    provider = TracerProvider()
    provider.add_span_processor(SimpleSpanProcessor(exporter))
    tracing.use_provider(provider)
    with pytest.MonkeyPatch.context() as env:
        for name in SERVICE_ORDER:
            env.delenv(f"{name.upper()}_DATABASE_URL", raising=False)
        for name in ("IDENTITY_SIGNING_KEY_FILE", "IDENTITY_PUBLIC_KEY_FILE", "QUEUE_PREFIX", "EVENT_EXCHANGE"):
            env.delenv(name, raising=False)
        data_dir: Path = tmp_path_factory.mktemp("traced-run")
        env.setenv("DATA_DIR", str(data_dir))
        env.setenv("AMQP_URL", "memory://")
        platform = build(data_dir)
        try:
            yield platform, exporter
        finally:
            platform.shutdown()
            tracing.use_provider(None)


def change_an_institution(client: Client) -> tuple[str, Any]:
    """As the catalogue maintainer, through the gateway: (the request's correlation id, the answer)."""
    login = client.post(
        "/api/identity/sessions", json={"contract_year": 2026, "username": "beheerder", "password": "Demo2026Zcp!"}
    )
    assert login.status_code == 201, login.json
    session = {"Authorization": f"Bearer {login.json['token']}"}
    found = client.get("/api/catalogue/institutions?name=maxima", headers=session)
    assert found.status_code == 200 and found.json["items"], found.json
    institution = found.json["items"][0]
    changed = client.patch(
        f"/api/catalogue/institutions/{institution['id']}", json={"phone": "040-8888000"}, headers=session
    )
    assert changed.status_code == 200, changed.json
    return changed.headers["X-Correlation-ID"], changed


def spans_of(exporter: InMemorySpanExporter, trace_id: int) -> list[ReadableSpan]:
    return [span for span in exporter.get_finished_spans() if span.context.trace_id == trace_id]


def test_a_catalogue_change_through_the_gateway_is_one_trace_to_contractings_handler(
    traced: tuple[EmbeddedPlatform, InMemorySpanExporter],
) -> None:
    platform, exporter = traced
    correlation_id, _ = change_an_institution(Client(platform.gateway))
    trace_id = tracing.trace_id_for(correlation_id)

    def handled() -> list[ReadableSpan]:
        spans = spans_of(exporter, trace_id)
        return spans if any(s.attributes.get("zcp.handler") == HANDLER for s in spans) else []

    spans = wait_for(handled, timeout=60, message="contracting's handler span in the request's trace")
    by_kind = {
        kind: [s for s in spans if s.kind is kind] for kind in (SpanKind.SERVER, SpanKind.PRODUCER, SpanKind.CONSUMER)
    }
    (request,) = [s for s in by_kind[SpanKind.SERVER] if s.attributes["zcp.service"] == "catalogue"]
    assert request.name == "PATCH /api/catalogue/institutions/<uuid:institution_id>"
    assert request.attributes["http.response.status_code"] == 200
    (publish,) = [s for s in by_kind[SpanKind.PRODUCER] if s.name == "publish catalogue.institution.changed"]
    assert publish.attributes["zcp.service"] == "catalogue"
    (handler,) = [s for s in by_kind[SpanKind.CONSUMER] if s.attributes["zcp.handler"] == HANDLER]
    assert handler.attributes["zcp.service"] == "contracting"
    assert handler.attributes["messaging.message.id"] == publish.attributes["messaging.message.id"]
    # One trace, parent to child: the request's server span wrote the outbox row (its W3C context stored
    # with it), the relay's publish continues it and sends its own as AMQP headers, the handler continues that.
    assert request.context.trace_id == publish.context.trace_id == handler.context.trace_id == trace_id
    assert publish.parent.span_id == request.context.span_id
    assert handler.parent.span_id == publish.context.span_id
    assert request.start_time <= publish.start_time <= handler.start_time


def test_requests_that_cause_nothing_stay_their_own_trace(
    traced: tuple[EmbeddedPlatform, InMemorySpanExporter],
) -> None:
    platform, exporter = traced
    response = Client(platform.gateway).get("/api/catalogue/health/ready")
    trace_id = tracing.trace_id_for(response.headers["X-Correlation-ID"])
    spans = wait_for(lambda: spans_of(exporter, trace_id), timeout=10, message="the request's span")
    assert [(s.kind, s.attributes["zcp.service"]) for s in spans] == [(SpanKind.SERVER, "catalogue")]
