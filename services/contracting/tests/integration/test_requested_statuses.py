"""R15/R16: an approved data change request gives the requester's named collection the requested status,
whichever of the approval and the catalogue's events arrives first; other collections get the defaults."""

from __future__ import annotations

import uuid
from typing import Any

import pytest
from sqlalchemy import select

from conftest import INSURER_A, INSURER_B, Api, Catalogue, World
from contracting.adapters.orm import condition_status, department_status, institution_status, requested_status
from servicekit.messaging.envelope import Envelope
from servicekit.testing.outbox import outbox_events


def _approved(
    world: World, kind: str, proposal: dict[str, Any], new_ids: dict[str, str], status: str, insurer: str = INSURER_A
) -> Envelope:
    data = {
        "request_id": str(uuid.uuid4()),
        "number": "DW-2026-0007",
        "insurer_id": insurer,
        "kind": kind,
        "proposal": proposal,
        "new_ids": new_ids,
        "collection_id": world.collection_id,
        "collection_status": status,
    }
    return Envelope.new(type="support.change_request.approved", data=data, producer="support")


def _status(
    runtime: Any, table: Any, collection_id: str, institution_id: str, subject: str | None = None
) -> str | None:
    where = [table.c.collection_id == collection_id, table.c.institution_id == institution_id]
    if subject is not None:
        where.append((table.c.specialism_id if table is department_status else table.c.condition_id) == subject)
    with runtime.engine.connect() as connection:
        return connection.execute(select(table.c.status).where(*where)).scalar_one_or_none()


def _register(catalogue: Catalogue, world: World, institution_id: str) -> None:
    data = {
        "institution_id": institution_id,
        "revision": 1,
        "agb_code": "22990001",
        "name": "Kliniek De Linde",
        "type": "zbc",
        "country": "NL",
        "city": "Utrecht",
        "group_id": None,
        "opened_on": None,
    }
    catalogue.institutions[institution_id] = data
    assert catalogue.send("catalogue.institution.registered", data) == "acked"
    catalogue.revisions[institution_id] = 1


@pytest.fixture
def other_collection(world: World, api_b: Api) -> str:
    response = api_b.post("/collections", json={"name": "Basis B", "collection_type": "basic"})
    assert response.status_code == 201, response.json
    return str(response.json["collection_id"])


@pytest.mark.parametrize("approval_first", [True, False])
def test_r16_a_new_hospital_gets_the_requested_status_in_any_order(
    runtime: Any, catalogue: Catalogue, world: World, other_collection: str, approval_first: bool
) -> None:
    new_id = str(uuid.uuid4())
    proposal = {
        "name": "Kliniek De Linde",
        "agb_code": "22990001",
        "specialism_id": world.eye,
        "condition_id": world.cataract,
    }
    approval = _approved(world, "new_institution", proposal, {"institution_id": new_id}, "FULL")
    if approval_first:
        assert catalogue.feeder.deliver(approval) == ["acked"]
        assert _status(runtime, institution_status, world.collection_id, new_id) is None  # waiting for its row
    _register(catalogue, world, new_id)
    if not approval_first:
        assert catalogue.feeder.deliver(approval) == ["acked"]
    assert catalogue.offering(new_id, (world.eye,), (world.cataract,)) == "acked"
    assert _status(runtime, institution_status, world.collection_id, new_id) == "FULL"
    assert _status(runtime, department_status, world.collection_id, new_id, world.eye) == "FULL"
    assert _status(runtime, condition_status, world.collection_id, new_id, world.cataract) == "FULL"
    # every other insurer's open-year collection: the defaults (R16)
    assert _status(runtime, institution_status, other_collection, new_id) == "NOT_CONTRACTED"
    assert _status(runtime, condition_status, other_collection, new_id, world.cataract) == "NOT_CONTRACTED"
    with runtime.engine.connect() as connection:
        [wish] = connection.execute(select(requested_status)).all()
    assert wish.outcome == "applied"
    saved = [
        e
        for e in outbox_events(runtime.engine, "contracting.statuses.changed")
        if e.data["collection_id"] == world.collection_id
    ]
    assert saved and saved[-1].data["status"] == "FULL"
    # a redelivered approval (inbox) changes nothing
    assert catalogue.feeder.deliver(approval) == ["acked"]


def test_r16_a_new_condition_gets_its_status_at_the_named_institutions(
    runtime: Any, catalogue: Catalogue, world: World
) -> None:
    condition_id = str(uuid.uuid4())
    proposal = {
        "condition_name": "Boezemfibrilleren",
        "specialism_id": world.cardio,
        "institution_ids": [world.general],
    }
    approval = _approved(world, "new_condition", proposal, {"condition_id": condition_id}, "IN_NEGOTIATION")
    assert catalogue.feeder.deliver(approval) == ["acked"]  # before the catalogue knows the condition
    data = {"condition_id": condition_id, "revision": 1, "specialism_id": world.cardio, "name": "Boezemfibrilleren"}
    assert catalogue.send("catalogue.condition.added", data) == "acked"
    assert (
        catalogue.offering(
            world.general,
            (world.cardio, world.eye),
            (world.heart_failure, world.arrhythmia, world.cataract, world.glaucoma, condition_id),
        )
        == "acked"
    )
    assert _status(runtime, condition_status, world.collection_id, world.general, condition_id) == "IN_NEGOTIATION"
    assert (
        _status(runtime, condition_status, world.collection_id, world.general, world.heart_failure) == "NOT_CONTRACTED"
    )


def test_r15_a_collection_of_another_insurer_is_refused_not_changed(
    runtime: Any, catalogue: Catalogue, world: World, other_collection: str
) -> None:
    new_id = str(uuid.uuid4())
    proposal = {"name": "X", "agb_code": "22990001", "specialism_id": world.eye, "condition_id": world.cataract}
    approval = _approved(world, "new_institution", proposal, {"institution_id": new_id}, "FULL", insurer=INSURER_B)
    _register(catalogue, world, new_id)
    assert catalogue.feeder.deliver(approval) == ["acked"]
    assert _status(runtime, institution_status, world.collection_id, new_id) == "NOT_CONTRACTED"
    with runtime.engine.connect() as connection:
        [wish] = connection.execute(select(requested_status)).all()
    assert wish.outcome == "refused" and "bestaat niet" in wish.outcome_reason


def test_r11_a_department_status_at_a_foreign_hospital_is_refused(
    runtime: Any, catalogue: Catalogue, world: World
) -> None:
    proposal = {
        "institution_id": world.foreign,
        "add_specialism_ids": [world.eye],
        "add_condition_ids": [],
        "remove_specialism_ids": [],
        "remove_condition_ids": [],
    }
    assert catalogue.feeder.deliver(_approved(world, "offering_change", proposal, {}, "FULL")) == ["acked"]
    with runtime.engine.connect() as connection:
        wishes = connection.execute(select(requested_status)).all()
    assert [(w.outcome, w.outcome_reason[:4]) for w in wishes] == [("refused", "R11:")]
