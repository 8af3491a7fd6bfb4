"""Issue 13: the catalogue maintainer's and the platform admin's screens, through the gateway on PostgreSQL
and RabbitMQ.

GIVEN the demo platform, WHEN the maintainer approves a data change request (R15), handles a problem
report (R14) or adds a condition to an institution's offering (R16), and the platform admin creates a
user, THEN the requester sees "Goedgekeurd", the reporter the answer, every insurer's "Bewerk
aandoening(en)" the new condition within seconds, the new user can log in, and a dead letter replayed
from the operations view is taken by its consumer. VGZ and Menzis are used
(the R16 test closes CZ's 2026).
"""

from __future__ import annotations

import random
import re
import uuid
from typing import Any

import requests
from helpers import DEMO_PASSWORD
from kombu import Connection, Producer
from playwright.sync_api import Page, expect
from portal_helpers import api, api_session, check_screen, log_in

from servicekit.messaging.envelope import Envelope
from servicekit.testing import wait_for

SUPPORT = "/api/support"
CATALOGUE = "/api/catalogue"
CONTRACTING = "/api/contracting"


def log_in_as_staff(page: Page, base: str, username: str, password: str = DEMO_PASSWORD) -> None:
    """Maintainers and platform admins start at the queue of data change requests."""
    page.goto(f"{base}/inloggen")
    page.get_by_label("Contractjaar").select_option("2026")
    page.get_by_label("Gebruikersnaam").fill(username)
    page.get_by_label("Wachtwoord", exact=True).fill(password)
    page.get_by_role("button", name="Log In").click()
    page.wait_for_url("**/beheer/verzoeken")


def submit_request(gateway: str, insurer: dict[str, str]) -> dict[str, Any]:
    maintainer = api_session(gateway, "beheerder")
    condition = api(gateway, maintainer, "GET", f"{CATALOGUE}/conditions")[0]
    body = {
        "kind": "new_institution",
        "name": f"E2E-kliniek {uuid.uuid4().hex[:6]}",
        "agb_code": f"2{random.randrange(10**6, 10**7)}",
        "type": "zbc",
        "city": "Utrecht",
        "specialism_id": condition["specialism_id"],
        "condition_id": condition["id"],
        "requester_name": "Inkoper VGZ",
    }
    return dict(api(gateway, insurer, "POST", f"{SUPPORT}/requests", json=body))


def test_r15_the_maintainer_corrects_and_approves_a_request_and_the_requester_sees_goedgekeurd(
    page: Page, gateway: str
) -> None:
    """R15: the queue oldest and overdue first; correct the proposal; approve; the requester sees "Goedgekeurd"."""
    insurer = api_session(gateway, "vgz-inkoper")
    request = submit_request(gateway, insurer)
    rejected = submit_request(gateway, insurer)
    log_in_as_staff(page, gateway, "beheerder")
    rows = page.locator("table.support-list tbody tr")
    expect(rows.filter(has_text=request["number"])).to_contain_text("Ingediend")
    flags = rows.evaluate_all("rows => rows.map(r => r.classList.contains('overdue'))")
    assert flags == sorted(flags, reverse=True), "overdue requests come first"
    check_screen(page, "25-beheer-wijzigingsverzoeken", full_page=True)

    page.get_by_role("link", name=request["number"]).click()
    corrected = request["proposal"]["name"] + " (gecorrigeerd)"
    page.get_by_label("Naam", exact=True).fill(corrected)
    page.get_by_role("button", name="Correctie opslaan").click()
    expect(page.locator("#voorstel")).to_contain_text(corrected)
    check_screen(page, "26-verzoek-beoordelen", full_page=True)
    page.get_by_role("button", name="Goedkeuren").click()
    expect(page.locator("#status")).to_have_text("Goedgekeurd")

    page.goto(f"{gateway}/verzoeken/{rejected['id']}")
    page.get_by_role("button", name="Afwijzen").click()  # no reason: refused in Dutch
    expect(page.locator(".flash.error")).to_be_visible()
    page.get_by_label("Reden (verplicht bij afwijzen)").fill("Deze kliniek staat al onder een andere naam in de lijst.")
    page.get_by_role("button", name="Afwijzen").click()
    expect(page.locator("#status")).to_have_text("Afgewezen")

    page.get_by_role("button", name="Uitloggen").click()
    log_in(page, gateway, "vgz-inkoper")
    page.get_by_role("link", name="Data wijzigingsverzoek").click()
    row = page.locator("table.support-list tr", has_text=request["number"])
    expect(row).to_contain_text("Goedgekeurd")
    expect(row).to_contain_text("nieuw bericht")
    check_screen(page, "27-verzoek-goedgekeurd-voor-aanvrager", full_page=True)
    page.goto(f"{gateway}/verzoeken/{rejected['id']}")
    expect(page.locator("#reden")).to_have_text("Deze kliniek staat al onder een andere naam in de lijst.")


