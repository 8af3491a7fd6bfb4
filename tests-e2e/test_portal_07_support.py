"""User guide, "Wat kan ik doen als er problemen zijn?" (Meld een probleem, R14) and "Hoe voeg ik een nieuwe
instelling of aandoening toe?" (Data wijzigingsverzoek, R15), for the purchasing teams.

GIVEN the platform with demo data, WHEN an insurer user reports a problem or asks for a new condition in
the portal, THEN it sees its own items with their status, the maintainer's answers with an unread mark,
and never another insurer's items. Menzis and VGZ are used (the R16 test closes CZ's 2026).
"""

from __future__ import annotations

import re
import uuid

from playwright.sync_api import Page, expect
from portal_helpers import api, api_session, check_screen, log_in

from servicekit.testing import wait_for

SUPPORT = "/api/support"
CATALOGUE = "/api/catalogue"


def test_r14_meld_een_probleem_with_name_prefilled_an_answer_marked_unread_and_no_other_insurer(
    page: Page, gateway: str
) -> None:
    """Guide §Wat kan ik doen als er problemen zijn? (R14): naam, e-mailadres, omschrijving, "Verstuur"."""
    log_in(page, gateway, "menzis-inkoper")
    page.get_by_role("link", name="Meld een probleem").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Meld een probleem")
    expect(page.get_by_label("Naam", exact=True)).to_have_value("Inkoper Menzis")  # prefilled from the user
    page.get_by_role("button", name="Verstuur").click()  # no e-mail, no description: refused next to the fields
    expect(page.locator("#e-description")).to_have_text("Beschrijf uw vraag of probleem.")
    expect(page.locator("#e-email")).to_be_visible()

    page.get_by_label("E-mailadres").fill("inkoop@menzis.example")
    text = f"De filter op AGB-code vindt niets ({uuid.uuid4().hex[:6]})"
    page.get_by_label("Omschrijving van uw vraag of probleem").fill(text)
    check_screen(page, "19-meld-een-probleem", full_page=True)
    page.get_by_role("button", name="Verstuur").click()
    expect(page.get_by_role("status").first).to_contain_text("is verstuurd")
    expect(page.locator("#status")).to_have_text("Nieuw")
    number = re.search(r"Melding (MP-\d{4}-\d+)", page.get_by_role("heading", level=1).inner_text())
    assert number is not None
    report_url = page.url

    # the maintainer answers (through the API here; the maintainer's screens have their own test)
    report_id = report_url.rsplit("/", 1)[1]
    maintainer = api_session(gateway, "beheerder")
    api(gateway, maintainer, "POST", f"{SUPPORT}/reports/{report_id}/comments", json={"body": "Welke collectie?"})

    page.get_by_role("link", name="Meld een probleem").click()
    expect(page.get_by_label("E-mailadres")).to_have_value("inkoop@menzis.example")  # remembered for the next form
    row = page.locator("table.support-list tr", has_text=number.group(1))
    expect(row).to_contain_text("nieuw bericht")
    check_screen(page, "20-meldingen-met-ongelezen-antwoord", full_page=True)
    row.get_by_role("link", name=number.group(1)).click()
    expect(page.locator("ol.comments")).to_contain_text("Welke collectie?")
    page.get_by_label("Uw reactie").fill("Basis 2026, filter AGB-code.")
    page.get_by_role("button", name="Reactie versturen").click()
    expect(page.locator("ol.comments")).to_contain_text("Basis 2026, filter AGB-code.")
    check_screen(page, "21-melding-met-reacties", full_page=True)
    page.get_by_role("link", name="<< Terug naar de meldingen").click()
    expect(page.locator("table.support-list tr", has_text=number.group(1))).not_to_contain_text("nieuw bericht")

    # tenant isolation: VGZ typing Menzis' report URL gets a Dutch "niet gevonden"
    page.get_by_role("button", name="Uitloggen").click()
    log_in(page, gateway, "vgz-inkoper")
    response = page.goto(report_url)
    assert response is not None and response.status == 404
    expect(page.get_by_role("heading", level=1)).to_have_text("Niet gevonden")
    expect(page.locator("main")).not_to_contain_text(text)
    page.goto(f"{gateway}/meld-een-probleem")
    expect(page.locator("table.support-list")).not_to_contain_text(number.group(1))


