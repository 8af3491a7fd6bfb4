"""Small helpers for the e2e flows: logging in through the gateway."""

from __future__ import annotations

import random
import socket

import requests

from zcp_runner.routes import RouteTable

DEMO_PASSWORD = "Demo2026Zcp!"
# Issue 14: every e2e flow runs against a scaled platform: 4 gunicorn workers per API and 3 consumer
# processes sharing contracting's queues.
API_WORKERS = 4
CONTRACTING_CONSUMERS = 3


def login(gateway: str, username: str, year: int = 2026, password: str = DEMO_PASSWORD) -> dict[str, str]:
    """Log in through the gateway; returns the Authorization header for the session."""
    response = requests.post(
        f"{gateway}/api/identity/sessions",
        json={"contract_year": year, "username": username, "password": password},
        timeout=30,
    )
    assert response.status_code == 201, response.text
    return {"Authorization": f"Bearer {response.json()['token']}"}


def free_port_offset() -> int:
    """An offset to every port of the route table at which all of them are free (a platform of its own)."""
    routes = RouteTable.load()
    ports = [routes.listen_port, *routes.service_ports.values()]
    for _ in range(50):
        offset = random.randrange(10_000, 40_000, 10)
        try:
            for port in ports:
                with socket.socket() as probe:
                    probe.bind(("127.0.0.1", port + offset))
        except OSError:
            continue
        return offset
    raise RuntimeError("no free ports for the e2e platform")
