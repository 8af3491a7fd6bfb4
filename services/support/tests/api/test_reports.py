"""R14 problem reports through the API: fields, numbers, comments both ways, statuses, tenant isolation."""

from __future__ import annotations

import re
from typing import Any

import pytest

from conftest import Api

REPORT = {"name": "Anna de Vries", "email": "anna@zk.example", "description": "Het filter op AGB-code\nwerkt niet."}


def _create(api: Api, **overrides: Any) -> dict[str, Any]:
    response = api.post("/reports", json={**REPORT, **overrides})
    assert response.status_code == 201, response.json
    return response.json  # type: ignore[no-any-return]


def test_r14_a_report_gets_a_readable_number_and_status_new(insurer_a: Api) -> None:
    first = _create(insurer_a, about_screen="Instellingen", about_collection_id="5b1f2a9e-1c3d-4e5f-8a9b-0c1d2e3f4a5b")
    second = _create(insurer_a)
    assert re.fullmatch(r"MP-\d{4}-0001", first["number"])
    assert second["number"] == first["number"][:-1] + "2"
    assert first["status"] == "new" and first["status_name"] == "Nieuw"
    assert first["about_screen"] == "Instellingen"
    assert first["description"] == REPORT["description"]  # multi-line kept


@pytest.mark.parametrize(
    ("field", "value", "fragment"),
    [
        ("name", "", "R14: Naam is verplicht."),
        ("name", "   ", "R14: Naam is verplicht."),
        ("name", "x" * 201, "R14: Naam mag hoogstens 200"),
        ("email", "", "R14: E-mailadres is verplicht."),
        ("email", "geen-adres", "R14: 'geen-adres' is geen geldig e-mailadres."),
        ("description", "", "R14: Omschrijving is verplicht."),
        ("description", "x" * 5001, "R14: Omschrijving mag hoogstens 5000"),
        ("about_screen", "x" * 201, "R14: Scherm mag hoogstens 200"),
    ],
)
def test_r14_field_rules(insurer_a: Api, field: str, value: str, fragment: str) -> None:
    response = insurer_a.post("/reports", json={**REPORT, field: value})
    assert response.status_code == 422
    assert response.json["errors"][field][0].startswith(fragment)


@pytest.mark.parametrize("field", ["name", "email", "description"])
def test_r14_required_fields(insurer_a: Api, field: str) -> None:
    body = {k: v for k, v in REPORT.items() if k != field}
    response = insurer_a.post("/reports", json=body)
    assert response.status_code == 422
    assert field in response.json["errors"]


def test_r14_control_characters_and_bad_collection_id_are_refused(insurer_a: Api) -> None:
    assert insurer_a.post("/reports", json={**REPORT, "name": "Anna\x00"}).status_code == 422
    response = insurer_a.post("/reports", json={**REPORT, "about_collection_id": "nee"})
    assert response.status_code == 422 and "about_collection_id" in response.json["errors"]


def test_r14_only_insurers_report(maintainer: Api) -> None:
    assert maintainer.post("/reports", json=REPORT).status_code == 403


def test_r14_the_maintainer_assigns_answers_and_the_reporter_sees_it(insurer_a: Api, maintainer: Api) -> None:
    report = _create(insurer_a)
    assigned = maintainer.put(f"/reports/{report['id']}/assignee", json={})
    assert assigned.status_code == 200, assigned.json
    assert assigned.json["assignee"] == "mediquest" and assigned.json["status"] == "in_progress"
    answered = maintainer.post(f"/reports/{report['id']}/comments", json={"body": "Welk filter precies?"})
    assert answered.status_code == 201
    waiting = maintainer.post(f"/reports/{report['id']}/status", json={"status": "waiting_for_reporter"})
    assert waiting.json["status"] == "waiting_for_reporter"
    seen = insurer_a.get(f"/reports/{report['id']}").json
    assert seen["status_name"] == "Wacht op melder"
    assert [(c["side"], c["body"]) for c in seen["comments"]] == [("maintainer", "Welk filter precies?")]
    # the reporter's answer puts a waiting report back in progress
    reply = insurer_a.post(f"/reports/{report['id']}/comments", json={"body": "Het AGB-filter."})
    assert reply.json["status"] == "in_progress"
    assert [c["side"] for c in reply.json["comments"]] == ["maintainer", "insurer"]
    resolved = maintainer.post(f"/reports/{report['id']}/status", json={"status": "resolved"})
    assert resolved.json["status"] == "resolved"
    closed = insurer_a.post(f"/reports/{report['id']}/status", json={"status": "closed"})
    assert closed.json["status"] == "closed"


