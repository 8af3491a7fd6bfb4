"""R15 data change requests through the API: the three kinds, their field rules against the catalogue
copy, linking of repeats, the workflow, due dates and overdue flags, tenant isolation, the approval event."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, timedelta
from typing import Any

import pytest
from sqlalchemy import update

from conftest import (
    INSURER_A,
    Api,
    Catalogue,
    new_condition_request,
    new_institution_request,
    offering_change_request,
)
from servicekit.contracts import validate_event
from servicekit.testing.outbox import outbox_events
from support.adapters.orm import change_request
from support.domain.commands import Actor, SubmitChangeRequest
from support.domain.model import Side
from support.integration.outbound import CHANGE_REQUEST_APPROVED
from support.service_layer.requests import submit_request


def _submit(api: Api, body: dict[str, Any]) -> dict[str, Any]:
    response = api.post("/requests", json=body)
    assert response.status_code == 201, response.json
    return response.json  # type: ignore[no-any-return]


def _refused(api: Api, body: dict[str, Any], status: int, field: str) -> str:
    response = api.post("/requests", json=body)
    assert response.status_code == status, response.json
    assert field in response.json["errors"], response.json
    message: str = response.json["errors"][field][0]
    assert message.startswith("R15: "), message
    return message


def test_r15_new_institution_is_submitted_with_number_and_due_date(insurer_a: Api, catalogue: Catalogue) -> None:
    created = _submit(insurer_a, new_institution_request(catalogue, collection_id=INSURER_A, collection_status="FULL"))
    assert re.fullmatch(r"DW-\d{4}-0001", created["number"])
    assert created["status"] == "submitted" and created["status_name"] == "Ingediend"
    assert created["proposal"]["postcode"] == "3511 AB"
    assert created["proposal"]["agb_code"] == "22990001"
    assert created["requester_name"] == "zk-inkoper"
    assert created["collection_status"] == "FULL"
    assert date.fromisoformat(created["due_on"]) > date.fromisoformat(created["submitted_on"])
    assert created["overdue"] is False


def test_r15_new_condition_and_offering_change_are_submitted(insurer_a: Api, catalogue: Catalogue) -> None:
    condition = _submit(insurer_a, new_condition_request(catalogue, condition_name="  Boezem   fibrilleren "))
    assert condition["proposal"] == {
        "condition_name": "Boezem fibrilleren",
        "specialism_id": catalogue.cardiology,
        "institution_ids": [catalogue.hospital],
    }
    change = _submit(insurer_a, offering_change_request(catalogue))
    assert change["proposal"]["add_condition_ids"] == [catalogue.heart_failure]
    assert change["proposal"]["remove_specialism_ids"] == []


@pytest.mark.parametrize(
    ("overrides", "status", "field", "fragment"),
    [
        ({"kind": "something"}, 422, "kind", "Kies het soort verzoek"),
        ({"name": ""}, 422, "name", "De naam is verplicht"),
        ({"agb_code": "1234567"}, 422, "agb_code", "precies 8 cijfers"),
        ({"agb_code": "06010001"}, 409, "agb_code", "bestaat al in de catalogus (Isala Zwolle)"),
        ({"type": "edc"}, 422, "type", "Kies een soort instelling"),
        ({"email": "nee"}, 422, "email", "geen geldig e-mailadres"),
        ({"phone": "bel me"}, 422, "phone", "geen geldig telefoonnummer"),
        ({"postcode": "12345"}, 422, "postcode", "geen Nederlandse postcode"),
        ({"specialism_id": None}, 422, "specialism_id", "Een specialisme is verplicht"),
        ({"specialism_id": "5b1f2a9e-1c3d-4e5f-8a9b-0c1d2e3f4a5b"}, 422, "specialism_id", "is onbekend"),
        ({"specialism_id": "geen-id"}, 422, "specialism_id", "is onbekend"),
        ({"condition_id": None}, 422, "condition_id", "Een aandoening is verplicht"),
        ({"condition_id": "5b1f2a9e-1c3d-4e5f-8a9b-0c1d2e3f4a5b"}, 422, "condition_id", "is onbekend"),
        ({"institution_ids": ["x"]}, 422, "institution_ids", "Dit veld hoort niet bij dit soort verzoek"),
        ({"requester_email": "nee"}, 422, "requester_email", "geen geldig e-mailadres"),
        ({"collection_status": "FULL"}, 422, "collection_id", "Kies de collectie"),
        ({"collection_id": INSURER_A}, 422, "collection_status", "Kies een contracteerstatus"),
    ],
)
def test_r15_new_institution_field_rules(
    insurer_a: Api, catalogue: Catalogue, overrides: dict[str, Any], status: int, field: str, fragment: str
) -> None:
    body = new_institution_request(catalogue, **overrides)
    assert fragment in _refused(insurer_a, body, status, field)


def test_r15_new_institution_refuses_retired_and_mismatched_subjects(insurer_a: Api, catalogue: Catalogue) -> None:
    body = new_institution_request(catalogue, specialism_id=catalogue.retired_specialism)
    assert "is vervallen" in _refused(insurer_a, body, 422, "specialism_id")
    body = new_institution_request(
        catalogue, specialism_id=catalogue.cardiology, condition_id=catalogue.retired_condition
    )
    assert "is vervallen" in _refused(insurer_a, body, 422, "condition_id")
    body = new_institution_request(catalogue, condition_id=catalogue.heart_failure)  # cardiology, not ophthalmology
    assert "hoort niet bij het gekozen specialisme" in _refused(insurer_a, body, 422, "condition_id")


@pytest.mark.parametrize(
    ("overrides", "status", "field", "fragment"),
    [
        ({"condition_name": ""}, 422, "condition_name", "De naam is verplicht"),
        ({"condition_name": "hartfalen"}, 409, "condition_name", "heeft al een aandoening 'Hartfalen'"),
        ({"specialism_id": "5b1f2a9e-1c3d-4e5f-8a9b-0c1d2e3f4a5b"}, 422, "specialism_id", "is onbekend"),
        ({"institution_ids": []}, 422, "institution_ids", "minstens één instelling"),
        ({"institution_ids": None}, 422, "institution_ids", "minstens één instelling"),
        ({"agb_code": "22990001"}, 422, "agb_code", "hoort niet bij dit soort verzoek"),
        ({"collection_id": INSURER_A, "collection_status": "PARTIAL"}, 422, "collection_status", "Gedeeltelijk"),
    ],
)
def test_r15_new_condition_field_rules(
    insurer_a: Api, catalogue: Catalogue, overrides: dict[str, Any], status: int, field: str, fragment: str
) -> None:
    assert fragment in _refused(insurer_a, new_condition_request(catalogue, **overrides), status, field)


def test_r15_new_condition_refuses_closed_and_unknown_institutions(insurer_a: Api, catalogue: Catalogue) -> None:
    body = new_condition_request(catalogue, institution_ids=[catalogue.hospital, catalogue.closed_hospital])
    assert "Gesloten ZH is gesloten" in _refused(insurer_a, body, 422, "institution_ids.1")
    body = new_condition_request(catalogue, institution_ids=["5b1f2a9e-1c3d-4e5f-8a9b-0c1d2e3f4a5b"])
    assert "is onbekend" in _refused(insurer_a, body, 422, "institution_ids.0")


@pytest.mark.parametrize(
    ("overrides", "field", "fragment"),
    [
        ({"institution_id": None}, "institution_id", "Een instelling is verplicht"),
        ({"add_specialism_ids": [], "add_condition_ids": []}, "add_specialism_ids", "minstens één specialisme"),
        ({"add_specialism_ids": ["5b1f2a9e-1c3d-4e5f-8a9b-0c1d2e3f4a5b"]}, "add_specialism_ids.0", "is onbekend"),
        ({"add_condition_ids": ["5b1f2a9e-1c3d-4e5f-8a9b-0c1d2e3f4a5b"]}, "add_condition_ids.0", "is onbekend"),
        ({"remove_condition_ids": ["x"]}, "remove_condition_ids.0", "is onbekend"),
        ({"condition_name": "Iets"}, "condition_name", "hoort niet bij dit soort verzoek"),
    ],
)
def test_r15_offering_change_field_rules(
    insurer_a: Api, catalogue: Catalogue, overrides: dict[str, Any], field: str, fragment: str
) -> None:
    assert fragment in _refused(insurer_a, offering_change_request(catalogue, **overrides), 422, field)


def test_r15_offering_change_of_a_closed_institution_is_refused(insurer_a: Api, catalogue: Catalogue) -> None:
    body = offering_change_request(catalogue, institution_id=catalogue.closed_hospital)
    assert "is gesloten" in _refused(insurer_a, body, 422, "institution_id")


def test_r15_a_repeat_of_an_open_request_is_linked_to_it(
    insurer_a: Api, insurer_b: Api, maintainer: Api, catalogue: Catalogue
) -> None:
    first = _submit(insurer_a, new_institution_request(catalogue))
    again = _submit(insurer_a, new_institution_request(catalogue, name="De Linde"))
    assert again["linked_request_id"] == first["id"] and again["linked_request_number"] == first["number"]
    other = _submit(insurer_b, new_institution_request(catalogue))
    # another insurer's request is linked for the maintainer, but not shown to the insurer
    assert other["linked_request_id"] is None and other["linked_request_number"] is None
    assert maintainer.get(f"/requests/{other['id']}").json["linked_request_number"] == first["number"]
    # once the first is decided, a new repeat is not linked to it
    maintainer.post(f"/requests/{first['id']}/status", json={"status": "rejected", "reason": "Dubbel"})
    later = _submit(insurer_a, new_institution_request(catalogue))
    assert later["linked_request_id"] == again["id"]


def test_r15_workflow_review_and_reject_with_reason(insurer_a: Api, maintainer: Api, catalogue: Catalogue) -> None:
    request = _submit(insurer_a, new_condition_request(catalogue))
    review = maintainer.post(f"/requests/{request['id']}/status", json={"status": "in_review"})
    assert review.status_code == 200 and review.json["status"] == "in_review"
    no_reason = maintainer.post(f"/requests/{request['id']}/status", json={"status": "rejected"})
    assert no_reason.status_code == 422
    assert no_reason.json["errors"]["reason"][0].startswith("R15: De reden van afwijzing is verplicht")
    rejected = maintainer.post(
        f"/requests/{request['id']}/status", json={"status": "rejected", "reason": "Bestaat al onder een andere naam."}
    )
    assert rejected.json["status"] == "rejected" and rejected.json["reason"] == "Bestaat al onder een andere naam."
    assert rejected.json["decided_by"] == "mediquest"
    seen = insurer_a.get(f"/requests/{request['id']}").json
    assert seen["status_name"] == "Afgewezen"
    withdraw = insurer_a.post(f"/requests/{request['id']}/status", json={"status": "withdrawn"})
    assert withdraw.status_code == 409 and withdraw.json["errors"]["status"][0].startswith("R15: ")


def test_r15_the_requester_withdraws_and_may_not_decide(insurer_a: Api, maintainer: Api, catalogue: Catalogue) -> None:
    request = _submit(insurer_a, new_condition_request(catalogue))
    assert insurer_a.post(f"/requests/{request['id']}/status", json={"status": "approved"}).status_code == 409
    assert insurer_a.post(f"/requests/{request['id']}/status", json={"status": "in_review"}).status_code == 409
    withdrawn = insurer_a.post(f"/requests/{request['id']}/status", json={"status": "withdrawn"})
    assert withdrawn.status_code == 200 and withdrawn.json["status"] == "withdrawn"
    assert maintainer.post(f"/requests/{request['id']}/status", json={"status": "approved"}).status_code == 409
    assert maintainer.patch(f"/requests/{request['id']}", json={"condition_name": "X"}).status_code == 409


def test_r15_the_maintainer_corrects_then_approves_and_the_event_carries_it(
    runtime: Any, insurer_a: Api, maintainer: Api, catalogue: Catalogue
) -> None:
    body = new_institution_request(catalogue, collection_id=INSURER_A, collection_status="FULL")
    request = _submit(insurer_a, body)
    stale = maintainer.patch(f"/requests/{request['id']}", json={"name": "X", "version": request["version"] + 5})
    assert stale.status_code == 409 and "version" in stale.json["errors"]
    bad = maintainer.patch(f"/requests/{request['id']}", json={"agb_code": "06010001"})
    assert bad.status_code == 409 and "agb_code" in bad.json["errors"]
    corrected = maintainer.patch(f"/requests/{request['id']}", json={"name": "Kliniek De Linde Utrecht"})
    assert corrected.status_code == 200, corrected.json
    assert corrected.json["proposal"]["name"] == "Kliniek De Linde Utrecht"
    assert corrected.json["proposal"]["agb_code"] == "22990001"  # the rest kept
    approved = maintainer.post(f"/requests/{request['id']}/status", json={"status": "approved"})
    assert approved.status_code == 200 and approved.json["status"] == "approved"
    [event] = outbox_events(runtime.engine, CHANGE_REQUEST_APPROVED)
    validate_event(event)
    assert event.data["proposal"]["name"] == "Kliniek De Linde Utrecht"
    assert event.data["insurer_id"] == INSURER_A
    assert event.data["collection_status"] == "FULL" and set(event.data["new_ids"]) == {"institution_id"}


def test_r15_approval_is_checked_against_todays_catalogue(
    runtime: Any, insurer_a: Api, maintainer: Api, catalogue: Catalogue
) -> None:
    """An institution closed after submission: approving is refused, nothing is emitted."""
    from servicekit.published.catalogue import CloseInstitution
    from support.service_layer import catalogue_copy

    request = _submit(insurer_a, new_condition_request(catalogue))
    uow = runtime.unit_of_work()
    with uow:
        catalogue_copy.close_institution(CloseInstitution(catalogue.hospital, 5), uow)
        uow.commit()
    refused = maintainer.post(f"/requests/{request['id']}/status", json={"status": "approved"})
    assert refused.status_code == 422 and "institution_ids.0" in refused.json["errors"]
    assert outbox_events(runtime.engine, CHANGE_REQUEST_APPROVED) == []
    assert maintainer.get(f"/requests/{request['id']}").json["status"] == "submitted"


def test_r15_due_date_from_a_fixed_submission_moment(runtime: Any, catalogue: Catalogue) -> None:
    """R15: submitted on Wednesday 23 December 2026 (Dutch time) -> due Thursday 31 December 2026."""
    actor = Actor(Side.INSURER, "user-a", "zk-inkoper", INSURER_A)
    at = datetime(2026, 12, 22, 23, 30, tzinfo=UTC)  # 00:30 on the 23rd in Amsterdam
    request_id = submit_request(
        SubmitChangeRequest(actor, "new_condition", new_condition_request(catalogue), at), runtime.unit_of_work()
    )
    with runtime.engine.connect() as connection:
        row = connection.execute(change_request.select().where(change_request.c.id == request_id)).one()
    assert (row.submitted_on, row.due_on) == (date(2026, 12, 23), date(2026, 12, 31))


def test_r15_overdue_requests_are_flagged_oldest_first(
    runtime: Any, insurer_a: Api, maintainer: Api, catalogue: Catalogue
) -> None:
    late = _submit(insurer_a, new_condition_request(catalogue))
    in_time = _submit(insurer_a, offering_change_request(catalogue))
    done = _submit(insurer_a, new_institution_request(catalogue))
    maintainer.post(f"/requests/{done['id']}/status", json={"status": "rejected", "reason": "Nee"})
    long_ago = datetime.now(UTC) - timedelta(days=30)
    with runtime.engine.begin() as connection:
        for request_id in (late["id"], done["id"]):
            connection.execute(
                update(change_request)
                .where(change_request.c.id == request_id)
                .values(created_at=long_ago, submitted_on=long_ago.date(), due_on=long_ago.date() + timedelta(days=7))
            )
    listing = maintainer.get("/requests").json["items"]
    # oldest first (same moment: by number); a decided request is never overdue
    assert [(r["id"], r["overdue"]) for r in listing] == [
        (late["id"], True),
        (done["id"], False),
        (in_time["id"], False),
    ]
    overdue = maintainer.get("/requests", query_string={"overdue": "true"}).json
    assert [r["id"] for r in overdue["items"]] == [late["id"]] and overdue["total"] == 1
    assert insurer_a.get(f"/requests/{late['id']}").json["overdue"] is True


class TestR15TenantIsolation:
    """R15: another insurer's request is 404 on every endpoint, and nothing about it changes."""

    @pytest.fixture
    def other(self, insurer_b: Api, catalogue: Catalogue) -> dict[str, Any]:
        return _submit(insurer_b, new_condition_request(catalogue))

    def test_get(self, insurer_a: Api, other: dict[str, Any]) -> None:
        assert insurer_a.get(f"/requests/{other['id']}").status_code == 404

    def test_status(self, insurer_a: Api, insurer_b: Api, other: dict[str, Any]) -> None:
        assert insurer_a.post(f"/requests/{other['id']}/status", json={"status": "withdrawn"}).status_code == 404
        assert insurer_b.get(f"/requests/{other['id']}").json["status"] == "submitted"

    def test_change(self, insurer_a: Api, insurer_b: Api, other: dict[str, Any]) -> None:
        assert insurer_a.patch(f"/requests/{other['id']}", json={"condition_name": "X"}).status_code == 404
        assert insurer_b.get(f"/requests/{other['id']}").json["proposal"]["condition_name"] == "Boezemfibrilleren"

    def test_list(self, insurer_a: Api, maintainer: Api, other: dict[str, Any]) -> None:
        assert insurer_a.get("/requests").json["total"] == 0
        assert maintainer.get("/requests").json["total"] == 1

    def test_unknown_request_is_404(self, maintainer: Api) -> None:
        assert maintainer.get("/requests/5b1f2a9e-1c3d-4e5f-8a9b-0c1d2e3f4a5b").status_code == 404
        response = maintainer.post(
            "/requests/5b1f2a9e-1c3d-4e5f-8a9b-0c1d2e3f4a5b/status", json={"status": "in_review"}
        )
        assert response.status_code == 404


