"""Issue 16 Must show 2: a tenant matrix generated from the OpenAPI documents of the running gateway.

GIVEN every service's OpenAPI document as the gateway serves it (so a service added later is covered
the day it lands), WHEN every role of another tenant calls every operation whose path holds an id of
insurer B's own data (its collections, its users) — reads and writes, with a body valid for the
operation's schema — THEN each answer is 403 or 404, and B's data reads the same afterwards.

Roles: insurer A's user and admin, the catalogue maintainer, a publication consumer (API key), and
the platform admin — except on identity's user management, which platform admins run for every
insurer by design (docs/domain.md, "Roles"), so it is not sent there (it would change B's users).
Ids that are not tenant data (institutions, specialisms, conditions) are real catalogue ids, so that
B's id is the only thing that is wrong about the request.
"""

from __future__ import annotations

import re
import uuid
from typing import Any

import pytest
import requests
from helpers import login

from servicekit.testing import wait_for
from zcp_runner.routes import RouteTable

ROUTES = RouteTable.load()
METHODS = ("get", "post", "put", "patch", "delete")
DEMO_API_KEY = "zcpk_demo-independer-2026-not-for-production"
TENANT_PARAMS = {"collection_id", "user_id"}
#: Menzis's demo collections that the products service's demo links to products.
DEMO_LINKED = ("Basis 2026", "Selectief 2026", "Restitutie 2026")
PLATFORM_MANAGES_EVERY_TENANT = re.compile(r"^/api/identity/users/")


def resolve(document: dict[str, Any], schema: dict[str, Any]) -> dict[str, Any]:
    while "$ref" in schema:
        schema = document["components"]["schemas"][schema["$ref"].rsplit("/", 1)[1]]
    return schema


def example(document: dict[str, Any], schema: dict[str, Any], depth: int = 0) -> Any:
    """A small value that satisfies ``schema`` (required properties only)."""
    schema = resolve(document, schema)
    if "enum" in schema:
        return schema["enum"][0]
    kind = schema.get("type", "object")
    if kind == "object" and depth < 4:
        props = schema.get("properties", {})
        return {name: example(document, props[name], depth + 1) for name in schema.get("required", []) if name in props}
    if kind == "array":
        return [example(document, schema.get("items", {}), depth + 1)] if schema.get("minItems") else []
    if kind in ("integer", "number"):
        return max(schema.get("minimum", 2026), 1) if "year" in str(schema) else schema.get("minimum", 1)
    if kind == "boolean":
        return False
    return {"uuid": str(uuid.uuid4()), "date": "2026-01-01", "date-time": "2026-01-01T00:00:00Z"}.get(
        schema.get("format", ""), "x"
    )


def operations(gateway: str, http: requests.Session) -> list[tuple[str, str, Any]]:
    """(method, path template, request body) for every operation with a tenant id in its path."""
    found = []
    for service in ROUTES.api_services:  # every API behind the gateway (not the portal's pages)
        document = http.get(f"{gateway}/api/{service}/openapi.json", timeout=10).json()
        for path, item in document["paths"].items():
            if not TENANT_PARAMS & set(re.findall(r"\{(\w+)\}", path)):
                continue
            for method, operation in item.items():
                if method in METHODS:
                    body = operation.get("requestBody", {}).get("content", {}).get("application/json", {})
                    found.append((method, path, example(document, body["schema"]) if body else None))
    return found


