"""User guide, "Welke contractering staat er ingeregeld?" and "Hoe voeg ik een nieuwe contracteercollectie toe?" (R4),
and tenant isolation and CSRF in the browser's terms.

GIVEN the demo insurers' collections, WHEN a purchasing team opens Contractering and adds a collection,
THEN it sees its own collections with their counts per status, and never another insurer's.
"""

from __future__ import annotations

import re
import uuid

import requests
from playwright.sync_api import Page, expect
from portal_helpers import api, api_session, check_screen, log_in


def test_r4_contractering_shows_the_years_collections_with_counts_and_adds_one(page: Page, gateway: str) -> None:
    """Guide §nieuwe contracteercollectie (R4): name, Healthcare type, insurer, collection type, description."""
    log_in(page, gateway, "zk-inkoper")
    table = page.locator("table.overview")
    expect(table).to_contain_text("Basis 2026")
    expect(table.locator("thead")).to_contain_text("In onderhandeling")
    basis = table.locator("tr", has_text="Basis 2026")
    expect(basis.locator("td.num").nth(3)).not_to_have_text("0")  # demo: Basis is FULL for Dutch institutions
    check_screen(page, "04-contractering", full_page=True)

    heading = page.get_by_role("heading", name="Toevoegen nieuwe Contracterings Collectie voor 2026")
    expect(heading).to_be_visible()
    page.get_by_role("button", name="Toevoegen").click()  # nothing chosen: refused next to the fields
    expect(page.locator(".field-error").first).to_be_visible()
    name = f"Aanvullend {uuid.uuid4().hex[:6]}"
    page.get_by_label("Naam").fill(name)
    page.get_by_label("Healthcare type").select_option(label="Ziekenhuis")
    page.get_by_label("Verzekeraar").select_option(label="Zilveren Kruis")
    page.get_by_label("Contract collectie type").select_option(label="Selectief")
    page.get_by_label("Omschrijving").fill("Aangemaakt door de browsertest")
    page.get_by_role("button", name="Toevoegen").click()
    expect(page.get_by_role("status").first).to_contain_text(f"{name} is toegevoegd voor 2026")
    row = page.locator("table.overview tr", has_text=name)
    expect(row).to_contain_text("Selectief")
    expect(row.locator("td.num").first).not_to_have_text("0")  # a new collection starts NOT_CONTRACTED


def test_insurer_a_typing_insurer_bs_collection_url_gets_a_dutch_not_found_page(page: Page, gateway: str) -> None:
    """Security: another insurer's collection does not exist for you (R4 tenant isolation), in Dutch."""
    menzis = api(gateway, api_session(gateway, "menzis-inkoper"), "GET", "/api/contracting/collections")[0]
    log_in(page, gateway, "zk-inkoper")
    response = page.goto(f"{gateway}/contractering/{menzis['collection_id']}")
    assert response is not None and response.status == 404
    expect(page.get_by_role("heading", level=1)).to_have_text("Niet gevonden")
    expect(page.locator("main")).not_to_contain_text(menzis["name"])
    check_screen(page, "05-niet-gevonden")
    for path in ("geschiedenis", "import", "instellingen/00000000-0000-0000-0000-000000000000/afdelingen"):
        assert page.goto(f"{gateway}/contractering/{menzis['collection_id']}/{path}").status == 404


def test_a_form_post_without_the_csrf_token_is_refused(gateway: str) -> None:
    """Security: every form carries a CSRF token; a post without it (or with another) changes nothing."""
    with requests.Session() as browser:
        form = browser.get(f"{gateway}/inloggen", timeout=30).text
        token = re.search(r'name="csrf" value="([^"]+)"', form)
        assert token is not None
        credentials = {"contract_year": "2026", "username": "vgz-inkoper", "password": "Demo2026Zcp!"}
        refused = browser.post(f"{gateway}/inloggen", data=credentials, timeout=30, allow_redirects=False)
        assert refused.status_code == 403 and "Het formulier is verlopen" in refused.text
        logged_in = browser.post(
            f"{gateway}/inloggen", data=credentials | {"csrf": token.group(1)}, timeout=30, allow_redirects=False
        )
        assert logged_in.status_code == 302 and logged_in.headers["Location"].endswith("/contractering")
        name = f"CSRF {uuid.uuid4().hex[:6]}"
        body = {"name": name, "care_type": "hospital", "collection_type": "basic", "insurer_id": "x"}
        for sent in ({}, {"csrf": "vervalst"}):
            answer = browser.post(f"{gateway}/contractering", data=body | sent, timeout=30, allow_redirects=False)
            assert answer.status_code == 403, answer.text[:300]
        listed = api(gateway, api_session(gateway, "vgz-inkoper"), "GET", "/api/contracting/collections")
        assert name not in {c["name"] for c in listed}
