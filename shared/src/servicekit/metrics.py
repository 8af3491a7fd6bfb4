"""Prometheus counters of every process: consumers, outbox relays and API workers.

Each process has its own registry (the client's default one) and exposes it itself: the API on its
``/metrics`` route (gunicorn's workers share one through the client's multiprocess mode, set up in
``servicekit.gunicorn_conf``), consumer and relay processes on ``METRICS_PORT`` (see :func:`serve_metrics`).
Names and labels are listed in the README's "Metrics" section; labels are bounded (queue, event
type, route template, status), never ids.
"""

from __future__ import annotations

import logging
import os

from prometheus_client import (
    CONTENT_TYPE_LATEST,
    CollectorRegistry,
    Counter,
    Gauge,
    Histogram,
    generate_latest,
    multiprocess,
    start_http_server,
)

log = logging.getLogger(__name__)

MESSAGES = Counter(
    "zcp_messages",
    "Messages a consumer finished with, by outcome: handled, duplicate (skipped by the inbox), "
    "unhandled (no handler for the type), retried (sent to a delay queue), dead_lettered.",
    ["queue", "event_type", "outcome"],
)
HANDLER_SECONDS = Histogram(
    "zcp_handler_seconds",
    "Time a handler took for one message (inside the consumer's transaction).",
    ["queue", "event_type"],
    buckets=(0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0),
)
BATCH_SECONDS = Histogram(
    "zcp_consumer_batch_seconds",
    "Time from a batch's first statement to its commit.",
    ["queue"],
    buckets=(0.005, 0.01, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0),
)
QUEUE_MESSAGES = Gauge(
    "zcp_queue_messages", "Messages ready in a consumer's queue (sampled by the consumer).", ["queue"]
)
DEAD_LETTER_MESSAGES = Gauge(
    "zcp_dead_letter_messages", "Messages in a queue's dead-letter queue (sampled by its consumer).", ["queue"]
)
OUTBOX_WAITING = Gauge("zcp_outbox_waiting", "Outbox rows not yet published (sampled by the relay).")
OUTBOX_OLDEST_AGE = Gauge(
    "zcp_outbox_oldest_age_seconds", "Age of the oldest outbox row not yet published (0 when none wait)."
)
OUTBOX_PUBLISHED = Counter("zcp_outbox_published", "Outbox rows published and confirmed by the broker.")
OUTBOX_FAILURES = Counter("zcp_outbox_publish_failures", "Outbox batches the broker did not confirm.")
HTTP_REQUESTS = Counter(
    "zcp_http_requests", "HTTP requests answered, by route template, method and status.", ["route", "method", "status"]
)
HTTP_SECONDS = Histogram(
    "zcp_http_request_seconds",
    "Time to answer an HTTP request, by route template and method.",
    ["route", "method"],
    buckets=(0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0),
)


def render() -> tuple[bytes, str]:
    """The text exposition of this process's registry (all gunicorn workers' together), and its content type."""
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        registry = CollectorRegistry()
        multiprocess.MultiProcessCollector(registry)  # type: ignore[no-untyped-call]
        return generate_latest(registry), CONTENT_TYPE_LATEST
    return generate_latest(), CONTENT_TYPE_LATEST


def serve_metrics(port: int | None) -> None:
    """Expose ``/metrics`` on ``port`` in a daemon thread (consumer and relay processes); None: not at all."""
    if not port:
        return
    start_http_server(port)
    log.info("metrics served", extra={"fields": {"port": port}})