def test_r14_the_maintainer_assigns_answers_and_resolves_a_problem_report(page: Page, gateway: str) -> None:
    """R14: assignment, an answer, the status; the reporter gets the answer and the status."""
    reporter = api_session(gateway, "menzis-inkoper")
    body = {"name": "Inkoper Menzis", "email": "inkoop@menzis.example", "description": "Export geeft lege kolom"}
    report = api(gateway, reporter, "POST", f"{SUPPORT}/reports", json=body)
    log_in_as_staff(page, gateway, "beheerder")
    page.get_by_role("link", name="Meldingen").click()
    page.get_by_label("Status").select_option(label="Nieuw")
    page.get_by_role("button", name="Zoeken").click()
    expect(page.locator("table.support-list")).to_contain_text(report["number"])
    check_screen(page, "28-beheer-meldingen", full_page=True)
    page.get_by_role("link", name=report["number"]).click()
    page.get_by_role("button", name="Aan mij toewijzen").click()
    expect(page.locator("#status")).to_have_text("In behandeling")
    expect(page.locator("#behandelaar")).not_to_have_text("nog niet toegewezen")
    page.get_by_label("Antwoord aan de melder").fill("Opgelost in de nieuwe export.")
    page.get_by_role("button", name="Antwoord versturen").click()
    page.get_by_role("button", name="Opgelost").click()
    expect(page.locator("#status")).to_have_text("Opgelost")
    check_screen(page, "29-melding-behandelen", full_page=True)

    seen = api(gateway, reporter, "GET", f"{SUPPORT}/reports/{report['id']}")
    assert seen["status"] == "resolved"
    assert any(c["body"] == "Opgelost in de nieuwe export." for c in seen["comments"])


def _institution_with_a_missing_condition(gateway: str, maintainer: dict[str, str]) -> tuple[dict[str, Any], Any]:
    """An open Dutch institution offering a specialism of which it does not offer every condition."""
    conditions = api(gateway, maintainer, "GET", f"{CATALOGUE}/conditions")
    listing = api(gateway, maintainer, "GET", f"{CATALOGUE}/institutions", params={"country": "NL", "page_size": 40})
    for institution in listing["items"]:
        offering = api(gateway, maintainer, "GET", f"{CATALOGUE}/institutions/{institution['id']}/offering")
        offered = set(offering["condition_ids"])
        for condition in conditions:
            if condition["specialism_id"] in offering["specialism_ids"] and condition["id"] not in offered:
                return institution, condition
    raise AssertionError("no institution with a condition to add in the demo catalogue")


def test_r16_a_condition_added_to_the_offering_appears_in_bewerk_aandoeningen_within_seconds(
    page: Page, gateway: str
) -> None:
    """R16: the maintainer ticks a condition in the offering grid; VGZ's "Bewerk aandoening(en)" shows it."""
    maintainer, insurer = api_session(gateway, "beheerder"), api_session(gateway, "vgz-inkoper")
    institution, condition = _institution_with_a_missing_condition(gateway, maintainer)
    collection = api(gateway, insurer, "GET", f"{CONTRACTING}/collections")[0]
    log_in_as_staff(page, gateway, "beheerder")
    page.get_by_role("link", name="Behandelaanbod").click()
    page.get_by_label("AGB-code", exact=True).fill(institution["agb_code"])
    page.get_by_role("button", name="Zoeken").click()
    page.get_by_role("link", name=f"Behandelaanbod van {institution['name']}").click()
    box = page.locator(f"input[name=condition_ids][value='{condition['id']}']")
    expect(box).not_to_be_checked()
    box.check()
    page.get_by_role("button", name="Opslaan").first.click()
    expect(page.get_by_role("status").first).to_contain_text("onderweg naar de collecties van de verzekeraars")
    expect(page.locator(f"input[name=condition_ids][value='{condition['id']}']")).to_be_checked()
    check_screen(page, "30-behandelaanbod", full_page=False)

    page.get_by_role("button", name="Uitloggen").click()
    log_in(page, gateway, "vgz-inkoper")
    path = (
        f"/contractering/{collection['collection_id']}/instellingen/{institution['id']}"
        f"/afdelingen/{condition['specialism_id']}/aandoeningen"
    )
    for _attempt in range(30):
        page.goto(gateway + path)
        if page.locator("main table").filter(has_text=condition["name"]).count():
            break
        page.wait_for_timeout(1000)
    expect(page.locator("main")).to_contain_text(condition["name"])


