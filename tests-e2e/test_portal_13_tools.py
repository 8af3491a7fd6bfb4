"""The purchasing teams' tools (issue 15) in the portal: "Kopiëren contracteercollectie" with the
rollover's progress bar, "Vergelijken" with another collection (and its CSV), the
"Consistentiecontrole" with "bewust zo", and a product's differences against last year.

GIVEN collections of this test's own (Menzis) with seeded statuses, WHEN the purchaser copies,
compares and checks them in the portal, THEN the pages show what the contracting API decided; the
product test rolls VGZ over to 2027 (idempotent: portal test 05 may have done so) and changes one
row of a 2027 copy, put back afterwards.
"""

from __future__ import annotations

import uuid
from pathlib import Path
from typing import Any

import requests
from playwright.sync_api import Page, expect
from portal_helpers import api, api_session, check_screen, institutions, log_in, new_collection

from servicekit.testing import wait_for

CONTRACTING = "/api/contracting"


def set_status(
    gateway: str, session: dict[str, str], collection_id: str, row: dict[str, Any], status: str, **extra: Any
) -> None:
    body = {"rows": [{"institution_id": row["institution_id"], "status": status, "version": row["version"], **extra}]}
    api(gateway, session, "PATCH", f"{CONTRACTING}/collections/{collection_id}/institutions", json=body)


def test_kopieren_runs_as_a_job_with_a_progress_bar_and_copies_statuses_and_remarks(page: Page, gateway: str) -> None:
    """Kopiëren contracteercollectie: name, type, description, remarks yes; a large copy shows its progress."""
    session = api_session(gateway, "menzis-inkoper")
    source = new_collection(gateway, session)
    target = institutions(gateway, session, source["collection_id"], foreign="false")[0]
    set_status(gateway, session, source["collection_id"], target, "FULL", remark="afspraak 2026")
    log_in(page, gateway, "menzis-inkoper")
    page.get_by_role("link", name=f"Kopiëren van {source['name']}").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Kopiëren contracteercollectie")
    name = f"Kopie {uuid.uuid4().hex[:6]}"
    page.get_by_label("Naam").fill(name)
    page.get_by_label("Contract collectie type").select_option("basic")
    page.get_by_label("Omschrijving").fill("Kopie voor het basispakket")
    page.get_by_label("Ja, neem de opmerkingen over").check()
    check_screen(page, "51-kopieren")
    page.get_by_role("button", name="Kopiëren").click()
    expect(page.get_by_role("progressbar")).to_be_visible()
    expect(page.locator("#voortgang")).to_contain_text("Klaar", timeout=120_000)
    expect(page.get_by_role("progressbar")).to_have_attribute("value", "100.0")
    check_screen(page, "52-kopieren-voortgang")
    page.get_by_role("link", name="Naar de collecties", exact=True).click()
    copied = next(c for c in api(gateway, session, "GET", f"{CONTRACTING}/collections") if c["name"] == name)
    assert copied["collection_type"] == "basic" and copied["description"] == "Kopie voor het basispakket"
    [row] = institutions(gateway, session, copied["collection_id"], agb_code=target["agb_code"])
    assert (row["status"], row["remark"]) == ("FULL", "afspraak 2026")
    expect(page.locator(f"#collectie-{copied['collection_id']}")).to_contain_text(name)


def test_vergelijken_shows_the_differing_rows_per_level_and_downloads_them(
    page: Page, gateway: str, tmp_path: Path
) -> None:
    """Vergelijken: per level the rows whose status differs, with both statuses, who changed them, counts."""
    session = api_session(gateway, "menzis-inkoper")
    this, other = new_collection(gateway, session), new_collection(gateway, session)
    target = institutions(gateway, session, other["collection_id"], foreign="false")[0]
    set_status(gateway, session, other["collection_id"], target, "IN_NEGOTIATION")
    log_in(page, gateway, "menzis-inkoper")
    page.get_by_role("link", name=f"Vergelijken van {this['name']}").click()
    page.get_by_label("Vergelijk met").select_option(label=other["name"])
    page.get_by_label("Niveau").select_option("institution")
    page.get_by_role("button", name="Vergelijken").click()
    institutions_part = page.locator("section", has=page.get_by_role("heading", name="Instellingen: 1 verschil"))
    expect(institutions_part).to_contain_text(target["name"])
    expect(institutions_part.locator("table.verschillen")).to_contain_text("In onderhandeling")
    expect(institutions_part.locator("table.verschillen")).to_contain_text("menzis-inkoper")
    expect(institutions_part.locator("table.paren")).to_contain_text("In onderhandeling")
    check_screen(page, "53-vergelijken", full_page=True)
    with page.expect_download() as download_info:
        page.get_by_role("link", name="CSV").click()
    saved = tmp_path / "verschillen.csv"
    download_info.value.save_as(saved)
    lines = saved.read_text(encoding="utf-8-sig").splitlines()
    assert lines[0].startswith("niveau;instelling_id") and len(lines) == 2 and target["name"] in lines[1]

    page.get_by_label("Naam").fill("bestaat-niet-xyz")
    page.get_by_role("button", name="Vergelijken").click()
    expect(page.get_by_role("heading", name="Instellingen: 0 verschillen")).to_be_visible()


