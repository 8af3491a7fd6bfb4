"""Issue 13, the rest: a company renamed and moved to another insurer, a group retired, and the
catalogue CSV import's progress bar following the processing of a large file, through the gateway on
PostgreSQL and RabbitMQ, every process (two API workers each) behind nginx.

GIVEN a company of VGZ whose product links a VGZ demo collection, WHEN the platform
admin renames it and moves it to an insurer registered for this test, THEN the products service holds
the new name and insurer, the product went along with its link ended (R13), and contracting hears it:
the collection counts one linked product less again. GIVEN a group of this test's own without
institutions, WHEN the maintainer retires it, THEN it is listed as "vervallen"; a demo group that
still has open institutions is refused in Dutch. GIVEN a CSV file of 10,000 new institutions with one
wrong line at the end, WHEN the maintainer reads it in, THEN the bar passes through intermediate
values while the catalogue checks the lines, and ends at the per-line report (nothing saved).
"""

from __future__ import annotations

import random
import uuid
from typing import Any

from helpers import DEMO_PASSWORD
from playwright.sync_api import Page, expect
from portal_helpers import api, api_session, check_screen

from servicekit.testing import wait_for

CATALOGUE = "/api/catalogue"
CONTRACTING = "/api/contracting"
PRODUCTS = "/api/products"
CSV_LABEL = "CSV-bestand (UTF-8, het formaat van de export)"
#: About 400 KB; checked in ~10 s on a 2-core machine under heavy load (30,000 lines took 30 s there),
#: well within the gateway's 60 s, and the bar still shows many intermediate steps.
LARGE_ROWS = 10_000


def log_in_as_staff(page: Page, base: str, username: str) -> None:
    page.goto(f"{base}/inloggen")
    page.get_by_label("Contractjaar").select_option("2026")
    page.get_by_label("Gebruikersnaam").fill(username)
    page.get_by_label("Wachtwoord", exact=True).fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Log In").click()
    page.wait_for_url("**/beheer/verzoeken")


def _linked_products(gateway: str, session: dict[str, str], collection_id: str) -> int:
    return int(api(gateway, session, "GET", f"{CONTRACTING}/collections/{collection_id}")["linked_products"])


def _vgz_company_with_a_linked_product(gateway: str, admin: dict[str, str]) -> tuple[dict[str, Any], str, str, int]:
    """A new VGZ company (free 98xx code) and its 2026 product, linked to a VGZ demo collection (known
    to products since the demo settled); returns the collection's linked count from before."""
    insurers = {i["slug"]: i["id"] for i in api(gateway, admin, "GET", "/api/identity/insurers")}
    taken = {c["uzovi_code"] for c in api(gateway, admin, "GET", f"{PRODUCTS}/companies")}
    code = random.choice([f"98{n:02d}" for n in range(100) if f"98{n:02d}" not in taken])
    body = {"insurer_id": insurers["vgz"], "name": f"E2E Label {uuid.uuid4().hex[:6]}", "uzovi_code": code}
    company = api(gateway, admin, "POST", f"{PRODUCTS}/companies", json=body)
    vgz_admin, vgz_user = api_session(gateway, "vgz-admin"), api_session(gateway, "vgz-inkoper")
    product = {
        "company_id": company["company_id"],
        "year": 2026,
        "name": "E2E Basis",
        "code": "E2E-B",
        "kind": "natura",
    }
    product_id = api(gateway, vgz_admin, "POST", f"{PRODUCTS}/products", json=product)["product_id"]
    collection = api(gateway, vgz_user, "GET", f"{PRODUCTS}/collections")[0]["collection_id"]
    before = _linked_products(gateway, vgz_user, collection)
    api(gateway, vgz_user, "PUT", f"{PRODUCTS}/links", json={"rows": [{"product_id": product_id, "collection_id": collection}]})  # fmt: skip
    wait_for(
        lambda: _linked_products(gateway, vgz_user, collection) == before + 1,
        timeout=120,
        interval=0.5,
        message="contracting heard of the link",
    )
    return company, product_id, collection, before


def test_r16_the_maintainer_retires_an_empty_group_and_one_with_open_institutions_is_refused(
    page: Page, gateway: str
) -> None:
    maintainer = api_session(gateway, "beheerder")
    name = f"E2E-groep {uuid.uuid4().hex[:6]}"
    group = api(gateway, maintainer, "POST", f"{CATALOGUE}/groups", json={"name": name})
    busy = next(g for g in api(gateway, maintainer, "GET", f"{CATALOGUE}/groups") if g["open_institution_count"] > 0)

    log_in_as_staff(page, gateway, "beheerder")
    page.get_by_role("link", name="Groepen").click()
    page.get_by_role("button", name=f"Groep {busy['name']} laten vervallen").click()
    expect(page.locator(".flash.error")).to_contain_text(f"Groep {busy['name']} heeft nog")
    page.get_by_role("button", name=f"Groep {name} laten vervallen").click()
    expect(page.locator(".flash").first).to_contain_text("De groep is vervallen")
    row = page.locator("table.overview tbody tr", has_text=name)
    expect(row).to_contain_text("vervallen")
    expect(row.get_by_role("button")).to_have_count(0)  # final: no rename, no second retirement
    page.get_by_label("Naam", exact=True).fill(name)  # the long demo list, narrowed to this group
    page.get_by_role("button", name="Zoeken").click()
    expect(page.locator("table.overview tbody tr")).to_have_count(1)
    check_screen(page, "47-beheer-groep-vervallen", full_page=True)

    assert api(gateway, maintainer, "GET", f"{CATALOGUE}/groups/{group['id']}")["retired"] is True
    assert api(gateway, maintainer, "GET", f"{CATALOGUE}/groups/{busy['id']}")["retired"] is False
    assert group["id"] not in {g["id"] for g in api(gateway, maintainer, "GET", f"{CATALOGUE}/groups")}


