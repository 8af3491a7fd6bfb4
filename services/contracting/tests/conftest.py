"""Fixtures of the contracting service's tests: a migrated PostgreSQL database of this run's own.

Besides the kit's fixtures: ``catalogue`` feeds catalogue events through the kit's inbox consumer
(the same path as production, on the real database), ``api_a``/``api_b`` call the API as a user of
insurer A or B, and ``world`` is a small catalogue plus one collection of insurer A.
"""

from __future__ import annotations

import json
import threading
import uuid
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

import pytest

from contracting.adapters.orm import metadata
from contracting.app import create_app
from contracting.bootstrap import bootstrap
from contracting.config import Settings
from contracting.integration.inbound import subscriptions
from contracting.manage import migrate
from servicekit.messaging.envelope import Envelope
from servicekit.settling import queue_names
from servicekit.testing.inbound import Feeder
from servicekit.testing.servers import purge_queues
from servicekit.testing.service import service_fixtures

settings, runtime, _clean_tables, app, client = service_fixtures(
    service="contracting",
    settings_from_env=Settings.from_env,
    bootstrap=bootstrap,
    create_app=create_app,
    migrate=migrate,
    metadata=metadata,
)

INSURER_A = str(uuid.uuid5(uuid.NAMESPACE_URL, "zcp:insurer:zilverenkruis"))
INSURER_B = str(uuid.uuid5(uuid.NAMESPACE_URL, "zcp:insurer:menzis"))
YEAR = 2026
BASE = "/api/contracting"


@dataclass
class Catalogue:
    """Builds catalogue events with increasing revisions and feeds them through the consumer."""

    feeder: Feeder
    revisions: dict[str, int] = field(default_factory=dict)
    institutions: dict[str, dict[str, Any]] = field(default_factory=dict)
    sent: list[Envelope] = field(default_factory=list)

    def _rev(self, key: str) -> int:
        self.revisions[key] = self.revisions.get(key, 0) + 1
        return self.revisions[key]

    def event(self, event_type: str, data: dict[str, Any]) -> Envelope:
        return Envelope.new(type=event_type, data=data, producer="catalogue")

    def send(self, event_type: str, data: dict[str, Any]) -> str | None:
        envelope = self.event(event_type, data)
        self.sent.append(envelope)
        return self.feeder.deliver(envelope)[0]

    def specialism(self, code: str, name: str) -> str:
        sid = str(uuid.uuid4())
        assert (
            self.send(
                "catalogue.specialism.added",
                {"specialism_id": sid, "revision": self._rev(sid), "code": code, "name": name},
            )
            == "acked"
        )
        return sid

    def condition(self, specialism_id: str, name: str) -> str:
        cid = str(uuid.uuid4())
        data = {"condition_id": cid, "revision": self._rev(cid), "specialism_id": specialism_id, "name": name}
        assert self.send("catalogue.condition.added", data) == "acked"
        return cid

    def group(self, name: str) -> str:
        gid = str(uuid.uuid4())
        assert (
            self.send(
                "catalogue.group.changed",
                {"group_id": gid, "revision": self._rev(gid), "name": name, "kind": "hospital_group"},
            )
            == "acked"
        )
        return gid

    def institution(
        self,
        name: str,
        *,
        type: str = "general_hospital",
        country: str = "NL",
        group_id: str | None = None,
        specialisms: tuple[str, ...] = (),
        conditions: tuple[str, ...] = (),
        agb_code: str | None = None,
    ) -> str:
        iid = str(uuid.uuid4())
        data = {
            "institution_id": iid,
            "revision": self._rev(iid),
            "agb_code": agb_code or f"{uuid.uuid4().int % 10**8:08d}",
            "name": name,
            "type": type,
            "country": country,
            "city": "Utrecht",
            "group_id": group_id,
            "opened_on": None,
        }
        self.institutions[iid] = data
        assert self.send("catalogue.institution.registered", data) == "acked"
        if specialisms or conditions:
            self.offering(iid, specialisms, conditions)
        return iid

    def offering(self, iid: str, specialisms: tuple[str, ...], conditions: tuple[str, ...]) -> str | None:
        data = {
            "institution_id": iid,
            "revision": self._rev(iid + ":offering"),
            "specialism_ids": list(specialisms),
            "condition_ids": list(conditions),
        }
        return self.send("catalogue.offering.changed", data)

    def close(self, iid: str) -> str | None:
        return self.send(
            "catalogue.institution.closed",
            {"institution_id": iid, "revision": self._rev(iid), "closed_on": "2026-10-01"},
        )


class Api:
    """A logged-in caller of the contracting API."""

    def __init__(self, client: Any, headers: dict[str, str]) -> None:
        self.client = client
        self.headers = headers

    def _call(self, method: str, path: str, **kwargs: Any) -> Any:
        extra = kwargs.pop("headers", {})
        if path.endswith("/apply-to-shown") and "If-Match" not in extra and not kwargs.pop("no_if_match", False):
            # as the UI does: send the status_version the listing was shown at
            shown = self.client.get(BASE + "/collections/" + path.split("/")[2], headers=self.headers)
            extra = extra | {"If-Match": f'"{shown.json.get("status_version", 0)}"'}
        return getattr(self.client, method)(BASE + path, headers=self.headers | extra, **kwargs)

    def get(self, path: str, **kw: Any) -> Any:
        return self._call("get", path, **kw)

    def post(self, path: str, **kw: Any) -> Any:
        return self._call("post", path, **kw)

    def patch(self, path: str, **kw: Any) -> Any:
        return self._call("patch", path, **kw)

    def delete(self, path: str, **kw: Any) -> Any:
        return self._call("delete", path, **kw)


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line("markers", "no_rollover_worker: the test runs rollover jobs itself")