def test_the_platform_admin_creates_a_user_who_can_then_log_in(page: Page, gateway: str) -> None:
    """Platform administration: a new insurer user, who chooses a password at the first login (R2)."""
    username = f"e2e-{uuid.uuid4().hex[:6]}@menzis"
    log_in_as_staff(page, gateway, "platform")
    page.get_by_role("link", name="Gebruikers").click()
    page.get_by_role("button", name="Gebruiker aanmaken").click()  # empty: refused next to the fields
    expect(page.locator("#e-username")).to_be_visible()
    page.get_by_label("Gebruikersnaam").fill(username)
    page.get_by_label("Naam", exact=True).fill("Nieuwe Inkoper")
    page.get_by_label("Rol").select_option(label="Inkoper (verzekeraar)")
    page.get_by_label("Verzekeraar").select_option(label="Menzis")
    page.get_by_label("Eerste wachtwoord").fill("Start2026a")
    page.get_by_role("button", name="Gebruiker aanmaken").click()
    expect(page.get_by_role("status").first).to_contain_text(f"Gebruiker {username} is aangemaakt")
    expect(page.locator("table.overview tr", has_text=username)).to_contain_text("kiest nieuw wachtwoord")
    check_screen(page, "31-gebruikers", full_page=True)

    page.get_by_role("button", name="Uitloggen").click()
    page.get_by_label("Contractjaar").select_option("2026")
    page.get_by_label("Gebruikersnaam").fill(username)
    page.get_by_label("Wachtwoord", exact=True).fill("Start2026a")
    page.get_by_role("button", name="Log In").click()
    page.get_by_label("Wachtwoord", exact=True).fill("Start2026a")
    page.get_by_label("Nieuw wachtwoord", exact=True).fill("Eigen2026b")
    page.get_by_role("button", name="Log In").click()
    page.wait_for_url("**/contractering")
    expect(page.locator("header")).to_contain_text("Nieuwe Inkoper · Menzis")
    assert re.search(r"/contractering$", page.url)

    # the admin deactivates the user: its session ends at once and it can no longer log in
    page.get_by_role("button", name="Uitloggen").click()
    log_in_as_staff(page, gateway, "platform")
    page.get_by_role("link", name="Gebruikers").click()
    page.get_by_role("button", name=f"{username} deactiveren").click()
    expect(page.locator("table.overview tr", has_text=username)).to_contain_text("gedeactiveerd")
    page.get_by_role("button", name="Uitloggen").click()
    page.get_by_label("Contractjaar").select_option("2026")
    page.get_by_label("Gebruikersnaam").fill(username)
    page.get_by_label("Wachtwoord", exact=True).fill("Eigen2026b")
    page.get_by_role("button", name="Log In").click()
    expect(page.get_by_role("alert")).to_contain_text("Onbekende combinatie")


def test_the_platform_admin_creates_an_api_key_shown_once_and_revokes_it(page: Page, gateway: str) -> None:
    """API keys for publication consumers: created, shown once, revoked (the gateway refuses it from then on)."""
    name = f"Vergelijker {uuid.uuid4().hex[:6]}"
    log_in_as_staff(page, gateway, "platform")
    page.get_by_role("link", name="API-sleutels").click()
    page.get_by_label("Afnemer").fill(name)
    page.get_by_role("button", name="Sleutel aanmaken").click()
    key = page.get_by_label("API-sleutel", exact=True).input_value()
    assert len(key) > 20
    check_screen(page, "33-api-sleutels", full_page=True)
    page.get_by_role("link", name="API-sleutels").click()
    expect(page.locator("main")).not_to_contain_text(key)  # shown once
    page.get_by_role("button", name=f"Sleutel van {name} intrekken").click()
    expect(page.locator("table.overview tr", has_text=name)).to_contain_text("ingetrokken")