@pytest.fixture
def insurer_b(gateway: str, http: requests.Session) -> dict[str, Any]:
    """Menzis's ids, read as Menzis."""
    user, admin = login(gateway, "menzis-inkoper"), login(gateway, "menzis-admin")

    def demo_links_arrived() -> bool:
        """The demo's product links (R13) reach contracting asynchronously after start-up: settle first."""
        listed = http.get(f"{gateway}/api/contracting/collections", headers=user, timeout=10).json()
        demo = [c for c in listed if c["name"] in DEMO_LINKED]
        return len(demo) == len(DEMO_LINKED) and all(c.get("linked_products", 1) >= 1 for c in demo)

    wait_for(demo_links_arrived, timeout=600, interval=1, message="the demo's product links in contracting")
    collections = http.get(f"{gateway}/api/contracting/collections", headers=user, timeout=10).json()
    users = http.get(f"{gateway}/api/identity/users", headers=admin, timeout=10).json()
    assert collections and users
    items = collections["items"] if isinstance(collections, dict) else collections
    return {
        "collection_id": [c["collection_id"] for c in items],
        "user_id": [u["id"] for u in users],
        "as": (user, admin),
    }


@pytest.fixture
def catalogue_ids(gateway: str, http: requests.Session) -> dict[str, str]:
    headers = login(gateway, "beheerder")
    hospital = http.get(
        f"{gateway}/api/catalogue/institutions",
        params={"type": "general_hospital", "page_size": 1},
        headers=headers,
        timeout=10,
    ).json()["items"][0]
    offering = http.get(
        f"{gateway}/api/catalogue/institutions/{hospital['id']}/offering", headers=headers, timeout=10
    ).json()
    specialism = offering["specialisms"][0]
    return {
        "institution_id": hospital["id"],
        "specialism_id": specialism["id"],
        "condition_id": (specialism["conditions"] or [{"id": str(uuid.uuid4())}])[0]["id"],
    }


def fill(template: str, values: dict[str, str]) -> str:
    """The path with its parameters filled in; an unknown parameter gets a fresh id."""
    return re.sub(r"\{(\w+)\}", lambda match: values.get(match.group(1), str(uuid.uuid4())), template)


def snapshot(gateway: str, http: requests.Session, b: dict[str, Any]) -> list[Any]:
    """What insurer B sees of its own data."""
    user, admin = b["as"]
    reads = [http.get(f"{gateway}/api/identity/users", headers=admin, timeout=10).json()]
    for collection_id in b["collection_id"]:
        for suffix in ("", "/institutions", "/history"):
            response = http.get(
                f"{gateway}/api/contracting/collections/{collection_id}{suffix}", headers=user, timeout=30
            )
            reads.append((suffix, response.status_code, response.json()))
    return reads


def test_no_role_of_another_tenant_reaches_insurer_b_data_through_any_operation(
    gateway: str, http: requests.Session, insurer_b: dict[str, Any], catalogue_ids: dict[str, str]
) -> None:
    callers = {
        "insurer A user": login(gateway, "zk-inkoper"),
        "insurer A admin": login(gateway, "zk-admin"),
        "catalogue maintainer": login(gateway, "beheerder"),
        "publication consumer": {"X-API-Key": DEMO_API_KEY},
        "platform admin": login(gateway, "platform"),
    }
    matrix = operations(gateway, http)
    assert len({path for _, path, _ in matrix}) >= 10, "the OpenAPI documents should expose B-owned resources"
    before = snapshot(gateway, http, insurer_b)
    leaks, calls = [], 0
    for method, template, body in matrix:
        for role, headers in callers.items():
            if role == "platform admin" and PLATFORM_MANAGES_EVERY_TENANT.match(template):
                continue
            for name in TENANT_PARAMS & set(re.findall(r"\{(\w+)\}", template)):
                for foreign_id in insurer_b[name][:2]:
                    values = {**catalogue_ids, "collection_id": insurer_b["collection_id"][0], name: foreign_id}
                    path = fill(template, values)
                    extra = {"If-Match": '"1"'} if method != "get" else {}
                    response = http.request(
                        method.upper(), f"{gateway}{path}", headers={**headers, **extra}, json=body, timeout=30
                    )
                    calls += 1
                    if response.status_code not in (403, 404):
                        leaks.append((role, method.upper(), path, response.status_code, response.text[:200]))
    assert calls > 100
    assert leaks == []
    assert snapshot(gateway, http, insurer_b) == before, "insurer B's data changed"
