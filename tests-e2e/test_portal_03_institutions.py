"""User guide, "Hoe bewerk ik een contractering op instellingsniveau?" (R5, R6, R7) and "Hoe zoek ik instellingen?" (R8).

GIVEN a collection of the test's own (every institution "Niet"), WHEN the purchasing team filters,
ticks a status in the dark-blue header row, checks the cascade and presses Opslaan, THEN nothing
changes before Opslaan, the cascade's size is shown before it is saved, and a colleague's change
in the meantime is never overwritten.
"""

from __future__ import annotations

import random
import re
from collections import Counter
from typing import Any

import pytest
from playwright.sync_api import Dialog, Page, expect
from portal_helpers import api, api_session, check_screen, institutions, log_in, new_collection

from servicekit.testing import wait_for
from zcp_runner.processes import Platform

CONTRACTING = "/api/contracting"


HOSPITALS = ("general_hospital", "top_clinical_hospital", "university_medical_centre")


@pytest.fixture(scope="module")
def catalogue_of_400_plus(platform: Platform) -> int:
    """R16 on the way: the maintainer registers ZBC's until the Dutch catalogue has 400+ institutions."""
    gateway = platform.url
    maintainer = api_session(gateway, "beheerder")
    insurer = api_session(gateway, "menzis-inkoper")
    probe = api(gateway, insurer, "GET", "/api/contracting/collections")[0]["collection_id"]
    listed = api(
        gateway, insurer, "GET", f"{CONTRACTING}/collections/{probe}/institutions", params={"foreign": "false"}
    )
    missing = max(0, 405 - int(listed["total"]))
    prefix = random.randrange(1000, 9999)
    for n in range(missing):
        body = {"agb_code": f"22{prefix}{n:02d}", "name": f"E2E Kliniek {prefix}-{n}", "type": "zbc", "city": "Utrecht"}
        api(gateway, maintainer, "POST", "/api/catalogue/institutions", json=body)

    def dutch_total() -> int | None:
        page = api(
            gateway, insurer, "GET", f"{CONTRACTING}/collections/{probe}/institutions", params={"foreign": "false"}
        )
        return int(page["total"]) if page["total"] >= 405 else None

    return int(wait_for(dutch_total, timeout=120, message="the new institutions reach contracting (R16)"))


def a_group_with_several_locations(rows: list[dict[str, Any]]) -> str:
    counts = Counter(r["group_id"] for r in rows if r["group_id"] and r["type"] in HOSPITALS)
    group_id, count = counts.most_common(1)[0]
    assert count >= 2, "the demo catalogue has hospital groups with several locations"
    return str(group_id)


def departments(gateway: str, headers: dict[str, str], collection_id: str, institution_id: str) -> list[dict[str, Any]]:
    path = f"{CONTRACTING}/collections/{collection_id}/institutions/{institution_id}/departments"
    return list(api(gateway, headers, "GET", path, params={"page_size": 500})["items"])


def test_r8_filters_group_name_type_agb_and_status_combine(
    page: Page, gateway: str, catalogue_of_400_plus: int
) -> None:
    """Guide §Hoe zoek ik instellingen (R8): Groep, Naam, Type, AGB-code, Contracteerstatus, combined; 400+ rows shown."""
    session = api_session(gateway, "menzis-inkoper")
    collection = new_collection(gateway, session)
    rows = institutions(gateway, session, collection["collection_id"], foreign="false")
    log_in(page, gateway, "menzis-inkoper")
    page.goto(f"{gateway}/contractering/{collection['collection_id']}")
    table = page.locator("table.statuses tbody tr")
    expect(table).to_have_count(len(rows))
    assert len(rows) >= 400 and len(rows) == catalogue_of_400_plus, "usable with 400+ institutions shown"
    check_screen(page, "06-bewerk-contractering")

    target = next(r for r in rows if r["type"] == "general_hospital")
    page.get_by_label("AGB-code").fill(target["agb_code"])
    page.get_by_role("button", name="Zoeken").click()
    expect(table).to_have_count(1)
    expect(table.first).to_contain_text(target["name"])

    page.get_by_label("AGB-code").fill("")
    page.get_by_label("Naam").fill(target["name"].split()[0])
    page.get_by_label("Type").select_option("general_hospital")
    page.get_by_role("button", name="Zoeken").click()
    expect(table.first).to_contain_text(target["name"].split()[0])
    for type_cell in table.locator("td:nth-child(4)").all_inner_texts():
        assert type_cell == "Algemeen ziekenhuis"
    expect(page).to_have_url(re.compile(r"naam=[^&]+&type=general_hospital"))  # the filter is in the address

    page.get_by_label("AGB-code").fill("123")
    page.get_by_role("button", name="Zoeken").click()
    expect(page.locator("#e-agb")).to_contain_text("8 cijfers")