def test_r15_only_insurers_submit(maintainer: Api, catalogue: Catalogue) -> None:
    assert maintainer.post("/requests", json=new_condition_request(catalogue)).status_code == 403


def test_r15_the_requester_changes_the_request_until_review_starts(
    insurer_a: Api, colleague_a: Api, maintainer: Api, catalogue: Catalogue
) -> None:
    request = _submit(insurer_a, new_condition_request(catalogue))
    changed = insurer_a.patch(f"/requests/{request['id']}", json={"institution_ids": [catalogue.clinic]})
    assert changed.status_code == 200, changed.json
    assert changed.json["proposal"]["institution_ids"] == [catalogue.clinic]
    assert changed.json["version"] == request["version"] + 1
    refused = colleague_a.patch(f"/requests/{request['id']}", json={"institution_ids": [catalogue.closed_hospital]})
    assert refused.status_code == 422 and "institution_ids.0" in refused.json["errors"]
    assert insurer_a.get("/notifications").json["total"] == 0  # one's own change is not news
    maintainer.post(f"/requests/{request['id']}/status", json={"status": "in_review"})
    late = insurer_a.patch(f"/requests/{request['id']}", json={"condition_name": "Iets anders"})
    assert late.status_code == 409 and late.json["errors"]["status"][0].startswith("R15: ")
    corrected = maintainer.patch(f"/requests/{request['id']}", json={"condition_name": "Boezemfibrilleren (AF)"})
    assert corrected.status_code == 200
    assert (
        insurer_a.get("/notifications")
        .json["items"][0]["message"]
        .endswith("de beheerder heeft de gegevens aangepast.")
    )
