"""Small helpers for the e2e flows: logging in through the gateway."""

from __future__ import annotations

import requests

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
