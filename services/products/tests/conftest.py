"""Fixtures of the products service's tests: a migrated PostgreSQL database of this run's own.

Besides the kit's fixtures: ``contracting`` feeds contracting's events through the kit's inbox
consumer (the same path as production), ``api``/``pub`` call the products API and the publication
API as a given caller, and ``world`` is two insurers with companies, products and collections.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

import pytest

from products.adapters.orm import metadata
from products.app import create_app
from products.bootstrap import bootstrap
from products.config import Settings
from products.integration.inbound import subscriptions
from products.manage import migrate
from products.publication.app import create_publication_app
from servicekit.messaging.envelope import Envelope
from servicekit.testing.identity import gateway_client
from servicekit.testing.inbound import Feeder
from servicekit.testing.service import service_fixtures

settings, runtime, _clean_tables, app, client = service_fixtures(
    service="products",
    settings_from_env=Settings.from_env,
    bootstrap=bootstrap,
    create_app=create_app,
    migrate=migrate,
    metadata=metadata,
)

INSURER_A = str(uuid.uuid5(uuid.NAMESPACE_URL, "zcp:insurer:zilverenkruis"))
INSURER_B = str(uuid.uuid5(uuid.NAMESPACE_URL, "zcp:insurer:menzis"))
YEAR = 2026


@dataclass
class Contracting:
    """Builds contracting's events (collections, rollover, publication snapshots) and feeds them."""

    feeder: Feeder
    versions: dict[str, int] = field(default_factory=dict)
    sent: list[Envelope] = field(default_factory=list)

    def send(self, event_type: str, data: dict[str, Any]) -> str | None:
        envelope = Envelope.new(type=event_type, data=data, producer="contracting")
        self.sent.append(envelope)
        return self.feeder.deliver(envelope)[0]

    def collection(self, insurer_id: str, name: str, year: int = YEAR, collection_type: str = "basic") -> str:
        collection_id = str(uuid.uuid4())
        data = {
            "collection_id": collection_id,
            "insurer_id": insurer_id,
            "contract_year": year,
            "name": name,
            "care_type": "hospital",
            "collection_type": collection_type,
            "source_collection_id": None,
        }
        assert self.send("contracting.collection.created", data) == "acked"
        return collection_id

    def publish(
        self,
        collection_id: str,
        insurer_id: str,
        institution: dict[str, Any],
        status: str | None,
        *,
        departments: list[dict[str, Any]] | None = None,
        conditions: list[dict[str, Any]] | None = None,
        year: int = YEAR,
        version: int | None = None,
        reason: str = "save",
    ) -> str | None:
        self.versions[collection_id] = version if version is not None else self.versions.get(collection_id, 0) + 1
        data = {
            "collection_id": collection_id,
            "insurer_id": insurer_id,
            "contract_year": year,
            "version": self.versions[collection_id],
            "changed_at": datetime.now(UTC).isoformat(),
            "reason": reason,
            "institution": institution | {"status": status},
            "departments": departments or [],
            "conditions": conditions or [],
        }
        return self.send("contracting.publication.changed", data)


def institution(name: str, agb_code: str, type: str = "general_hospital") -> dict[str, Any]:
    return {
        "institution_id": str(uuid.uuid4()),
        "agb_code": agb_code,
        "name": name,
        "type": type,
        "country": "NL",
        "city": "Utrecht",
    }


class Api:
    """A caller of one of the two APIs (the identity token is bound per request by the test client)."""

    def __init__(self, client: Any, base: str, headers: dict[str, str]) -> None:
        self.client, self.base, self.headers = client, base, headers

    def _call(self, method: str, path: str, **kwargs: Any) -> Any:
        extra = kwargs.pop("headers", {})
        return getattr(self.client, method)(self.base + path, headers=self.headers | extra, **kwargs)

    def get(self, path: str, **kw: Any) -> Any:
        return self._call("get", path, **kw)

    def post(self, path: str, **kw: Any) -> Any:
        return self._call("post", path, **kw)

    def put(self, path: str, **kw: Any) -> Any:
        return self._call("put", path, **kw)

    def patch(self, path: str, **kw: Any) -> Any:
        return self._call("patch", path, **kw)


