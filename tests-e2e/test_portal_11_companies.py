"""Issue 13, the platform admin's companies and publication dates pages: a company (label) of an
insurer with its 4-digit UZOVI code, and the day an insurer's year is published (R17), through the
gateway on PostgreSQL and RabbitMQ.

GIVEN the demo platform, WHEN the platform admin registers a company for VGZ with a new UZOVI code,
THEN the page lists it and the products service holds it (R13: products belong to an insurer's
companies); the same code again is refused in Dutch and saves nothing. The invented codes are 98xx,
apart from the demo's 99xx. WHEN the admin sets another publication date for Menzis 2030 (a year
no other test reads), THEN the page shows it as the insurer's own date; the date found first is put
back afterwards.
"""

from __future__ import annotations

import random
import uuid

from helpers import DEMO_PASSWORD
from playwright.sync_api import Page, expect
from portal_helpers import api, api_session, check_screen

PRODUCTS = "/api/products"


def log_in_as_platform_admin(page: Page, base: str) -> None:
    page.goto(f"{base}/inloggen")
    page.get_by_label("Contractjaar").select_option("2026")
    page.get_by_label("Gebruikersnaam").fill("platform")
    page.get_by_label("Wachtwoord", exact=True).fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Log In").click()
    page.wait_for_url("**/beheer/verzoeken")


def _free_uzovi_code(taken: set[str]) -> str:
    free = [f"98{n:02d}" for n in range(100) if f"98{n:02d}" not in taken]
    assert free, "every 98xx UZOVI code is taken"
    return random.choice(free)


def test_r13_the_platform_admin_registers_a_company_for_vgz_and_sees_it_listed(page: Page, gateway: str) -> None:
    admin = api_session(gateway, "platform")
    code = _free_uzovi_code({c["uzovi_code"] for c in api(gateway, admin, "GET", f"{PRODUCTS}/companies")})
    name = f"E2E Zorg {uuid.uuid4().hex[:6]}"
    log_in_as_platform_admin(page, gateway)
    page.get_by_role("link", name="Maatschappijen", exact=True).click()
    page.get_by_label("Naam", exact=True).fill(name)
    page.get_by_label("UZOVI-code (4 cijfers)").fill(code)
    page.get_by_label("Verzekeraar", exact=True).select_option(label="VGZ")
    page.get_by_role("button", name="Registreren").click()
    expect(page.locator(".flash").first).to_contain_text(f"Maatschappij {name} ({code}) is geregistreerd")
    row = page.locator("table.overview tr", has_text=name)
    expect(row).to_contain_text(code)
    expect(row).to_contain_text("VGZ")
    check_screen(page, "44-beheer-maatschappijen", full_page=True)

    page.get_by_label("Naam", exact=True).fill(f"{name} bis")
    page.get_by_label("UZOVI-code (4 cijfers)").fill(code)
    page.get_by_label("Verzekeraar", exact=True).select_option(label="VGZ")
    page.get_by_role("button", name="Registreren").click()  # the same code again: refused in Dutch
    expect(page.locator(".message.error")).to_be_visible()
    companies = api(gateway, admin, "GET", f"{PRODUCTS}/companies")
    assert [c["name"] for c in companies if c["uzovi_code"] == code] == [name]


def test_r17_the_platform_admin_sets_another_publication_date_and_it_is_restored(page: Page, gateway: str) -> None:
    """Menzis 2030: no other test reads it; the date found first is put back at the end."""
    admin = api_session(gateway, "platform")
    menzis = next(i for i in api(gateway, admin, "GET", "/api/identity/insurers") if i["slug"] == "menzis")
    dates = f"{PRODUCTS}/publication-dates/{menzis['id']}/2030"
    before = api(gateway, admin, "GET", dates)
    try:
        log_in_as_platform_admin(page, gateway)
        page.get_by_role("link", name="Publicatiedata", exact=True).click()
        page.get_by_label("Verzekeraar").select_option(label="Menzis")
        page.get_by_label("Contractjaar").fill("2030")
        page.get_by_role("button", name="Tonen").click()
        if before["is_default"]:
            expect(page.locator("#publicatiedatum")).to_contain_text("12-11-2029")
        page.get_by_label("Publiceren vanaf").fill("2029-10-01")
        page.get_by_role("button", name="Opslaan").click()
        expect(page.locator(".flash").first).to_contain_text("Contractjaar 2030 wordt gepubliceerd vanaf 01-10-2029")
        expect(page.locator("#publicatiedatum")).to_contain_text("eigen datum")
        check_screen(page, "45-beheer-publicatiedata", full_page=True)
        assert api(gateway, admin, "GET", dates)["publish_from"] == "2029-10-01"
    finally:
        api(gateway, admin, "PUT", dates, json={"publish_from": before["publish_from"]})
