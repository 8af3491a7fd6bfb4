"""R14/R15: the reporter and requester are told of every status change and answer, with unread marks."""

from __future__ import annotations

from typing import Any

from conftest import Api, Catalogue, new_condition_request
from support.adapters.orm import mail_outbox

REPORT = {"name": "Anna de Vries", "email": "anna@zk.example", "description": "Export geeft een fout."}


def test_r14_report_changes_and_answers_reach_the_reporter(
    runtime: Any, insurer_a: Api, colleague_a: Api, maintainer: Api
) -> None:
    report = insurer_a.post("/reports", json=REPORT).json
    maintainer.put(f"/reports/{report['id']}/assignee", json={})
    maintainer.post(f"/reports/{report['id']}/comments", json={"body": "We kijken ernaar."})
    maintainer.post(f"/reports/{report['id']}/status", json={"status": "resolved"})
    mine = insurer_a.get("/notifications").json
    assert mine["unread"] == 3 and mine["total"] == 3
    assert [n["message"] for n in mine["items"]] == [
        f"Melding {report['number']} heeft nu de status Opgelost.",
        f"Melding {report['number']}: de beheerder heeft gereageerd.",
        f"Melding {report['number']} is in behandeling genomen.",
    ]
    assert all(n["unread"] and n["subject_id"] == report["id"] for n in mine["items"])
    assert colleague_a.get("/notifications").json["total"] == 0  # the reporter's own list
    with runtime.engine.connect() as connection:
        mails = connection.execute(mail_outbox.select().order_by(mail_outbox.c.created_at)).all()
    assert [m.recipient for m in mails] == ["anna@zk.example"] * 3
    assert all(m.sent_at is None for m in mails)  # sent by the mail sender, never by the request


def test_r14_mark_read_one_then_all(insurer_a: Api, maintainer: Api) -> None:
    report = insurer_a.post("/reports", json=REPORT).json
    maintainer.post(f"/reports/{report['id']}/status", json={"status": "in_progress"})
    maintainer.post(f"/reports/{report['id']}/status", json={"status": "resolved"})
    items = insurer_a.get("/notifications").json["items"]
    marked = insurer_a.post("/notifications/read", json={"ids": [items[0]["id"]]})
    assert marked.status_code == 200 and marked.json == {"marked": 1}
    after = insurer_a.get("/notifications").json
    assert after["unread"] == 1 and [n["unread"] for n in after["items"]] == [False, True]
    assert insurer_a.get("/notifications", query_string={"unread_only": "true"}).json["total"] == 1
    assert insurer_a.post("/notifications/read", json={}).json == {"marked": 1}
    assert insurer_a.get("/notifications").json["unread"] == 0


def test_r15_request_decisions_reach_the_requester(insurer_a: Api, maintainer: Api, catalogue: Catalogue) -> None:
    request = insurer_a.post("/requests", json=new_condition_request(catalogue)).json
    maintainer.post(f"/requests/{request['id']}/status", json={"status": "in_review"})
    maintainer.post(f"/requests/{request['id']}/status", json={"status": "rejected", "reason": "Bestaat al."})
    messages = [n["message"] for n in insurer_a.get("/notifications").json["items"]]
    assert messages == [
        f"Wijzigingsverzoek {request['number']} heeft nu de status Afgewezen. Reden: Bestaat al.",
        f"Wijzigingsverzoek {request['number']} heeft nu de status In behandeling.",
    ]


def test_r14_r15_notifications_are_per_user_marking_anothers_changes_nothing(
    insurer_a: Api, insurer_b: Api, maintainer: Api
) -> None:
    report = insurer_a.post("/reports", json=REPORT).json
    maintainer.post(f"/reports/{report['id']}/status", json={"status": "in_progress"})
    [item] = insurer_a.get("/notifications").json["items"]
    assert insurer_b.post("/notifications/read", json={"ids": [item["id"]]}).json == {"marked": 0}
    assert insurer_a.get("/notifications").json["unread"] == 1