@pytest.fixture
def feeder(runtime: Any) -> Feeder:
    return Feeder(runtime.engine, subscriptions())


@pytest.fixture
def contracting(feeder: Feeder) -> Contracting:
    return Contracting(feeder)


@pytest.fixture
def pub_client(runtime: Any, identity_keys: Any) -> Any:
    return gateway_client(create_publication_app(runtime), identity_keys)


def caller(
    client: Any,
    identity_keys: Any,
    base: str,
    *,
    tenant: str | None,
    roles: tuple[str, ...],
    user: str,
    kind: str = "user",
    year: int | None = YEAR,
) -> Api:
    headers = identity_keys.headers(
        roles=roles, tenant_id=tenant, contract_year=year, subject=user, username=user, kind=kind
    )
    return Api(client, base, headers)


@pytest.fixture
def platform(client: Any, identity_keys: Any) -> Api:
    return caller(
        client, identity_keys, "/api/products", tenant=None, roles=("platform_admin",), user="beheer", year=None
    )


@pytest.fixture
def admin_a(client: Any, identity_keys: Any) -> Api:
    return caller(
        client,
        identity_keys,
        "/api/products",
        tenant=INSURER_A,
        roles=("insurer_admin", "insurer_user"),
        user="teamleider-a",
    )


@pytest.fixture
def user_a(client: Any, identity_keys: Any) -> Api:
    return caller(client, identity_keys, "/api/products", tenant=INSURER_A, roles=("insurer_user",), user="inkoper-a")


@pytest.fixture
def admin_b(client: Any, identity_keys: Any) -> Api:
    return caller(
        client,
        identity_keys,
        "/api/products",
        tenant=INSURER_B,
        roles=("insurer_admin", "insurer_user"),
        user="teamleider-b",
    )


@pytest.fixture
def pub(pub_client: Any, identity_keys: Any) -> Api:
    """A comparison site with an API key."""
    return caller(
        pub_client,
        identity_keys,
        "/api/publication",
        tenant=None,
        roles=("publication_consumer",),
        user="independer",
        kind="api_client",
        year=None,
    )


@dataclass
class World:
    company_a: str
    company_b: str
    product_a: str
    product_a_next_year: str
    product_b: str
    basis_a: str
    selectief_a: str
    basis_a_next_year: str
    basis_b: str


@pytest.fixture
def world(platform: Api, admin_a: Api, admin_b: Api, contracting: Contracting) -> World:
    company_a = platform.post(
        "/companies", json={"insurer_id": INSURER_A, "name": "Zilveren Kruis", "uzovi_code": "9901"}
    )
    assert company_a.status_code == 201, company_a.json
    company_b = platform.post("/companies", json={"insurer_id": INSURER_B, "name": "Menzis", "uzovi_code": "9902"})
    assert company_b.status_code == 201, company_b.json

    def add(api: Api, company: str, year: int, code: str) -> str:
        body = {"company_id": company, "year": year, "name": f"Basis {code}", "code": code, "kind": "natura"}
        response = api.post("/products", json=body)
        assert response.status_code == 201, response.json
        return str(response.json["product_id"])

    return World(
        company_a=company_a.json["company_id"],
        company_b=company_b.json["company_id"],
        product_a=add(admin_a, company_a.json["company_id"], YEAR, "ZK-BASIS"),
        product_a_next_year=add(admin_a, company_a.json["company_id"], YEAR + 1, "ZK-BASIS-27"),
        product_b=add(admin_b, company_b.json["company_id"], YEAR, "MZ-BASIS"),
        basis_a=contracting.collection(INSURER_A, "Basis 2026"),
        selectief_a=contracting.collection(INSURER_A, "Selectief 2026", collection_type="selective"),
        basis_a_next_year=contracting.collection(INSURER_A, "Basis 2027", year=YEAR + 1),
        basis_b=contracting.collection(INSURER_B, "Basis 2026"),
    )