def test_the_import_bar_follows_the_checking_of_a_large_file_to_its_per_line_report(page: Page, gateway: str) -> None:
    """10,000 lines, the last one wrong: refused whole, so the catalogue is left as it was."""
    first = random.randrange(10**6, 10**7 - LARGE_ROWS)
    lines = "".join(f"2{first + n},E2E-bulk {n},zbc,NL,,,Almere,,,,,\n" for n in range(LARGE_ROWS))
    large = "agb_code,name,type,country,address,postcode,city,email,phone,group,opened_on,closed_on\n"
    large += lines + "123,Te kort,zbc,NL,,,,,,,,\n"
    maintainer = api_session(gateway, "beheerder")
    before = api(gateway, maintainer, "GET", f"{CATALOGUE}/institutions")["total"]

    log_in_as_staff(page, gateway, "beheerder")
    page.get_by_role("link", name="CSV", exact=True).click()
    page.evaluate(
        """() => {
        const bar = document.getElementById("uploadbalk"), stand = document.getElementById("uploadstand");
        window.seenBar = []; window.seenStand = [];
        new MutationObserver(() => window.seenBar.push(Number(bar.value))).observe(bar, {attributes: true});
        new MutationObserver(() => window.seenStand.push(stand.textContent)).observe(stand, {childList: true});
    }"""
    )
    page.get_by_label(CSV_LABEL).set_input_files(
        {"name": "groot.csv", "mimeType": "text/csv", "buffer": large.encode()}
    )
    page.get_by_role("button", name="Inlezen").click()
    report = page.locator("#uitkomst table")
    expect(report).to_contain_text("Foute regels: er is niets opgeslagen", timeout=120_000)
    expect(report).to_contain_text(str(LARGE_ROWS + 2))  # the wrong line, by its number
    expect(page.locator("#uploadbalk")).to_have_attribute("value", "100")
    seen_bar: list[int] = page.evaluate("window.seenBar")
    seen_stand: list[str] = page.evaluate("window.seenStand")
    checking = [v for v in seen_bar if 20 < v < 100]
    assert checking, f"the bar jumped from the upload to done: {seen_bar}"
    assert seen_bar == sorted(seen_bar), seen_bar  # it only moves forward
    assert any(s.startswith("Regels gecontroleerd: ") and f" van {LARGE_ROWS + 1}" in s for s in seen_stand), seen_stand
    check_screen(page, "48-catalogus-csv-voortgang", full_page=True)
    assert api(gateway, maintainer, "GET", f"{CATALOGUE}/institutions")["total"] == before


def test_r13_the_platform_admin_renames_a_company_and_moves_it_to_another_insurer(page: Page, gateway: str) -> None:
    admin = api_session(gateway, "platform")
    company, product_id, collection, before = _vgz_company_with_a_linked_product(gateway, admin)
    slug = f"e2e-{uuid.uuid4().hex[:8]}"
    target = api(gateway, admin, "POST", "/api/identity/insurers", json={"name": f"E2E Verzekeraar {slug}", "slug": slug})  # fmt: skip
    new_name = f"{company['name']} Nieuw"

    log_in_as_staff(page, gateway, "platform")
    page.get_by_role("link", name="Maatschappijen", exact=True).click()
    page.get_by_label(f"Nieuwe naam voor {company['name']}").fill(new_name)
    page.get_by_label(f"Verzekeraar van {company['name']}").select_option(label=target["name"])
    page.get_by_role("button", name=f"Maatschappij {company['name']} opslaan").click()
    expect(page.locator(".flash").first).to_contain_text(
        f"Maatschappij {new_name} ({company['uzovi_code']}) is opgeslagen"
    )
    expect(page.locator(".flash").first).to_contain_text(
        "koppelingen aan collecties van de vorige verzekeraar zijn vervallen"
    )
    row = page.locator("table.overview tbody tr", has_text=company["uzovi_code"])
    expect(row).to_contain_text(target["name"])
    check_screen(page, "46-beheer-maatschappij-verplaatst", full_page=True)

    moved = api(gateway, admin, "GET", f"{PRODUCTS}/companies/{company['company_id']}")
    assert (moved["name"], moved["insurer_id"]) == (new_name, target["id"])
    products = api(gateway, admin, "GET", f"{PRODUCTS}/products", params={"insurer_id": target["id"], "year": 2026})
    assert [(p["product_id"], p["collection_id"]) for p in products] == [(product_id, None)]
    vgz_user = api_session(gateway, "vgz-inkoper")
    wait_for(
        lambda: _linked_products(gateway, vgz_user, collection) == before,
        timeout=120,
        interval=0.5,
        message="contracting heard that the link ended",
    )
