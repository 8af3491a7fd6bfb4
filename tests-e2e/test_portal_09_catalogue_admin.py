"""Issue 13, the screens portal2 left: catalogue maintenance (groups, specialisms, conditions, an
institution's edit and merge, the catalogue CSV) and the platform admin's contract years with the
rollover's progress bar, through the gateway on PostgreSQL and RabbitMQ.

GIVEN the demo platform, WHEN the maintainer changes the catalogue in the portal, THEN each save says
it is on its way to the insurers' collections (R16) and the catalogue holds the change; a refused CSV
names every wrong line and saves nothing. WHEN the platform admin rolls Menzis over from 2026 (R3),
THEN the progress bar reaches "Klaar" and 2027 can be closed. Only new items, Menzis and VGZ are
changed (the R16 test closes CZ's 2026; test 05 rolls VGZ over).
"""

from __future__ import annotations

import random
import uuid
from pathlib import Path
from typing import Any

from helpers import DEMO_PASSWORD
from playwright.sync_api import Page, expect
from portal_helpers import api, api_session, check_screen

CATALOGUE = "/api/catalogue"
CONTRACTING = "/api/contracting"
R16 = "onderweg naar de collecties van de verzekeraars (R16)"


def log_in_as_staff(page: Page, base: str, username: str) -> None:
    page.goto(f"{base}/inloggen")
    page.get_by_label("Contractjaar").select_option("2026")
    page.get_by_label("Gebruikersnaam").fill(username)
    page.get_by_label("Wachtwoord", exact=True).fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Log In").click()
    page.wait_for_url("**/beheer/verzoeken")


def flash(page: Page) -> Any:
    return page.locator(".flash").first


def test_r16_the_maintainer_adds_and_renames_a_group(page: Page, gateway: str) -> None:
    name = f"E2E-groep {uuid.uuid4().hex[:6]}"
    log_in_as_staff(page, gateway, "beheerder")
    page.get_by_role("link", name="Groepen").click()
    page.get_by_label("Naam van de groep").fill(name)
    page.get_by_role("button", name="Toevoegen").click()
    expect(flash(page)).to_contain_text(R16)
    page.get_by_label(f"Nieuwe naam voor {name}").fill(f"{name} Zorg")
    page.get_by_role("button", name=f"Groep {name} opslaan").click()
    expect(flash(page)).to_contain_text(f"De groep heet nu {name} Zorg")
    expect(page.locator("table.overview")).to_contain_text(f"{name} Zorg")
    page.get_by_label("Naam van de groep").fill(f"{name} Zorg")
    page.get_by_role("button", name="Toevoegen").click()  # the same name again: refused in Dutch
    expect(page.locator(".flash.error")).to_be_visible()
    check_screen(page, "35-beheer-groepen", full_page=True)
    maintainer = api_session(gateway, "beheerder")
    found = api(gateway, maintainer, "GET", f"{CATALOGUE}/groups", params={"name": name})
    assert [g["name"] for g in found] == [f"{name} Zorg"]