def test_r14_refused_moves_and_a_closed_report_are_409(insurer_a: Api, maintainer: Api) -> None:
    report = _create(insurer_a)
    refused = insurer_a.post(f"/reports/{report['id']}/status", json={"status": "resolved"})
    assert refused.status_code == 409
    assert refused.json["errors"]["status"][0].startswith("R14: ")
    assert maintainer.post(f"/reports/{report['id']}/status", json={"status": "closed"}).status_code == 200
    for path, body in (
        ("status", {"status": "in_progress"}),
        ("comments", {"body": "Nog iets"}),
    ):
        response = maintainer.post(f"/reports/{report['id']}/{path}", json=body)
        assert response.status_code == 409, path
    assert maintainer.put(f"/reports/{report['id']}/assignee", json={}).status_code == 409
    assert insurer_a.post(f"/reports/{report['id']}/status", json={"status": "bogus"}).status_code == 422


def test_r14_empty_comment_is_refused(insurer_a: Api) -> None:
    report = _create(insurer_a)
    response = insurer_a.post(f"/reports/{report['id']}/comments", json={"body": "  "})
    assert response.status_code == 422
    assert response.json["errors"]["body"][0].startswith("R14: ")


def test_r14_insurers_see_their_own_reports_maintainers_all(
    insurer_a: Api, colleague_a: Api, insurer_b: Api, maintainer: Api
) -> None:
    mine = _create(insurer_a)
    theirs = _create(insurer_b, name="Bert")
    assert [r["id"] for r in insurer_a.get("/reports").json["items"]] == [mine["id"]]
    assert [r["id"] for r in colleague_a.get("/reports").json["items"]] == [mine["id"]]
    assert {r["id"] for r in maintainer.get("/reports").json["items"]} == {mine["id"], theirs["id"]}
    assert maintainer.get("/reports", query_string={"status": "closed"}).json["total"] == 0


class TestR14TenantIsolation:
    """R14: another insurer's report is 404 on every endpoint, and nothing about it changes."""

    @pytest.fixture
    def other(self, insurer_b: Api) -> dict[str, Any]:
        return _create(insurer_b)

    def test_get(self, insurer_a: Api, other: dict[str, Any]) -> None:
        assert insurer_a.get(f"/reports/{other['id']}").status_code == 404

    def test_comment(self, insurer_a: Api, insurer_b: Api, other: dict[str, Any]) -> None:
        assert insurer_a.post(f"/reports/{other['id']}/comments", json={"body": "hallo"}).status_code == 404
        assert insurer_b.get(f"/reports/{other['id']}").json["comments"] == []

    def test_status(self, insurer_a: Api, insurer_b: Api, other: dict[str, Any]) -> None:
        assert insurer_a.post(f"/reports/{other['id']}/status", json={"status": "closed"}).status_code == 404
        assert insurer_b.get(f"/reports/{other['id']}").json["status"] == "new"

    def test_assignee_is_for_maintainers_only(self, insurer_a: Api, other: dict[str, Any]) -> None:
        assert insurer_a.put(f"/reports/{other['id']}/assignee", json={}).status_code == 403

    def test_list(self, insurer_a: Api, other: dict[str, Any]) -> None:
        assert insurer_a.get("/reports").json["total"] == 0

    def test_unknown_report_is_404(self, maintainer: Api) -> None:
        assert maintainer.get("/reports/5b1f2a9e-1c3d-4e5f-8a9b-0c1d2e3f4a5b").status_code == 404


def test_r14_without_login_is_401(client: Any) -> None:
    assert client.get("/api/support/reports").status_code == 401
