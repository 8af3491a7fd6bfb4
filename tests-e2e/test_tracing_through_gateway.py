"""Issue 14, Must show 3, in process mode: a catalogue change sent through the gateway (nginx) is ONE
trace, collected by a real OTLP/HTTP receiver, from the catalogue's server span through the catalogue
relay's publish to contracting's handler.

GIVEN a platform of its own (separate processes: gunicorn APIs, 3 contracting consumers sharing the
queues, relays, nginx; PostgreSQL and RabbitMQ) started with ``OTEL_EXPORTER_OTLP_ENDPOINT`` pointing at an
OTLP/HTTP receiver in this test (protobuf decoded with opentelemetry-proto)
WHEN the catalogue maintainer changes an institution through the gateway, sending a W3C ``traceparent``
THEN the receiver holds, in that trace: catalogue's server span (child of the client's span), the
relay's publish span (child of the server span: the context stored with the outbox row), and
contracting's handler span (child of the publish span: the context sent as AMQP headers), each from
its own process.
"""

from __future__ import annotations

import gzip
import os
import random
import secrets
import threading
from collections.abc import Iterator
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest
import requests
from helpers import CONTRACTING_CONSUMERS, login
from opentelemetry.proto.collector.trace.v1.trace_service_pb2 import (
    ExportTraceServiceRequest,
    ExportTraceServiceResponse,
)
from opentelemetry.proto.trace.v1.trace_pb2 import Span as ProtoSpan

from servicekit.testing import wait_for
from servicekit.testing.servers import BrokerNamespace, DatabaseFactory, new_run_id
from zcp_runner.disposable import start_platform
from zcp_runner.processes import Platform

HANDLER = "contracting.catalogue:catalogue.institution.changed"


@dataclass(frozen=True)
class ReceivedSpan:
    service: str  # the resource's service.name: which process exported it
    name: str
    kind: int
    trace_id: str
    span_id: str
    parent_span_id: str
    attributes: dict[str, Any]


class OtlpReceiver:
    """A minimal OTLP/HTTP trace receiver (``POST /v1/traces``, protobuf), keeping every span it is sent."""

    def __init__(self) -> None:
        self.spans: list[ReceivedSpan] = []
        self._lock = threading.Lock()
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                body = self.rfile.read(int(self.headers.get("Content-Length", "0")))
                if self.headers.get("Content-Encoding") == "gzip":
                    body = gzip.decompress(body)
                request = ExportTraceServiceRequest()
                request.ParseFromString(body)
                receiver.add(request)
                answer = ExportTraceServiceResponse().SerializeToString()
                self.send_response(200)
                self.send_header("Content-Type", "application/x-protobuf")
                self.send_header("Content-Length", str(len(answer)))
                self.end_headers()
                self.wfile.write(answer)

            def log_message(self, *_args: Any) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    @property
    def endpoint(self) -> str:
        return f"http://127.0.0.1:{self.server.server_address[1]}"

    def add(self, request: ExportTraceServiceRequest) -> None:
        found = []
        for resource_spans in request.resource_spans:
            resource = {a.key: a.value.string_value for a in resource_spans.resource.attributes}
            for scope_spans in resource_spans.scope_spans:
                for span in scope_spans.spans:
                    found.append(
                        ReceivedSpan(
                            service=resource.get("service.name", ""),
                            name=span.name,
                            kind=span.kind,
                            trace_id=span.trace_id.hex(),
                            span_id=span.span_id.hex(),
                            parent_span_id=span.parent_span_id.hex(),
                            attributes={a.key: _value(a.value) for a in span.attributes},
                        )
                    )
        with self._lock:
            self.spans.extend(found)

    def trace(self, trace_id: str) -> list[ReceivedSpan]:
        with self._lock:
            return [span for span in self.spans if span.trace_id == trace_id]

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


def _value(value: Any) -> Any:
    kind = value.WhichOneof("value")
    return getattr(value, kind) if kind else None


