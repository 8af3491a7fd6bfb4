"""User guide, "Hoe bewerk ik een contractering per afdeling / per aandoening?" (R9, R10),
"Hoe bewerk ik buitenlandse ziekenhuizen?" (R11) and "… een instelling voor meerdere contracteersets?" (R12).
"""

from __future__ import annotations

from playwright.sync_api import Page, expect
from portal_helpers import api, api_session, check_screen, institutions, log_in, new_collection

CONTRACTING = "/api/contracting"


def test_r9_r10_departments_and_conditions_with_header_row_cascade_and_back_links(page: Page, gateway: str) -> None:
    """Guide §per afdeling (R9) and §per aandoening (R10): Afdeling(en), Bewerk aandoening(en), << Terug naar instellingen."""
    session = api_session(gateway, "zk-inkoper")
    collection = new_collection(gateway, session)
    cid = collection["collection_id"]
    hospital = next(r for r in institutions(gateway, session, cid) if r["type"] == "university_medical_centre")
    log_in(page, gateway, "zk-inkoper")
    page.goto(f"{gateway}/contractering/{cid}?agb={hospital['agb_code']}")
    page.get_by_role("link", name="Afdeling(en)").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text(f"Afdeling(en) van {hospital['name']}")
    rows = page.locator("table.statuses tbody tr")
    total = rows.count()
    assert total > 3
    check_screen(page, "11-afdelingen")

    page.get_by_label("Naam").fill("Cardiologie")
    page.get_by_role("button", name="Zoeken").click()
    expect(rows).to_have_count(1)
    page.get_by_role("radio", name="Volledig voor alle getoonde afdelingen").check()
    page.get_by_label("Pas contractering toe op alle onderliggende aandoeningen").check()
    page.get_by_role("button", name="Opslaan").click()
    expect(page.locator("#melding")).to_contain_text("Opslaan met doorzetten wijzigt 1 afdeling en")
    page.get_by_role("button", name="Bevestig en sla op").click()
    expect(page.locator("#melding")).to_contain_text("Opgeslagen: 1 afdeling en")

    page.get_by_role("link", name="Bewerk aandoening(en)").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Cardiologie")
    conditions = page.locator("table.statuses tbody tr")
    expect(conditions.first.get_by_role("radio")).to_have_count(3)  # R10: no "Gedeeltelijk"
    expect(page.locator("table.statuses thead")).not_to_contain_text("Gedeeltelijk")
    for i in range(conditions.count()):
        expect(conditions.nth(i).get_by_role("radio").nth(2)).to_be_checked()  # cascaded FULL (R9)
    conditions.first.get_by_role("radio").nth(1).check()
    page.get_by_role("button", name="Opslaan").click()
    expect(page.locator("#melding")).to_contain_text("Opgeslagen: 1 aandoening gewijzigd")
    check_screen(page, "12-aandoeningen")

    page.get_by_role("link", name="<< Terug naar instellingen").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Bewerk contractering")
    row = institutions(gateway, session, cid, agb_code=hospital["agb_code"])[0]
    assert row["status"] == "NOT_CONTRACTED", "R9: saving departments leaves the institution level alone"


def test_r11_foreign_hospitals_only_at_institution_level(page: Page, gateway: str) -> None:
    """Guide §buitenlandse ziekenhuizen (R11): >> Buitenlandse ziekenhuizen, no department links, refused if typed."""
    session = api_session(gateway, "menzis-inkoper")
    collection = new_collection(gateway, session, "basic")
    cid = collection["collection_id"]
    foreign = institutions(gateway, session, cid, foreign="true")
    log_in(page, gateway, "menzis-inkoper")
    page.goto(f"{gateway}/contractering/{cid}")
    page.get_by_role("link", name=">> Buitenlandse ziekenhuizen").click()
    rows = page.locator("table.statuses tbody tr")
    expect(rows).to_have_count(len(foreign))
    expect(page.get_by_role("link", name="Afdeling(en)")).to_have_count(0)
    expect(page.get_by_label("Pas contractering toe op alle onderliggende afdelingen en aandoeningen")).to_have_count(0)
    page.get_by_role("radio", name="Gedeeltelijk voor alle getoonde instellingen").check()
    page.get_by_role("button", name="Opslaan").click()
    expect(page.locator("#melding")).to_contain_text(f"Opgeslagen: {len(foreign)} instellingen gewijzigd")
    check_screen(page, "13-buitenlandse-ziekenhuizen")
    assert {r["status"] for r in institutions(gateway, session, cid, foreign="true")} == {"PARTIAL"}

    page.goto(f"{gateway}/contractering/{cid}/instellingen/{foreign[0]['institution_id']}/afdelingen")
    expect(page.get_by_role("alert")).to_contain_text("alleen op instellingsniveau")


def test_r12_one_institution_across_all_collections_reached_by_its_name(page: Page, gateway: str) -> None:
    """Guide §meerdere contracteersets (R12): click the name, change its status in several collections at once."""
    session = api_session(gateway, "menzis-admin")  # not CZ: test_catalogue_to_contracting closes CZ's 2026
    first = new_collection(gateway, session)
    second = new_collection(gateway, session, "restitution")
    hospital = institutions(gateway, session, first["collection_id"], type="general_hospital")[0]
    log_in(page, gateway, "menzis-admin")
    page.goto(f"{gateway}/contractering/{first['collection_id']}?agb={hospital['agb_code']}")
    page.get_by_role("link", name=hospital["name"]).click()
    expect(page.get_by_role("heading", level=1)).to_contain_text(f"{hospital['name']} in alle collecties van 2026")
    for collection in (first, second):
        row = page.locator("table.statuses tbody tr", has_text=collection["name"])
        row.get_by_role("radio").nth(1).check()
    page.get_by_role("button", name="Opslaan").click()
    expect(page.locator("#melding")).to_contain_text("Opgeslagen in 2 collecties")
    expect(page.locator("table.history")).to_contain_text("In onderhandeling")
    check_screen(page, "14-instelling-in-alle-collecties", full_page=True)
    across = api(gateway, session, "GET", f"{CONTRACTING}/institutions/{hospital['institution_id']}/collections")
    statuses = {c["collection_id"]: c["status"] for c in across["collections"]}
    assert statuses[first["collection_id"]] == statuses[second["collection_id"]] == "IN_NEGOTIATION"
