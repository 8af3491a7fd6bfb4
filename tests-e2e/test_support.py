"""Support through the gateway and RabbitMQ: data change requests become catalogue and contracting data
(R15, R16), and status changes reach the reporter by e-mail, also after the mail server was away (R14).

GIVEN the platform with demo data, WHEN an insurer asks and the maintainer approves, THEN within
seconds the catalogue and every insurer's open-year collections follow, with the requested status in
the requester's named collection. Menzis and VGZ are used (the R16 test closes CZ's 2026).
"""

from __future__ import annotations

import email
import email.policy
import random
import threading
import uuid
from typing import Any

import requests
from aiosmtpd.controller import Controller
from helpers import login

from servicekit.testing import wait_for

CATALOGUE = "/api/catalogue"
CONTRACTING = "/api/contracting"
SUPPORT = "/api/support"


def get(http: requests.Session, url: str, headers: dict[str, str], **params: Any) -> Any:
    response = http.get(url, headers=headers, params=params, timeout=15)
    assert response.status_code == 200, response.text
    return response.json()


def post(http: requests.Session, url: str, headers: dict[str, str], body: dict[str, Any], status: int = 200) -> Any:
    response = http.post(url, json=body, headers=headers, timeout=15)
    assert response.status_code == status, response.text
    return response.json()


def institution_row(http: requests.Session, gateway: str, session: dict[str, str], collection_id: str, agb: str) -> Any:
    page = get(http, f"{gateway}{CONTRACTING}/collections/{collection_id}/institutions", session, agb_code=agb)
    return page["items"][0] if page["items"] else None


def submit(http: requests.Session, gateway: str, insurer: dict[str, str], body: dict[str, Any]) -> Any:
    """Submit once support's catalogue copy has caught up (a 422 on a just-made id means: not yet)."""

    def attempt() -> Any:
        response = http.post(f"{gateway}{SUPPORT}/requests", json=body, headers=insurer, timeout=15)
        assert response.status_code in (201, 422), response.text
        return response.json() if response.status_code == 201 else None

    return wait_for(attempt, timeout=60, interval=0.5, message="support's catalogue copy to accept the request")


def an_offered_condition(http: requests.Session, gateway: str, maintainer: dict[str, str]) -> tuple[str, str]:
    conditions = get(http, f"{gateway}{CATALOGUE}/conditions", maintainer)
    assert conditions, "the demo catalogue has no conditions"
    chosen = conditions[0]
    return str(chosen["specialism_id"]), str(chosen["id"])


def test_r15_r16_an_approved_new_hospital_reaches_the_catalogue_and_every_collection(
    gateway: str, http: requests.Session
) -> None:
    insurer, maintainer, other = (
        login(gateway, "menzis-inkoper"),
        login(gateway, "beheerder"),
        login(gateway, "vgz-inkoper"),
    )
    named, *rest = get(http, f"{gateway}{CONTRACTING}/collections", insurer)
    specialism_id, condition_id = an_offered_condition(http, gateway, maintainer)
    agb = f"2{random.randrange(10**6, 10**7)}"

    # GIVEN an insurer's request for a new clinic, FULL in one of its collections
    body = {
        "kind": "new_institution",
        "name": f"E2E-kliniek {uuid.uuid4().hex[:6]}",
        "agb_code": agb,
        "type": "zbc",
        "city": "Utrecht",
        "specialism_id": specialism_id,
        "condition_id": condition_id,
        "collection_id": named["collection_id"],
        "collection_status": "FULL",
    }
    request = submit(http, gateway, insurer, body)
    assert request["status"] == "submitted" and request["due_on"] > request["submitted_on"]

    # WHEN the maintainer approves it
    approved = post(http, f"{gateway}{SUPPORT}/requests/{request['id']}/status", maintainer, {"status": "approved"})
    assert approved["status"] == "approved"

    # THEN the clinic is in the catalogue, with the requested offering
    found = wait_for(
        lambda: get(http, f"{gateway}{CATALOGUE}/institutions", maintainer, agb_code=agb)["items"],
        timeout=30,
        message="the approved clinic in the catalogue",
    )
    offering = wait_for(
        lambda: (
            (o := get(http, f"{gateway}{CATALOGUE}/institutions/{found[0]['id']}/offering", maintainer))[
                "condition_ids"
            ]
            and o
        ),
        timeout=30,
        message="the clinic's offering",
    )
    assert offering["specialism_ids"] == [specialism_id] and offering["condition_ids"] == [condition_id]
    # ... FULL in the requester's named collection
    row = wait_for(
        lambda: (
            (r := institution_row(http, gateway, insurer, named["collection_id"], agb)) and r["status"] == "FULL" and r
        ),
        timeout=30,
        message="FULL in the requester's named collection",
    )
    assert row["institution_id"] == found[0]["id"]
    # ... and with the default status in the requester's other and another insurer's open-year collections
    for session, collection in [(insurer, c) for c in rest] + [
        (other, c) for c in get(http, f"{gateway}{CONTRACTING}/collections", other)
    ]:
        default = wait_for(
            lambda s=session, c=collection: institution_row(http, gateway, s, c["collection_id"], agb),
            timeout=30,
            message=f"the clinic in {collection['name']}",
        )
        assert default["status"] == "NOT_CONTRACTED"