def test_r16_the_maintainer_adds_renames_and_retires_a_specialism_and_its_condition(page: Page, gateway: str) -> None:
    code, name = f"9{random.randrange(100, 1000)}", f"E2E-specialisme {uuid.uuid4().hex[:6]}"
    log_in_as_staff(page, gateway, "beheerder")
    page.get_by_role("link", name="Specialismen").click()
    page.get_by_label("Vektis-code (4 cijfers)").fill(code)
    page.get_by_label("Naam", exact=True).fill(name)
    page.get_by_role("button", name="Toevoegen").click()
    expect(flash(page)).to_contain_text(R16)
    page.get_by_label(f"Nieuwe naam voor {name}").fill(f"{name} (nieuw)")
    page.get_by_role("button", name=f"Specialisme {name} hernoemen").click()
    expect(flash(page)).to_contain_text(f"Het specialisme heet nu {name} (nieuw)")
    check_screen(page, "36-beheer-specialismen", full_page=False)

    page.get_by_role("link", name=f"Aandoeningen van {name} (nieuw)").click()
    page.get_by_label("Naam van de aandoening").fill("E2E-aandoening")
    page.get_by_role("button", name="Toevoegen").click()
    expect(flash(page)).to_contain_text(R16)
    page.get_by_label("Nieuwe naam voor E2E-aandoening").fill("E2E-aandoening hernoemd")
    page.get_by_role("button", name="Aandoening E2E-aandoening hernoemen").click()
    expect(page.locator("table.overview")).to_contain_text("E2E-aandoening hernoemd")
    check_screen(page, "37-beheer-aandoeningen", full_page=True)
    page.get_by_role("button", name="Aandoening E2E-aandoening hernoemd laten vervallen").click()
    expect(page.locator("table.overview tr", has_text="E2E-aandoening hernoemd")).to_contain_text("vervallen")

    page.get_by_role("link", name="Specialismen").click()
    page.get_by_role("button", name=f"Specialisme {name} (nieuw) laten vervallen").click()
    expect(page.locator("table.overview tr", has_text=code)).to_contain_text("vervallen")
    maintainer = api_session(gateway, "beheerder")
    active = api(gateway, maintainer, "GET", f"{CATALOGUE}/specialisms")
    assert code not in [s["code"] for s in active]


def _register(gateway: str, maintainer: dict[str, str], name: str) -> dict[str, Any]:
    body = {"name": name, "agb_code": f"2{random.randrange(10**6, 10**7)}", "type": "zbc", "country": "NL"}
    return dict(api(gateway, maintainer, "POST", f"{CATALOGUE}/institutions", json=body))


def test_r16_the_maintainer_edits_an_institution_and_merges_it_into_another(page: Page, gateway: str) -> None:
    maintainer = api_session(gateway, "beheerder")
    tag = uuid.uuid4().hex[:6]
    leaving, staying = (
        _register(gateway, maintainer, f"E2E-oud {tag}"),
        _register(gateway, maintainer, f"E2E-nieuw {tag}"),
    )
    log_in_as_staff(page, gateway, "beheerder")
    page.get_by_role("link", name="Behandelaanbod").click()
    page.get_by_label("AGB-code", exact=True).fill(leaving["agb_code"])
    page.get_by_role("button", name="Zoeken").click()
    page.get_by_role("link", name=f"{leaving['name']} bewerken of fuseren").click()
    page.get_by_label("Plaats").fill("Deventer")
    page.get_by_label("Postcode").fill("7411 AA")
    page.get_by_role("button", name="Opslaan").click()
    expect(flash(page)).to_contain_text(R16)
    expect(page.get_by_label("Plaats")).to_have_value("Deventer")
    check_screen(page, "38-instelling-bewerken", full_page=True)
    page.get_by_label("AGB-code van de instelling waarin zij opgaat").fill(staying["agb_code"])
    page.get_by_role("button", name="Fuseren").click()
    expect(flash(page)).to_contain_text(f"gefuseerd met {staying['name']}")
    merged = api(gateway, maintainer, "GET", f"{CATALOGUE}/institutions/{leaving['id']}")
    assert merged["city"] == "Deventer" and merged["status"] == "closed"


