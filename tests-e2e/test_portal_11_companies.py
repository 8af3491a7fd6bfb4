"""Issue 13, the platform admin's companies page: a company (label) of an insurer with its 4-digit
UZOVI code, registered in the portal, through the gateway on PostgreSQL and RabbitMQ.

GIVEN the demo platform, WHEN the platform admin registers a company for VGZ with a new UZOVI code,
THEN the page lists it and the products service holds it (R13: products belong to an insurer's
companies); the same code again is refused in Dutch and saves nothing. The invented codes are 98xx,
apart from the demo's 99xx.
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
    page.get_by_label("Verzekeraar").select_option(label="VGZ")
    page.get_by_role("button", name="Registreren").click()
    expect(page.locator(".flash").first).to_contain_text(f"Maatschappij {name} ({code}) is geregistreerd")
    row = page.locator("table.overview tr", has_text=name)
    expect(row).to_contain_text(code)
    expect(row).to_contain_text("VGZ")
    check_screen(page, "44-beheer-maatschappijen", full_page=True)

    page.get_by_label("Naam", exact=True).fill(f"{name} bis")
    page.get_by_label("UZOVI-code (4 cijfers)").fill(code)
    page.get_by_label("Verzekeraar").select_option(label="VGZ")
    page.get_by_role("button", name="Registreren").click()  # the same code again: refused in Dutch
    expect(page.locator(".message.error")).to_be_visible()
    companies = api(gateway, admin, "GET", f"{PRODUCTS}/companies")
    assert [c["name"] for c in companies if c["uzovi_code"] == code] == [name]