def test_r15_data_wijzigingsverzoek_for_a_missing_condition_shows_its_status_and_due_date(
    page: Page, gateway: str
) -> None:
    """Guide §Hoe voeg ik een nieuwe instelling of aandoening toe? (R15): "Aandoening of behandeling", "Verzend verzoek"."""
    insurer = api_session(gateway, "vgz-inkoper")
    condition = api(gateway, insurer, "GET", f"{CATALOGUE}/conditions")[0]
    specialism = api(gateway, insurer, "GET", f"{CATALOGUE}/specialisms/{condition['specialism_id']}")
    institution = api(gateway, insurer, "GET", f"{CATALOGUE}/institutions", params={"country": "NL"})["items"][0]
    log_in(page, gateway, "vgz-inkoper")
    page.get_by_role("link", name="Data wijzigingsverzoek").click()
    expect(page.get_by_label("Uw naam")).to_have_value("Inkoper VGZ")
    page.get_by_label("Aandoening of behandeling").check()
    page.get_by_role("button", name="Verzend verzoek").click()  # nothing filled in: the field is named
    expect(page.locator("#e-institution_agb")).to_be_visible()

    missing = f"E2E-aandoening {uuid.uuid4().hex[:6]}"
    page.get_by_label("Naam van de aandoening die u mist").fill(missing)
    page.get_by_label("Specialisme").select_option(label=specialism["name"])
    page.get_by_label("AGB-code van de instelling").fill(institution["agb_code"])
    check_screen(page, "22-data-wijzigingsverzoek", full_page=True)
    page.get_by_role("button", name="Verzend verzoek").click()
    expect(page.get_by_role("status").first).to_contain_text("vijf werkdagen")
    expect(page.locator("#status")).to_have_text("Ingediend")
    expect(page.locator("#voorstel")).to_contain_text(missing)
    expect(page.locator("#voorstel")).to_contain_text(institution["name"])
    check_screen(page, "23-verzoek-ingediend", full_page=True)
    request_url = page.url
    number = re.search(r"Verzoek (\S+):", page.get_by_role("heading", level=1).inner_text())
    assert number is not None

    page.get_by_role("link", name="<< Terug naar de verzoeken").click()
    row = page.locator("table.support-list tbody tr", has_text=number.group(1))
    expect(row).to_contain_text("Ingediend")
    expect(row).to_contain_text("Inkoper VGZ")
    page.goto(request_url)
    page.get_by_role("button", name="Verzoek intrekken").click()
    expect(page.locator("#status")).to_have_text("Ingetrokken")

    # another insurer never sees it
    page.get_by_role("button", name="Uitloggen").click()
    log_in(page, gateway, "menzis-inkoper")
    response = page.goto(request_url)
    assert response is not None and response.status == 404
    expect(page.get_by_role("heading", level=1)).to_have_text("Niet gevonden")


def test_r14_r15_berichten_lists_every_answer_and_marks_all_read(page: Page, gateway: str) -> None:
    """Notifications: every status change and answer, unread first marked, "Alles als gelezen markeren"."""
    insurer = api_session(gateway, "menzis-inkoper")
    body = {"name": "Inkoper Menzis", "email": "inkoop@menzis.example", "description": "Berichten-test"}
    report = api(gateway, insurer, "POST", f"{SUPPORT}/reports", json=body)
    maintainer = api_session(gateway, "beheerder")
    api(gateway, maintainer, "POST", f"{SUPPORT}/reports/{report['id']}/status", json={"status": "in_progress"})
    wait_for(
        lambda: api(gateway, insurer, "GET", f"{SUPPORT}/notifications", params={"unread_only": "true"})["unread"],
        timeout=15,
        message="the notification of the status change",
    )
    log_in(page, gateway, "menzis-inkoper")
    page.goto(f"{gateway}/berichten")
    row = page.locator("tr.unread", has_text=report["number"])
    expect(row).to_contain_text("ongelezen")
    check_screen(page, "24-berichten", full_page=True)
    page.get_by_role("button", name="Alles als gelezen markeren").click()
    expect(page.locator("tr.unread")).to_have_count(0)


def test_handleiding_explains_meld_een_probleem_and_data_wijzigingsverzoek(page: Page, gateway: str) -> None:
    """Handleiding: the guide's two support sections, in the portal's own words (R14, R15)."""
    page.goto(f"{gateway}/handleiding")
    expect(page.get_by_role("heading", name="13. Wat kan ik doen als er problemen zijn?")).to_be_visible()
    expect(page.get_by_role("heading", name="14. Een nieuwe instelling of aandoening aanvragen")).to_be_visible()
    expect(page.locator("#wijzigingsverzoek + p")).to_contain_text("binnen vijf werkdagen")