@pytest.fixture(scope="module")
def traced_platform() -> Iterator[tuple[Platform, OtlpReceiver]]:
    """A platform of this module's own with tracing on (its own databases, exchange and queues)."""
    postgres = os.environ.get("TEST_POSTGRES_URL", "postgresql://postgres@127.0.0.1:5432/postgres")
    amqp = os.environ.get("TEST_AMQP_URL", "amqp://guest:guest@127.0.0.1:5672//")
    run_id = new_run_id()
    databases, broker = DatabaseFactory(postgres, run_id), BrokerNamespace.new(amqp, run_id)
    receiver = OtlpReceiver()
    # spans leave each process within 0.2 s (the batch processor's default waits 5 s)
    tracing = {"OTEL_EXPORTER_OTLP_ENDPOINT": receiver.endpoint, "OTEL_BSP_SCHEDULE_DELAY": "200"}
    platform = None
    try:
        platform = start_platform(
            databases,
            broker,
            "e2e_trace",
            tracing,
            seed_demo=True,
            # 2 workers, not the session platform's 4: both platforms may run at once on a small machine
            workers=2,
            consumers={"contracting": CONTRACTING_CONSUMERS},
            timeout=float(os.environ.get("E2E_START_TIMEOUT", "900")),
        )
        yield platform, receiver
    finally:
        if platform is not None:
            platform.stop()
        receiver.close()
        databases.drop_all()
        broker.cleanup()


def change_an_institution(gateway: str, traceparent: str) -> requests.Response:
    """As the catalogue maintainer, through the gateway, with the client's own W3C trace context."""
    session = login(gateway, "beheerder")
    found = requests.get(
        f"{gateway}/api/catalogue/institutions", params={"name": "maxima"}, headers=session, timeout=30
    )
    assert found.status_code == 200 and found.json()["items"], found.text
    institution = found.json()["items"][0]
    phone = f"040-{random.randrange(1_000_000, 9_999_999)}"
    changed = requests.patch(
        f"{gateway}/api/catalogue/institutions/{institution['id']}",
        json={"phone": phone},
        headers={**session, "traceparent": traceparent},
        timeout=30,
    )
    assert changed.status_code == 200, changed.text
    return changed


@pytest.mark.timeout(360, func_only=True)
def test_a_catalogue_change_through_the_gateway_is_one_otlp_trace_to_contractings_handler(
    traced_platform: tuple[Platform, OtlpReceiver],
) -> None:
    platform, receiver = traced_platform
    trace_id, client_span = secrets.token_hex(16), secrets.token_hex(8)
    change_an_institution(platform.url, f"00-{trace_id}-{client_span}-01")

    def handled() -> list[ReceivedSpan]:
        spans = receiver.trace(trace_id)
        return spans if any(s.attributes.get("zcp.handler") == HANDLER for s in spans) else []

    # the change's event may queue behind the demo catalogue's (thousands, applied as the platform comes up)
    spans = wait_for(handled, timeout=300, message="contracting's handler span in the client's trace")
    (request,) = [s for s in spans if s.kind == ProtoSpan.SPAN_KIND_SERVER and s.service == "catalogue"]
    assert request.name == "PATCH /api/catalogue/institutions/<uuid:institution_id>"
    assert request.attributes["http.response.status_code"] == 200
    assert request.parent_span_id == client_span, "the gateway passed the client's traceparent on"
    (publish,) = [s for s in spans if s.name == "publish catalogue.institution.changed"]
    assert publish.service == "catalogue" and publish.kind == ProtoSpan.SPAN_KIND_PRODUCER
    assert publish.parent_span_id == request.span_id, "the relay continued the context stored with the outbox row"
    (handler,) = [s for s in spans if s.attributes.get("zcp.handler") == HANDLER]
    assert handler.service == "contracting" and handler.kind == ProtoSpan.SPAN_KIND_CONSUMER
    assert handler.parent_span_id == publish.span_id, "the consumer continued the message's traceparent header"
    assert handler.attributes["messaging.message.id"] == publish.attributes["messaging.message.id"]