def test_r16_the_catalogue_csv_is_exported_a_wrong_file_is_reported_per_line_and_a_large_one_is_read(
    page: Page, gateway: str
) -> None:
    maintainer = api_session(gateway, "beheerder")
    log_in_as_staff(page, gateway, "beheerder")
    page.get_by_role("link", name="CSV", exact=True).click()
    with page.expect_download() as download:
        page.get_by_role("link", name="Exporteer instellingen (CSV)").click()
    exported = Path(download.value.path()).read_text(encoding="utf-8")
    assert exported.startswith("agb_code,name,type,country")

    wrong = "agb_code,name,type,country\n123,Te kort,zbc,NL\n06999999,Onbekend type,ziekenhuisje,NL\n"
    page.get_by_label("CSV-bestand (UTF-8, het formaat van de export)").set_input_files(
        {"name": "fout.csv", "mimeType": "text/csv", "buffer": wrong.encode()}
    )
    page.get_by_role("button", name="Inlezen").click()
    report = page.locator("#uitkomst table")
    expect(report).to_contain_text("Foute regels: er is niets opgeslagen")
    cells = report.locator("tbody tr").evaluate_all(
        "rows => rows.map(r => Array.from(r.cells).slice(0, 2).map(c => c.textContent.trim()))"
    )
    assert ["2", "agb_code"] in cells and ["3", "type"] in cells, cells  # every wrong line, with its field

    agb, name = f"2{random.randrange(10**6, 10**7)}", f"E2E-import {uuid.uuid4().hex[:6]}"
    large = exported + f"{agb},{name},zbc,NL,,,Almere,,,,,\n"
    page.get_by_label("CSV-bestand (UTF-8, het formaat van de export)").set_input_files(
        {"name": "instellingen.csv", "mimeType": "text/csv", "buffer": large.encode()}
    )
    page.get_by_role("button", name="Inlezen").click()
    expect(page.locator("#uitkomst")).to_contain_text("1 nieuw", timeout=60_000)
    expect(page.locator("#uitkomst")).to_contain_text(R16)
    expect(page.locator("#uploadbalk")).to_have_attribute("value", "100")
    check_screen(page, "39-catalogus-csv", full_page=True)
    found = api(gateway, maintainer, "GET", f"{CATALOGUE}/institutions", params={"agb_code": agb})["items"]
    assert [i["name"] for i in found] == [name]


def test_r3_the_platform_admin_rolls_menzis_over_with_a_progress_bar_and_closes_the_new_year(
    page: Page, gateway: str
) -> None:
    admin = api_session(gateway, "platform")
    menzis = next(i for i in api(gateway, admin, "GET", "/api/identity/insurers") if i["slug"] == "menzis")
    log_in_as_staff(page, gateway, "platform")
    page.get_by_role("link", name="Contractjaren").click()
    page.get_by_label("Verzekeraar").select_option(label="Menzis")
    page.get_by_role("button", name="Tonen").click()
    expect(page.locator("table.overview tr", has_text="2026")).to_contain_text("open")
    check_screen(page, "40-contractjaren", full_page=True)
    page.get_by_label("Van contractjaar").fill("2026")
    page.get_by_label("Voor", exact=True).select_option(label="Menzis")
    page.get_by_role("button", name="Start jaarovergang").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Jaarovergang voor Menzis")
    expect(page.locator("#voortgang h2")).to_contain_text("Klaar", timeout=120_000)
    expect(page.locator("#voortgangsbalk")).to_have_attribute("value", "100.0")
    check_screen(page, "41-jaarovergang-platform", full_page=True)

    page.goto(f"{gateway}/beheer/contractjaren?verzekeraar={menzis['id']}")
    row = page.locator("table.overview tr", has_text="2027")
    expect(row).to_contain_text("open")
    row.get_by_role("button", name="Contractjaar 2027 sluiten").click()  # not ticked: refused
    expect(page.locator(".flash.error")).to_contain_text("vink eerst aan")
    row = page.locator("table.overview tr", has_text="2027")
    row.get_by_label("Daarna alleen-lezen").check()
    row.get_by_role("button", name="Contractjaar 2027 sluiten").click()
    expect(flash(page)).to_contain_text("Contractjaar 2027 is gesloten")

    years = api(gateway, admin, "GET", f"{CONTRACTING}/years", params={"insurer_id": menzis["id"]})
    assert {y["year"]: y["state"] for y in years}.get(2027) == "closed"