def test_consistentiecontrole_explains_a_finding_and_bewust_zo_hides_it(page: Page, gateway: str) -> None:
    """Consistentiecontrole: a PARTIAL institution with nothing contracted below it; "bewust zo" with a reason."""
    session = api_session(gateway, "menzis-inkoper")
    collection = new_collection(gateway, session)
    cid = collection["collection_id"]
    target = wait_for(lambda: _with_departments(gateway, session, cid), timeout=90, interval=1, message="offering")
    set_status(gateway, session, cid, target, "PARTIAL")
    log_in(page, gateway, "menzis-inkoper")
    page.get_by_role("link", name=f"Consistentiecontrole van {collection['name']}").click()
    finding = page.locator("ol.bevindingen li", has_text=target["name"])
    expect(finding).to_contain_text("is gedeeltelijk gecontracteerd, maar eronder is geen afdeling")
    expect(finding.get_by_role("link", name="Naar de rijen")).to_have_attribute("href", f"/contractering/{cid}")
    check_screen(page, "54-consistentiecontrole")
    finding.get_by_role("button", name="Bewust zo").click()
    expect(page.locator("ol.bevindingen .field-error")).to_contain_text("Geef een reden")
    finding = page.locator("ol.bevindingen li", has_text=target["name"])
    finding.get_by_label("Reden").fill("Afspraak per afdeling volgt in januari")
    finding.get_by_role("button", name="Bewust zo").click()
    expect(page.locator(".flash")).to_contain_text("bewust zo")
    expect(page.locator("ol.bevindingen li", has_text=target["name"])).to_have_count(0)
    page.get_by_role("link", name="Toon ook wat bewust zo is").click()
    expect(page.locator("ol.bevindingen li", has_text=target["name"])).to_contain_text("Afspraak per afdeling volgt")


def _with_departments(gateway: str, session: dict[str, str], collection_id: str) -> dict[str, Any] | None:
    """A Dutch institution of the collection with department rows (the demo catalogue's offering has arrived)."""
    for row in institutions(gateway, session, collection_id, foreign="false")[:20]:
        path = f"{CONTRACTING}/collections/{collection_id}/institutions/{row['institution_id']}/departments"
        if api(gateway, session, "GET", path)["items"]:
            return row
    return None


def test_a_products_differences_against_last_year(page: Page, gateway: str) -> None:
    """On a product: what a policy holder's contracted care changed against last year (VGZ 2027)."""
    admin = api_session(gateway, "vgz-admin")
    job = api(gateway, admin, "POST", f"{CONTRACTING}/rollovers", json={"from_year": 2026})
    job_path = f"{CONTRACTING}/rollovers/{job['job_id']}"
    wait_for(lambda: api(gateway, admin, "GET", job_path)["state"] == "done", timeout=300, message="VGZ rollover")
    admin_2027, session = api_session(gateway, "vgz-admin", year=2027), api_session(gateway, "vgz-inkoper", year=2027)
    collection = next(
        c for c in api(gateway, session, "GET", f"{CONTRACTING}/collections") if c["name"] == "Basis 2026"
    )
    cid = collection["collection_id"]
    [company, *_] = api(gateway, admin_2027, "GET", f"/api/products/companies?insurer_id={collection['insurer_id']}")
    code = uuid.uuid4().hex[:8]
    body = {
        "company_id": company["company_id"],
        "year": 2027,
        "name": f"E2E Polis {code}",
        "code": code,
        "kind": "natura",
    }
    product = api(gateway, admin_2027, "POST", "/api/products/products", json=body)
    wait_for(lambda: _known_to_products(gateway, session, cid), timeout=240, interval=1, message="copy at products")
    link = {"rows": [{"product_id": product["product_id"], "collection_id": cid}]}
    api(gateway, session, "PUT", "/api/products/links", json=link)
    compare = f"{gateway}{CONTRACTING}/products/{product['product_id']}/compare?level=institution"
    wait_for(lambda: requests.get(compare, headers=session, timeout=30).ok, timeout=240, interval=1, message="link")
    target = institutions(gateway, session, cid, foreign="false")[0]
    set_status(gateway, session, cid, target, "IN_NEGOTIATION" if target["status"] != "IN_NEGOTIATION" else "FULL")
    try:
        log_in(page, gateway, "vgz-inkoper", year=2027)
        page.get_by_role("link", name="Producten").click()
        page.get_by_role("link", name=f"Verschillen met vorig jaar van {product['name']}").click()
        expect(page.get_by_role("heading", level=1)).to_contain_text(product["name"])
        expect(page.locator("#vergeleken")).to_contain_text("Basis 2026 (2026)")
        expect(page.locator("table.verschillen").first).to_contain_text(target["name"])
        check_screen(page, "55-product-verschillen", full_page=True)
    finally:
        [now] = institutions(gateway, session, cid, agb_code=target["agb_code"])
        set_status(gateway, session, cid, now, target["status"])
        unlink = {"rows": [{"product_id": product["product_id"], "collection_id": None}]}
        api(gateway, session, "PUT", "/api/products/links", json=unlink)


def _known_to_products(gateway: str, session: dict[str, str], collection_id: str) -> bool:
    """Settle: the rollover's copy reached products' local copy through RabbitMQ."""
    return any(c["collection_id"] == collection_id for c in api(gateway, session, "GET", "/api/products/collections"))
