"""Fixtures of the support service's tests: a migrated PostgreSQL database of this run's own."""

from servicekit.testing.service import service_fixtures
from support.adapters.orm import metadata
from support.app import create_app
from support.bootstrap import bootstrap
from support.config import Settings
from support.manage import migrate

settings, runtime, _clean_tables, app, client = service_fixtures(
    service="support",
    settings_from_env=Settings.from_env,
    bootstrap=bootstrap,
    create_app=create_app,
    migrate=migrate,
    metadata=metadata,
)


import uuid  # noqa: E402
from dataclasses import dataclass  # noqa: E402
from typing import Any  # noqa: E402

import pytest  # noqa: E402

from servicekit.db import UnitOfWork  # noqa: E402
from support.service_layer import catalogue_copy  # noqa: E402

API = "/api/support"
INSURER_A = "0a000000-0000-4000-8000-00000000000a"
INSURER_B = "0b000000-0000-4000-8000-00000000000b"


class Api:
    """The support API as one caller: ``api.post("/reports", json=...)``."""

    def __init__(self, client: Any, headers: dict[str, str]) -> None:
        self.client = client
        self.headers = headers

    def __getattr__(self, method: str) -> Any:
        def call(path: str, **kwargs: Any) -> Any:
            return getattr(self.client, method)(f"{API}{path}", headers=self.headers, **kwargs)

        return call


@pytest.fixture
def insurer_a(client, identity_keys) -> Api:  # type: ignore[no-untyped-def]
    headers = identity_keys.headers(
        roles=("insurer_user",), tenant_id=INSURER_A, contract_year=2026, subject="user-a", username="zk-inkoper"
    )
    return Api(client, headers)


@pytest.fixture
def colleague_a(client, identity_keys) -> Api:  # type: ignore[no-untyped-def]
    headers = identity_keys.headers(
        roles=("insurer_admin",), tenant_id=INSURER_A, contract_year=2026, subject="admin-a", username="zk-beheer"
    )
    return Api(client, headers)


@pytest.fixture
def insurer_b(client, identity_keys) -> Api:  # type: ignore[no-untyped-def]
    headers = identity_keys.headers(
        roles=("insurer_user",), tenant_id=INSURER_B, contract_year=2026, subject="user-b", username="cz-inkoper"
    )
    return Api(client, headers)


@pytest.fixture
def maintainer(client, identity_keys) -> Api:  # type: ignore[no-untyped-def]
    headers = identity_keys.headers(roles=("catalogue_maintainer",), subject="maint-1", username="mediquest")
    return Api(client, headers)


@dataclass(frozen=True)
class Catalogue:
    """The catalogue copy the tests start from (as catalogue events would have filled it)."""

    cardiology: str
    ophthalmology: str
    retired_specialism: str
    heart_failure: str
    cataract: str
    retired_condition: str
    hospital: str
    clinic: str
    closed_hospital: str
    hospital_agb: str


def _id() -> str:
    return str(uuid.uuid4())


@pytest.fixture
def catalogue(runtime) -> Catalogue:  # type: ignore[no-untyped-def]
    c = Catalogue(_id(), _id(), _id(), _id(), _id(), _id(), _id(), _id(), _id(), "06010001")
    uow = runtime.unit_of_work()
    with uow:
        add_s, add_c, add_i = (
            catalogue_copy.specialism_added,
            catalogue_copy.condition_added,
            catalogue_copy.institution_registered,
        )
        add_s({"specialism_id": c.cardiology, "revision": 1, "code": "0320", "name": "Cardiologie"}, uow)
        add_s({"specialism_id": c.ophthalmology, "revision": 1, "code": "0301", "name": "Oogheelkunde"}, uow)
        add_s({"specialism_id": c.retired_specialism, "revision": 1, "code": "0399", "name": "Oud vak"}, uow)
        catalogue_copy.specialism_retired({"specialism_id": c.retired_specialism, "revision": 2}, uow)
        add_c({"condition_id": c.heart_failure, "revision": 1, "specialism_id": c.cardiology, "name": "Hartfalen"}, uow)
        add_c({"condition_id": c.cataract, "revision": 1, "specialism_id": c.ophthalmology, "name": "Staar"}, uow)
        add_c({"condition_id": c.retired_condition, "revision": 1, "specialism_id": c.cardiology, "name": "Oud"}, uow)
        catalogue_copy.condition_retired({"condition_id": c.retired_condition, "revision": 2}, uow)
        add_i({"institution_id": c.hospital, "revision": 1, "agb_code": c.hospital_agb, "name": "Isala Zwolle"}, uow)
        add_i({"institution_id": c.clinic, "revision": 1, "agb_code": "22000002", "name": "Oogkliniek Noord"}, uow)
        add_i({"institution_id": c.closed_hospital, "revision": 1, "agb_code": "06010003", "name": "Gesloten ZH"}, uow)
        catalogue_copy.institution_closed({"institution_id": c.closed_hospital, "revision": 2}, uow)
        uow.commit()
    return c


def new_institution_request(c: Catalogue, **overrides: Any) -> dict[str, Any]:
    return {
        "kind": "new_institution",
        "name": "Kliniek De Linde",
        "agb_code": "22990001",
        "type": "zbc",
        "address": "Lindelaan 1",
        "postcode": "3511ab",
        "city": "Utrecht",
        "email": "info@delinde.example",
        "phone": "030 123 4567",
        "specialism_id": c.ophthalmology,
        "condition_id": c.cataract,
        "requester_email": "inkoper@zk.example",
        **overrides,
    }


def new_condition_request(c: Catalogue, **overrides: Any) -> dict[str, Any]:
    return {
        "kind": "new_condition",
        "condition_name": "Boezemfibrilleren",
        "specialism_id": c.cardiology,
        "institution_ids": [c.hospital],
        **overrides,
    }


def offering_change_request(c: Catalogue, **overrides: Any) -> dict[str, Any]:
    return {
        "kind": "offering_change",
        "institution_id": c.clinic,
        "add_specialism_ids": [c.cardiology],
        "add_condition_ids": [c.heart_failure],
        **overrides,
    }


def unit_of_work_of(runtime: Any) -> UnitOfWork:
    return runtime.unit_of_work()  # type: ignore[no-any-return]