def test_r5_r6_r7_header_row_ticks_all_shown_nothing_saved_before_opslaan_and_the_cascade_is_counted_first(
    page: Page, gateway: str
) -> None:
    """Guide §instellingsniveau (R5 header row, R6 Opslaan, R7 cascade) with a group filter (R8)."""
    session = api_session(gateway, "zk-admin")  # not CZ: test_catalogue_to_contracting closes CZ's 2026
    collection = new_collection(gateway, session)
    cid = collection["collection_id"]
    group_id = a_group_with_several_locations(institutions(gateway, session, cid, foreign="false"))
    in_group = institutions(gateway, session, cid, group_id=group_id)
    log_in(page, gateway, "zk-admin")
    page.goto(f"{gateway}/contractering/{cid}?groep={group_id}")
    rows = page.locator("table.statuses tbody tr")
    expect(rows).to_have_count(len(in_group))

    page.get_by_role("radio", name="Volledig voor alle getoonde instellingen").check()
    for i in range(len(in_group)):
        expect(rows.nth(i).get_by_role("radio").nth(3)).to_be_checked()
    expect(page.locator("#wijzigingen")).to_have_text(f"{len(in_group)} wijzigingen nog niet opgeslagen")
    check_screen(page, "07-kopregel-volledig-nog-niet-opgeslagen")
    assert {r["status"] for r in institutions(gateway, session, cid, group_id=group_id)} == {"NOT_CONTRACTED"}

    dialogs: list[str] = []

    def stay(dialog: Dialog) -> None:
        dialogs.append(dialog.type)
        dialog.dismiss()

    page.on("dialog", stay)
    page.get_by_role("link", name="<< Terug naar Contractering").click()
    expect(page).to_have_url(f"{gateway}/contractering/{cid}?groep={group_id}")
    assert dialogs == ["beforeunload"], "R6: leaving with unsaved changes asks first"
    page.remove_listener("dialog", stay)

    page.get_by_label("Pas contractering toe op alle onderliggende afdelingen en aandoeningen").check()
    page.get_by_role("button", name="Opslaan").click()
    confirm = page.locator("#melding")
    expect(confirm).to_contain_text(f"Opslaan met doorzetten wijzigt {len(in_group)} instellingen")
    expect(confirm).to_contain_text("afdelingen en")
    check_screen(page, "08-doorzetten-eerst-tellen")
    assert {r["status"] for r in institutions(gateway, session, cid, group_id=group_id)} == {"NOT_CONTRACTED"}

    page.get_by_role("button", name="Bevestig en sla op").click()
    expect(page.locator("#melding")).to_contain_text(f"Opgeslagen: {len(in_group)} instellingen")
    expect(page.locator("#wijzigingen")).to_have_text("Geen wijzigingen")
    check_screen(page, "09-opgeslagen")
    assert {r["status"] for r in institutions(gateway, session, cid, group_id=group_id)} == {"FULL"}
    first = in_group[0]["institution_id"]
    assert {d["status"] for d in departments(gateway, session, cid, first)} == {"FULL"}

    # R6 without the cascade: only the institution level changes.
    rows.first.get_by_role("radio").first.check()
    page.get_by_label("Pas contractering toe op alle onderliggende afdelingen en aandoeningen").uncheck()
    page.get_by_role("button", name="Opslaan").click()
    expect(page.locator("#melding")).to_contain_text("Opgeslagen: 1 instelling gewijzigd")
    changed = next(r for r in institutions(gateway, session, cid, group_id=group_id) if r["status"] == "NOT_CONTRACTED")
    assert {d["status"] for d in departments(gateway, session, cid, changed["institution_id"])} == {"FULL"}


def test_r6_a_colleagues_save_in_between_is_shown_and_nothing_is_overwritten(page: Page, gateway: str) -> None:
    """R6 concurrency: "een collega heeft intussen … gewijzigd; laad opnieuw", never a stack trace."""
    session = api_session(gateway, "vgz-inkoper")
    colleague = api_session(gateway, "vgz-admin")
    collection = new_collection(gateway, session)
    cid = collection["collection_id"]
    target = institutions(gateway, session, cid, foreign="false")[0]
    log_in(page, gateway, "vgz-inkoper")
    page.goto(f"{gateway}/contractering/{cid}?agb={target['agb_code']}")
    row = page.locator("table.statuses tbody tr").first
    expect(row).to_contain_text(target["name"])

    body = {
        "rows": [{"institution_id": target["institution_id"], "status": "IN_NEGOTIATION", "version": target["version"]}]
    }
    api(gateway, colleague, "PATCH", f"{CONTRACTING}/collections/{cid}/institutions", json=body)

    row.get_by_role("radio").nth(3).check()
    row.get_by_role("textbox").fill("Getekend")
    page.get_by_role("button", name="Opslaan").click()
    message = page.locator("#melding")
    expect(message).to_contain_text(f"Een collega heeft intussen 1 instelling ({target['name']}) gewijzigd")
    expect(message.get_by_role("link", name="Laad opnieuw")).to_be_visible()
    expect(row.get_by_role("radio").nth(3)).to_be_checked()  # the user's edit is still on screen
    check_screen(page, "10-collega-heeft-intussen-gewijzigd")
    after = institutions(gateway, session, cid, agb_code=target["agb_code"])[0]
    assert after["status"] == "IN_NEGOTIATION" and not after["remark"]