@pytest.fixture
def rollover_worker(runtime: Any, request: pytest.FixtureRequest) -> Iterator[None]:
    """The consumer process's rollover worker (R3), as a thread beside the test's API (not in it)."""
    if request.node.get_closest_marker("no_rollover_worker"):
        yield
        return
    stop = threading.Event()
    worker = threading.Thread(target=runtime.run_rollovers, args=(stop, 0.05), name="test-rollover-worker")
    worker.start()
    yield
    stop.set()
    worker.join(timeout=30)


@pytest.fixture
def purged_queues(settings: Any) -> Iterator[None]:
    """After the test (and its assertions): this service's queues emptied, so that a failed test's unhandled
    events never reach the next test's consumers."""
    yield
    prefix = settings.messaging.queue_prefix
    dead = [s.queue_spec.dead_letter_name(prefix) for s in subscriptions()]
    purge_queues(settings.messaging.amqp_url, [*queue_names(settings, subscriptions()), *dead])


@pytest.fixture
def feeder(runtime: Any) -> Feeder:
    return Feeder(runtime.engine, subscriptions())


@pytest.fixture
def catalogue(feeder: Feeder) -> Catalogue:
    return Catalogue(feeder)


def make_api(
    client: Any,
    identity_keys: Any,
    *,
    tenant: str | None,
    roles: tuple[str, ...],
    year: int = YEAR,
    user: str = "inkoper-a",
) -> Api:
    return Api(
        client, identity_keys.headers(roles=roles, tenant_id=tenant, contract_year=year, subject=user, username=user)
    )


@pytest.fixture
def api_a(client: Any, identity_keys: Any) -> Api:
    return make_api(client, identity_keys, tenant=INSURER_A, roles=("insurer_user",))


@pytest.fixture
def api_a2(client: Any, identity_keys: Any) -> Api:
    """A second user of insurer A (concurrent editing)."""
    return make_api(client, identity_keys, tenant=INSURER_A, roles=("insurer_user",), user="inkoper-a2")


@pytest.fixture
def admin_a(client: Any, identity_keys: Any) -> Api:
    return make_api(client, identity_keys, tenant=INSURER_A, roles=("insurer_admin",), user="teamleider-a")


@pytest.fixture
def api_b(client: Any, identity_keys: Any) -> Api:
    return make_api(client, identity_keys, tenant=INSURER_B, roles=("insurer_user",), user="inkoper-b")


@pytest.fixture
def platform(client: Any, identity_keys: Any) -> Api:
    return make_api(client, identity_keys, tenant=None, roles=("platform_admin",), user="beheer")


@dataclass
class World:
    catalogue: Catalogue
    collection_id: str
    cardio: str
    eye: str
    heart_failure: str
    arrhythmia: str
    cataract: str
    glaucoma: str
    group: str
    umc: str
    general: str
    zbc: str
    foreign: str

    def by_name(self) -> dict[str, str]:
        return {self.catalogue.institutions[i]["name"]: i for i in (self.umc, self.general, self.zbc, self.foreign)}


@pytest.fixture
def world(catalogue: Catalogue, api_a: Api) -> World:
    cardio = catalogue.specialism("0320", "Cardiologie")
    eye = catalogue.specialism("0301", "Oogheelkunde")
    heart_failure = catalogue.condition(cardio, "Hartfalen")
    arrhythmia = catalogue.condition(cardio, "Ritmestoornis")
    cataract = catalogue.condition(eye, "Staar")
    glaucoma = catalogue.condition(eye, "Glaucoom")
    group = catalogue.group("Santeon")
    umc = catalogue.institution(
        "Amsterdam UMC",
        type="university_medical_centre",
        group_id=group,
        agb_code="06010001",
        specialisms=(cardio, eye),
        conditions=(heart_failure, arrhythmia, cataract, glaucoma),
    )
    general = catalogue.institution(
        "Ziekenhuis Rivierenland",
        group_id=group,
        agb_code="06010002",
        specialisms=(cardio, eye),
        conditions=(heart_failure, arrhythmia, cataract, glaucoma),
    )
    zbc = catalogue.institution(
        "Oogkliniek Noord", type="zbc", agb_code="22010003", specialisms=(eye,), conditions=(cataract, glaucoma)
    )
    foreign = catalogue.institution(
        "UZ Leuven",
        type="foreign_hospital",
        country="BE",
        agb_code="99010004",
        specialisms=(cardio,),
        conditions=(heart_failure,),
    )
    response = api_a.post(
        "/collections", json={"name": "Basis 2026", "collection_type": "basic", "description": "Basis"}
    )
    assert response.status_code == 201, response.json
    return World(
        catalogue,
        response.json["collection_id"],
        cardio,
        eye,
        heart_failure,
        arrhythmia,
        cataract,
        glaucoma,
        group,
        umc,
        general,
        zbc,
        foreign,
    )


def rows_by(listing: dict[str, Any], key: str) -> dict[str, dict[str, Any]]:
    return {item[key]: item for item in listing["items"]}


def dump(response: Any) -> str:
    return json.dumps(response.json, indent=1, default=str)
