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
from servicekit.published import catalogue as catalogue_commands  # noqa: E402
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
        copy, cmd = catalogue_copy, catalogue_commands
        add_s, add_c, add_i = copy.record_specialism, copy.record_condition, copy.record_institution
        add_s(cmd.RecordSpecialism(c.cardiology, 1, "0320", "Cardiologie"), uow)
        add_s(cmd.RecordSpecialism(c.ophthalmology, 1, "0301", "Oogheelkunde"), uow)
        add_s(cmd.RecordSpecialism(c.retired_specialism, 1, "0399", "Oud vak"), uow)
        copy.retire_specialism(cmd.RetireSpecialism(c.retired_specialism, 2), uow)
        add_c(cmd.RecordCondition(c.heart_failure, 1, c.cardiology, "Hartfalen"), uow)
        add_c(cmd.RecordCondition(c.cataract, 1, c.ophthalmology, "Staar"), uow)
        add_c(cmd.RecordCondition(c.retired_condition, 1, c.cardiology, "Oud"), uow)
        copy.retire_condition(cmd.RetireCondition(c.retired_condition, 2), uow)
        add_i(cmd.RecordInstitution(c.hospital, 1, c.hospital_agb, "Isala Zwolle"), uow)
        add_i(cmd.RecordInstitution(c.clinic, 1, "22000002", "Oogkliniek Noord"), uow)
        add_i(cmd.RecordInstitution(c.closed_hospital, 1, "06010003", "Gesloten ZH"), uow)
        copy.close_institution(cmd.CloseInstitution(c.closed_hospital, 2), uow)
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
