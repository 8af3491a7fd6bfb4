"""GIVEN every service behind the gateway, WHEN a protected route is called without a valid session,
THEN the gateway answers 401 with the common error body, and a forged identity header changes nothing.

The routes come from each service's own OpenAPI document, so a new route is covered the day it lands.
"""

from __future__ import annotations

import re
import time
import uuid
from collections.abc import Iterator

import pytest
import requests

from servicekit.auth import Principal, sign_identity_token
from servicekit.keys import generate_keypair
from servicekit.testing.identity import UNBOUND
from zcp_runner.routes import SERVICE_ORDER, RouteTable

ROUTES = RouteTable.load()
METHODS = ("get", "post", "put", "patch", "delete")


def protected_operations(gateway: str, http: requests.Session) -> Iterator[tuple[str, str]]:
    for service in SERVICE_ORDER:
        document = http.get(f"{gateway}/api/{service}/openapi.json", timeout=10).json()
        for path, operations in document["paths"].items():
            concrete = re.sub(r"\{[^}]+\}", str(uuid.uuid4()), path)
            if ROUTES.is_public(concrete) or concrete == ROUTES.auth_check_path:
                continue
            for method in operations:
                if method in METHODS:
                    yield method.upper(), concrete


def forged_admin_token() -> str:
    """A well-formed identity token claiming platform_admin, signed with a key identity never had."""
    private, _ = generate_keypair()
    principal = Principal(subject="intruder", kind="user", roles=frozenset({"platform_admin"}), username="intruder")
    return sign_identity_token(principal, private, int(time.time()), 60, UNBOUND)


@pytest.mark.parametrize(
    "credentials",
    [
        {},
        {"Authorization": "Bearer " + "0" * 43},
        {"X-Identity-Token": "forged"},
        {"X-Identity-Token": "FORGED-ADMIN"},
    ],
    ids=["no-session", "unknown-token", "garbage-identity-header", "forged-admin-identity-header"],
)
def test_every_protected_route_of_every_service_refuses_without_a_valid_session(
    gateway: str, http: requests.Session, credentials: dict[str, str]
) -> None:
    headers = {k: (forged_admin_token() if v == "FORGED-ADMIN" else v) for k, v in credentials.items()}
    operations = list(protected_operations(gateway, http))
    assert len(operations) > 20, "the services should expose their protected routes in OpenAPI"
    wrong = []
    for method, path in operations:
        response = http.request(method, f"{gateway}{path}", headers=headers, json={}, timeout=10)
        body = response.json() if response.headers.get("Content-Type", "").startswith("application/json") else {}
        if response.status_code != 401 or body.get("code") != 401 or not body.get("message") or not body.get("errors"):
            wrong.append((method, path, response.status_code))
    assert wrong == []