def test_the_platform_admin_replays_a_dead_lettered_message_from_the_operations_view(
    page: Page, gateway: str, broker_namespace: Any
) -> None:
    """Operations view: a dead letter in support's queue, listed with its type, replayed to that queue only."""
    admin = api_session(gateway, "platform")
    purpose = api(gateway, admin, "GET", f"{SUPPORT}/dead-letters")[0]
    letter = Envelope.new(type="e2e.replay.checked", data={"why": "browser test"}, producer="e2e")
    with Connection(broker_namespace.amqp_url, connect_timeout=5) as connection:
        Producer(connection.default_channel).publish(
            letter.to_json(),
            exchange="",
            routing_key=purpose["dead_letter_queue"],
            content_type="application/json",
            content_encoding="utf-8",
        )

    log_in_as_staff(page, gateway, "platform")
    page.get_by_role("link", name="Berichtenwachtrijen").click()
    row = page.locator("table.dead-letters tr", has_text=letter.id)
    expect(row).to_contain_text("e2e.replay.checked")
    check_screen(page, "32-berichtenwachtrijen", full_page=True)
    row.get_by_role("button", name=f"Bericht {letter.id} opnieuw aanbieden").click()
    expect(page.get_by_role("status").first).to_contain_text("1 bericht opnieuw aangeboden aan support")

    def gone() -> bool:
        listed = api(gateway, admin, "GET", f"{SUPPORT}/dead-letters")
        return all(letter.id != d["message_id"] for q in listed for d in q["letters"])

    wait_for(gone, timeout=30, message="the replayed message taken by support's consumer")
    page.reload()
    expect(page.locator("table.dead-letters tr", has_text=letter.id)).to_have_count(0)
    insurer = api_session(gateway, "vgz-inkoper")
    refused = requests.get(f"{gateway}{SUPPORT}/dead-letters", headers=insurer, timeout=30)
    assert refused.status_code == 403  # platform admins only, checked by the service itself


def test_the_platform_admin_registers_and_renames_an_insurer(page: Page, gateway: str) -> None:
    """Platform administration: an insurer registered (its code fixes its id), then renamed."""
    code = f"e2e{uuid.uuid4().hex[:6]}"
    log_in_as_staff(page, gateway, "platform")
    page.get_by_role("link", name="Verzekeraars").click()
    page.get_by_label("Naam", exact=True).fill(f"E2E Zorg {code}")
    page.get_by_label("Code (vast, bijvoorbeeld menzis)").fill(code)
    page.get_by_role("button", name="Registreren").click()
    expect(page.get_by_role("status").first).to_contain_text(f"Verzekeraar E2E Zorg {code} is geregistreerd")
    page.get_by_label(f"Nieuwe naam voor E2E Zorg {code}").fill(f"E2E Zorgverzekeraar {code}")
    page.get_by_role("button", name=f"Naam van E2E Zorg {code} opslaan").click()
    expect(page.locator("table.overview tr", has_text=code)).to_contain_text(f"E2E Zorgverzekeraar {code}")
    check_screen(page, "34-verzekeraars", full_page=True)


def test_r16_a_registered_institution_reaches_the_insurers_collection_and_is_closed_again(
    page: Page, gateway: str
) -> None:
    """R16: the maintainer registers an institution; VGZ's Bewerk contractering finds it by its AGB code."""
    insurer = api_session(gateway, "vgz-inkoper")
    collection = api(gateway, insurer, "GET", f"{CONTRACTING}/collections")[0]
    agb, name = f"2{random.randrange(10**6, 10**7)}", f"E2E-centrum {uuid.uuid4().hex[:6]}"
    log_in_as_staff(page, gateway, "beheerder")
    page.get_by_role("link", name="Behandelaanbod").click()
    page.get_by_role("button", name="Registreren").click()  # empty: refused next to the fields
    expect(page.locator("#e-agb_code")).to_be_visible()
    page.get_by_label("Naam van de instelling").fill(name)
    page.get_by_label("AGB-code (8 cijfers)").fill(agb)
    page.get_by_label("Type", exact=True).select_option(label="ZBC (zelfstandig behandelcentrum)")
    page.get_by_label("Plaats").fill("Zwolle")
    page.get_by_role("button", name="Registreren").click()
    expect(page.get_by_role("status").first).to_contain_text("onderweg naar de collecties van de verzekeraars")
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Behandelaanbod van {name}")

    offering_url = page.url
    rows = f"{CONTRACTING}/collections/{collection['collection_id']}/institutions"
    wait_for(
        lambda: api(gateway, insurer, "GET", rows, params={"agb_code": agb})["items"],
        timeout=30,
        message="the new institution in VGZ's collection",
    )
    page.get_by_role("button", name="Uitloggen").click()
    log_in(page, gateway, "vgz-inkoper")
    page.goto(f"{gateway}/contractering/{collection['collection_id']}?agb={agb}")
    expect(page.locator("main table")).to_contain_text(name)

    # closed again: on its way out of the collections too
    page.get_by_role("button", name="Uitloggen").click()
    log_in_as_staff(page, gateway, "beheerder")
    page.goto(offering_url)
    page.get_by_role("button", name="Sluiten").click()
    expect(page.locator("main")).to_contain_text("Deze instelling is gesloten per")
    wait_for(
        lambda: not api(gateway, insurer, "GET", rows, params={"agb_code": agb})["items"],
        timeout=30,
        message="the closed institution gone from VGZ's open collection",
    )
