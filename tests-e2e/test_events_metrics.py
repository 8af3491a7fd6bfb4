"""Issue 8: every consumer and relay process of the running platform shows its counters on /metrics.

GIVEN the platform in process mode with demo data (the seed sends the catalogue's events through
RabbitMQ), THEN each service's consumer and relay answer ``GET /metrics`` on their own port, the
contracting consumer has counted the catalogue events it handled, and the API counts its requests
by route template.
"""

from __future__ import annotations

import requests
from prometheus_client.parser import text_string_to_metric_families

from servicekit.testing import wait_for
from zcp_runner.processes import Platform
from zcp_runner.routes import SERVICE_ORDER


def samples(url: str) -> dict[tuple[str, tuple[tuple[str, str], ...]], float]:
    page = requests.get(url, timeout=5)
    assert page.status_code == 200, page.text[:200]
    return {
        (sample.name, tuple(sorted(sample.labels.items()))): sample.value
        for family in text_string_to_metric_families(page.text)
        for sample in family.samples
    }


def handled(port: int, queue: str) -> float:
    found = samples(f"http://127.0.0.1:{port}/metrics")
    return sum(
        value
        for (name, labels), value in found.items()
        if name == "zcp_messages_total" and ("outcome", "handled") in labels and ("queue", queue) in labels
    )


def test_every_consumer_and_relay_serves_metrics_and_contracting_counted_the_catalogue(platform: Platform) -> None:
    for service in SERVICE_ORDER:
        for process in ("consumer", "relay"):
            found = samples(f"http://127.0.0.1:{platform.metrics_ports[f'{service}-{process}']}/metrics")
            wanted = "zcp_outbox_waiting" if process == "relay" else "zcp_handler_seconds_count"
            assert any(name == wanted or name.startswith("zcp_") for name, _ in found), (service, process)
    port = platform.metrics_ports["contracting-consumer"]
    wait_for(lambda: handled(port, "contracting.catalogue") > 100, timeout=60, message="catalogue events counted")
    relay = samples(f"http://127.0.0.1:{platform.metrics_ports['catalogue-relay']}/metrics")
    assert relay[("zcp_outbox_published_total", ())] > 100  # the seed's catalogue events went through it


def test_the_api_counts_requests_by_route_template(platform: Platform, gateway: str) -> None:
    requests.get(f"{gateway}/api/contracting/health/ready", timeout=10)
    api = samples(f"http://127.0.0.1:{platform.service_ports['contracting']}/metrics")
    routes = {dict(labels).get("route") for name, labels in api if name == "zcp_http_requests_total"}
    assert "/api/contracting/health/ready" in routes
