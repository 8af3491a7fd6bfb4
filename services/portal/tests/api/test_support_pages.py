"""Meld een probleem (R14), Data wijzigingsverzoek (R15) and the maintainer's queues against the fake gateway."""

from __future__ import annotations

from typing import Any

from tests.conftest import FakeGateway, csrf_of, logged_in
from tests.fake_support import CONDITION, HOSPITAL, OTHER_REPORT, REPORT, REQUEST, SPECIALISM


def test_r14_the_report_form_is_prefilled_with_the_users_name_and_lists_unread_answers(portal: Any) -> None:
    logged_in(portal)
    page = portal.get("/meld-een-probleem").get_data(as_text=True)
    assert 'id="name" name="name" maxlength="200" required autocomplete="name" value="Inkoper"' in page
    assert "MP-2026-0001" in page and "nieuw bericht" in page


def test_r14_a_report_without_description_is_refused_next_to_the_field_without_calling_support(
    portal: Any, gateway: FakeGateway
) -> None:
    csrf = logged_in(portal)
    answer = portal.post("/meld-een-probleem", data={"csrf": csrf, "name": "Inkoper", "email": "", "description": ""})
    assert answer.status_code == 422
    page = answer.get_data(as_text=True)
    assert "Beschrijf uw vraag of probleem." in page and "Vul uw e-mailadres in." in page
    assert gateway.saw("POST", "/api/support/reports$") == []


def test_r14_a_sent_report_opens_its_page_and_the_email_prefills_the_next_form(
    portal: Any, gateway: FakeGateway
) -> None:
    csrf = logged_in(portal)
    data = {"csrf": csrf, "name": "Inkoper", "email": "inkoper@a.example", "description": "Filter"}
    answer = portal.post("/meld-een-probleem", data=data)
    assert answer.status_code == 303 and answer.headers["Location"].endswith(f"/meldingen/{REPORT}")
    detail = portal.get(f"/meldingen/{REPORT}").get_data(as_text=True)
    assert "is verstuurd" in detail and "Welke collectie?" in detail
    assert gateway.saw("POST", "/api/support/notifications/read")  # opening it reads its messages
    assert 'value="inkoper@a.example"' in portal.get("/meld-een-probleem").get_data(as_text=True)


def test_r14_another_insurers_report_is_a_dutch_not_found_page(portal: Any) -> None:
    logged_in(portal)
    answer = portal.get(f"/meldingen/{OTHER_REPORT}")
    assert answer.status_code == 404 and "Niet gevonden" in answer.get_data(as_text=True)


def test_r15_a_new_condition_request_sends_only_its_kinds_fields_with_the_institution_found_by_agb(
    portal: Any, gateway: FakeGateway
) -> None:
    csrf = logged_in(portal)
    form = {
        "csrf": csrf,
        "kind": "new_condition",
        "condition_name": "Long covid",
        "specialism_id": SPECIALISM,
        "condition_id": CONDITION,
        "institution_agb": "06010101",
        "name": "genegeerd",
        "agb_code": "12345678",
        "requester_name": "Inkoper",
        "requester_email": "",
    }
    answer = portal.post("/data-wijzigingsverzoek", data=form)
    assert answer.status_code == 303 and answer.headers["Location"].endswith(f"/verzoeken/{REQUEST}")
    sent = gateway.saw("POST", "/api/support/requests$")[0][2]
    assert sent["kind"] == "new_condition" and sent["institution_ids"] == [HOSPITAL]
    assert "name" not in sent and "agb_code" not in sent and "condition_id" not in sent


def test_r15_an_unknown_agb_code_is_named_next_to_the_field(portal: Any, gateway: FakeGateway) -> None:
    csrf = logged_in(portal)
    form = {"csrf": csrf, "kind": "offering_change", "institution_agb": "99999999", "condition_id": CONDITION}
    answer = portal.post("/data-wijzigingsverzoek", data=form)
    assert answer.status_code == 422
    assert "Deze AGB-code staat niet in de catalogus." in answer.get_data(as_text=True)
    assert gateway.saw("POST", "/api/support/requests$") == []


def test_r15_the_requester_sees_approved_and_cannot_decide(portal: Any, gateway: FakeGateway) -> None:
    logged_in(portal)
    gateway.support_state["request"] = "approved"
    page = portal.get(f"/verzoeken/{REQUEST}").get_data(as_text=True)
    assert "Goedgekeurd" in page and "Ziekenhuis Noord (06010101)" in page and "Goedkeuren" not in page


def test_maintainer_pages_are_geen_toegang_for_an_insurer_user(portal: Any) -> None:
    logged_in(portal)
    for path in ("/beheer", "/beheer/verzoeken", "/beheer/meldingen"):
        answer = portal.get(path)
        assert answer.status_code == 403 and "Geen toegang" in answer.get_data(as_text=True)


def test_r15_the_maintainer_sees_overdue_first_corrects_and_approves(portal: Any, gateway: FakeGateway) -> None:
    gateway.roles = ("catalogue_maintainer",)
    csrf = csrf_of(portal)
    portal.post("/inloggen", data={"csrf": csrf, "contract_year": "2026", "username": "b", "password": "Goed2026!"})
    queue = portal.get("/beheer/verzoeken").get_data(as_text=True)
    assert "DW-2026-0001" in queue and "te laat" in queue
    detail = portal.get(f"/verzoeken/{REQUEST}").get_data(as_text=True)
    assert "Goedkeuren" in detail and "Gegevens corrigeren" in detail
    csrf = csrf_of(portal, f"/verzoeken/{REQUEST}")
    portal.post(f"/beheer/verzoeken/{REQUEST}/corrigeren", data={"csrf": csrf, "condition_name": "Post-covid"})
    assert gateway.saw("PATCH", f"/api/support/requests/{REQUEST}")[0][2] == {
        "condition_name": "Post-covid",
        "version": 3,
    }
    portal.post(f"/verzoeken/{REQUEST}/status", data={"csrf": csrf, "status": "approved", "version": "3"})
    assert gateway.saw("POST", "/status$")[-1][2] == {"status": "approved", "version": 3}
    assert portal.get("/contractering").status_code == 403  # a maintainer has no collections