def test_r15_r16_an_approved_new_condition_is_offered_at_the_named_institution(
    gateway: str, http: requests.Session
) -> None:
    insurer, maintainer = login(gateway, "vgz-inkoper"), login(gateway, "beheerder")
    hospitals = get(
        http, f"{gateway}{CATALOGUE}/institutions", maintainer, status="open", type="general_hospital", page_size=50
    )
    hospital = next(
        h
        for h in hospitals["items"]
        if get(http, f"{gateway}{CATALOGUE}/institutions/{h['id']}/offering", maintainer)["specialism_ids"]
    )
    specialism_id = get(http, f"{gateway}{CATALOGUE}/institutions/{hospital['id']}/offering", maintainer)[
        "specialism_ids"
    ][0]
    name = f"E2E-aandoening {uuid.uuid4().hex[:8]}"

    # GIVEN a request for a new condition contracted at one hospital; WHEN the maintainer approves it
    request = submit(
        http,
        gateway,
        insurer,
        {
            "kind": "new_condition",
            "condition_name": name,
            "specialism_id": specialism_id,
            "institution_ids": [hospital["id"]],
        },
    )
    post(http, f"{gateway}{SUPPORT}/requests/{request['id']}/status", maintainer, {"status": "in_review"})
    post(http, f"{gateway}{SUPPORT}/requests/{request['id']}/status", maintainer, {"status": "approved"})

    # THEN the catalogue has it in the hospital's offering
    condition = wait_for(
        lambda: next((c for c in get(http, f"{gateway}{CATALOGUE}/conditions", maintainer, name=name)), None),
        timeout=30,
        message="the approved condition in the catalogue",
    )
    assert condition["specialism_id"] == specialism_id
    offering = get(http, f"{gateway}{CATALOGUE}/institutions/{hospital['id']}/offering", maintainer)
    assert condition["id"] in offering["condition_ids"]
    # ... and in the insurer's collections, under that hospital's department
    for collection in get(http, f"{gateway}{CONTRACTING}/collections", insurer):
        url = (
            f"{gateway}{CONTRACTING}/collections/{collection['collection_id']}/institutions/{hospital['id']}"
            f"/departments/{specialism_id}/conditions"
        )
        rows = wait_for(
            lambda u=url: get(http, u, insurer, name=name)["items"],
            timeout=30,
            message=f"the new condition in {collection['name']}",
        )
        assert rows[0]["condition_id"] == condition["id"]
    # ... and the requester was told
    messages = [n["message"] for n in get(http, f"{gateway}{SUPPORT}/notifications", insurer)["items"]]
    assert f"Wijzigingsverzoek {request['number']} heeft nu de status Goedgekeurd." in messages


class Catcher:
    """An aiosmtpd handler keeping every message it accepts, decoded."""

    def __init__(self) -> None:
        self.messages: list[tuple[list[str], str]] = []
        self.lock = threading.Lock()

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        message = email.message_from_bytes(envelope.content, policy=email.policy.default)
        text = f"{message['Subject']}\n{message.get_content()}"  # type: ignore[attr-defined]
        with self.lock:
            self.messages.append((list(envelope.rcpt_tos), " ".join(text.split())))
        return "250 OK"

    def to(self, address: str) -> list[str]:
        with self.lock:
            return [text for recipients, text in self.messages if address in recipients]


def start_catcher(port: int) -> tuple[Catcher, Controller]:
    handler = Catcher()
    controller = Controller(handler, hostname="127.0.0.1", port=port)
    controller.start()
    return handler, controller


def test_r14_a_status_change_mails_the_reporter_also_after_the_mail_server_was_down(
    gateway: str, http: requests.Session, support_smtp_port: int
) -> None:
    reporter, maintainer = login(gateway, "menzis-inkoper"), login(gateway, "beheerder")
    address = f"e2e-{uuid.uuid4().hex[:8]}@menzis.example"
    report = post(
        http,
        f"{gateway}{SUPPORT}/reports",
        reporter,
        {"name": "E2E Melder", "email": address, "description": "De export loopt vast."},
        status=201,
    )
    url = f"{gateway}{SUPPORT}/reports/{report['id']}"

    # WITH the catcher running, a status change sends the reporter one e-mail
    handler, controller = start_catcher(support_smtp_port)
    try:
        post(http, f"{url}/status", maintainer, {"status": "in_progress"})
        [first] = wait_for(lambda: handler.to(address), timeout=30, message="the e-mail of the first change")
    finally:
        controller.stop()
    assert f"Melding {report['number']} heeft nu de status In behandeling" in first
    assert "Beste E2E Melder" in first

    # WITH the catcher down, the next change is saved at once ...
    changed = post(http, f"{url}/status", maintainer, {"status": "resolved"})
    assert changed["status"] == "resolved"
    assert get(http, url, reporter)["status_name"] == "Opgelost"
    # ... and its e-mail arrives once the catcher is back, and the first is not sent again
    back, restarted = start_catcher(support_smtp_port)
    try:
        [second] = wait_for(lambda: back.to(address), timeout=60, message="the e-mail sent after the server returned")
    finally:
        restarted.stop()
    assert f"Melding {report['number']} heeft nu de status Opgelost" in second
    assert len(handler.to(address)) == 1
