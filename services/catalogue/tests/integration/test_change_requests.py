"""R15/R16: an approved data change request (``support.change_request.approved``) becomes catalogue data.

The handler runs as the consumer runs it: in the consumer's session, twice for a redelivery. What it
writes is the same as the maintainer's API would write, with the same outbox events.
"""

from __future__ import annotations

import uuid
from typing import Any

import pytest
from sqlalchemy.orm import Session

from catalogue.integration.inbound import CHANGE_REQUEST_APPROVED, subscriptions
from servicekit.contracts import examples, validate_event
from servicekit.messaging.envelope import Envelope
from servicekit.testing.outbox import outbox_events

API = "/api/catalogue"


@pytest.fixture
def call(client, maintainer):  # type: ignore[no-untyped-def]
    def _call(method: str, path: str, body: Any = None, status: int = 200) -> Any:
        response = getattr(client, method)(f"{API}{path}", json=body, headers=maintainer)
        assert response.status_code == status, response.json
        return response.json

    return _call


def _deliver(runtime: Any, data: dict[str, Any]) -> None:
    [subscription] = [s for s in subscriptions() if s.purpose == "change_requests"]
    envelope = Envelope.from_json(Envelope.new(producer="support", type=CHANGE_REQUEST_APPROVED, data=data).to_json())
    with Session(runtime.engine) as session, session.begin():
        subscription.handlers[CHANGE_REQUEST_APPROVED](envelope, session)


def _approved(kind: str, proposal: dict[str, Any], new_ids: dict[str, str]) -> dict[str, Any]:
    data = {
        "request_id": str(uuid.uuid4()),
        "number": "DW-2026-0001",
        "insurer_id": str(uuid.uuid4()),
        "kind": kind,
        "proposal": proposal,
        "new_ids": new_ids,
        "collection_id": None,
        "collection_status": None,
    }
    validate_event(Envelope.new(producer="support", type=CHANGE_REQUEST_APPROVED, data=data))
    return data


@pytest.fixture
def master(call):  # type: ignore[no-untyped-def]
    eye = call("post", "/specialisms", {"code": "0301", "name": "Oogheelkunde"}, 201)
    heart = call("post", "/specialisms", {"code": "0320", "name": "Cardiologie"}, 201)
    cataract = call("post", "/conditions", {"specialism_id": eye["id"], "name": "Staar"}, 201)
    body = {"agb_code": "06010001", "name": "Isala Zwolle", "type": "top_clinical_hospital", "country": "NL"}
    isala = call("post", "/institutions", body, 201)
    return {"eye": eye["id"], "heart": heart["id"], "cataract": cataract["id"], "isala": isala["id"]}


def test_r16_a_new_hospital_is_registered_with_its_offering_once(runtime, call, master) -> None:  # type: ignore[no-untyped-def]
    new_id = str(uuid.uuid4())
    proposal = {
        "name": "Kliniek De Linde",
        "agb_code": "22990001",
        "type": "zbc",
        "address": "Lindelaan 1",
        "postcode": "3511 AB",
        "city": "Utrecht",
        "email": None,
        "phone": "030 123 4567",
        "specialism_id": master["eye"],
        "condition_id": master["cataract"],
    }
    data = _approved("new_institution", proposal, {"institution_id": new_id})
    _deliver(runtime, data)
    _deliver(runtime, data)  # a redelivery (its inbox row lost) changes nothing
    institution = call("get", f"/institutions/{new_id}")
    assert (institution["agb_code"], institution["name"], institution["city"]) == (
        "22990001",
        "Kliniek De Linde",
        "Utrecht",
    )
    offering = call("get", f"/institutions/{new_id}/offering")
    assert set(offering["specialism_ids"]) == {master["eye"]}
    assert set(offering["condition_ids"]) == {master["cataract"]}
    registered = [
        e
        for e in outbox_events(runtime.engine, "catalogue.institution.registered")
        if e.data["institution_id"] == new_id
    ]
    offered = [
        e for e in outbox_events(runtime.engine, "catalogue.offering.changed") if e.data["institution_id"] == new_id
    ]
    assert len(registered) == 1 and len(offered) == 1
    for event in registered + offered:
        validate_event(event)


def test_r16_a_new_condition_is_offered_at_the_named_institutions(runtime, call, master) -> None:  # type: ignore[no-untyped-def]
    condition_id = str(uuid.uuid4())
    proposal = {
        "condition_name": "Boezemfibrilleren",
        "specialism_id": master["heart"],
        "institution_ids": [master["isala"]],
    }
    _deliver(runtime, _approved("new_condition", proposal, {"condition_id": condition_id}))
    assert call("get", f"/conditions/{condition_id}")["name"] == "Boezemfibrilleren"
    offering = call("get", f"/institutions/{master['isala']}/offering")
    assert condition_id in offering["condition_ids"]
    assert master["heart"] in offering["specialism_ids"]  # the condition brings its department
    [added] = outbox_events(runtime.engine, "catalogue.condition.added")[-1:]
    assert added.data["condition_id"] == condition_id


def test_r16_an_offering_change_adds_and_removes(runtime, call, master) -> None:  # type: ignore[no-untyped-def]
    call(
        "put",
        f"/institutions/{master['isala']}/offering",
        {"specialism_ids": [master["eye"]], "condition_ids": [master["cataract"]]},
    )
    proposal = {
        "institution_id": master["isala"],
        "add_specialism_ids": [master["heart"]],
        "add_condition_ids": [],
        "remove_specialism_ids": [master["eye"]],
        "remove_condition_ids": [],
    }
    _deliver(runtime, _approved("offering_change", proposal, {}))
    offering = call("get", f"/institutions/{master['isala']}/offering")
    assert set(offering["specialism_ids"]) == {master["heart"]}
    assert offering["condition_ids"] == []  # cataract left with its department


def test_r16_an_agb_code_taken_meanwhile_fails_the_message(runtime, master) -> None:  # type: ignore[no-untyped-def]
    proposal = {
        "name": "Dubbel",
        "agb_code": "06010001",
        "type": "zbc",
        "specialism_id": master["eye"],
        "condition_id": master["cataract"],
    }
    with pytest.raises(Exception, match="06010001"):
        _deliver(runtime, _approved("new_institution", proposal, {"institution_id": str(uuid.uuid4())}))


def test_the_schema_examples_are_valid() -> None:
    for sample in examples(CHANGE_REQUEST_APPROVED):
        validate_event(Envelope.new(producer="support", type=CHANGE_REQUEST_APPROVED, data=sample))
