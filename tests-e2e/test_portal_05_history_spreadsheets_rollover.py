"""History of a collection and a row, spreadsheet export and import with the per-line report,
the year rollover with its progress bar (R3, "De contracteerinformatie is al voor u ingevuld"),
and the Handleiding.
"""

from __future__ import annotations

from pathlib import Path

from playwright.sync_api import Page, expect
from portal_helpers import api, api_session, check_screen, institutions, log_in, new_collection

CONTRACTING = "/api/contracting"


def test_history_says_who_set_what_when_for_the_collection_and_for_one_row(page: Page, gateway: str) -> None:
    """Who set this, when: the collection's saves and one institution's row history."""
    session = api_session(gateway, "menzis-inkoper")
    collection = new_collection(gateway, session)
    cid = collection["collection_id"]
    target = institutions(gateway, session, cid, foreign="false")[0]
    body = {"rows": [{"institution_id": target["institution_id"], "status": "FULL", "version": target["version"]}]}
    api(gateway, session, "PATCH", f"{CONTRACTING}/collections/{cid}/institutions", json=body)
    log_in(page, gateway, "menzis-inkoper")
    page.goto(f"{gateway}/contractering/{cid}")
    page.get_by_role("link", name="Geschiedenis").first.click()
    saves = page.locator("table.history").first
    expect(saves).to_contain_text("menzis-inkoper")
    expect(saves).to_contain_text("Opslaan")
    rows = page.locator("table.history").nth(1)
    expect(rows).to_contain_text(target["name"])
    expect(rows).to_contain_text("Volledig")
    check_screen(page, "15-geschiedenis", full_page=True)


def test_export_csv_and_an_import_with_errors_shows_the_report_per_line(
    page: Page, gateway: str, tmp_path: Path
) -> None:
    """Spreadsheet export (CSV) and import: all lines or none, a report per line on refusal."""
    session = api_session(gateway, "vgz-inkoper")
    collection = new_collection(gateway, session)
    cid = collection["collection_id"]
    log_in(page, gateway, "vgz-inkoper")
    page.goto(f"{gateway}/contractering/{cid}")
    with page.expect_download() as download_info:
        page.get_by_role("link", name="Exporteren (CSV)").click()
    exported = tmp_path / "export.csv"
    download_info.value.save_as(exported)
    lines = exported.read_text(encoding="utf-8-sig").splitlines()
    assert lines[0].startswith("niveau;instelling_id;agb_code")
    assert len(lines) > 400
    header, first, second = lines[0], lines[1].split(";"), lines[2].split(";")
    first[9], second[9] = "Volledig", "Bestaat niet"
    broken = tmp_path / "aangepast.csv"
    broken.write_text("\n".join([header, ";".join(first), ";".join(second)]) + "\n", encoding="utf-8")

    page.get_by_role("link", name="Importeren").click()
    page.get_by_label("Bestand (CSV of Excel)").set_input_files(str(broken))
    page.get_by_role("button", name="Inlezen").click()
    expect(page.get_by_role("alert")).to_contain_text("er is niets ingelezen")
    report = page.locator("table.history")
    expect(report).to_contain_text("Bestaat niet")
    expect(report.locator("tbody tr").first.locator("td").first).to_have_text("3")
    check_screen(page, "16-import-verslag-per-regel")
    assert institutions(gateway, session, cid, agb_code=first[2])[0]["status"] == "NOT_CONTRACTED"

    fixed = tmp_path / "goed.csv"
    fixed.write_text("\n".join([header, ";".join(first)]) + "\n", encoding="utf-8")
    page.get_by_label("Bestand (CSV of Excel)").set_input_files(str(fixed))
    page.get_by_role("button", name="Inlezen").click()
    expect(page.get_by_role("status").last).to_contain_text("Ingelezen: 1 regel")
    assert institutions(gateway, session, cid, agb_code=first[2])[0]["status"] == "FULL"


def test_r3_the_rollover_shows_its_progress_and_the_next_year_is_pre_filled(page: Page, gateway: str) -> None:
    """Guide §Welke contractering staat er ingeregeld (R3): an insurer admin starts 2027 from 2026, with a progress bar."""
    log_in(page, gateway, "vgz-inkoper")
    expect(page.get_by_role("link", name="Jaarovergang")).to_have_count(0)  # admins only
    assert page.goto(f"{gateway}/jaarovergang").status == 403
    expect(page.get_by_role("heading", level=1)).to_have_text("Geen toegang")

    page.get_by_role("button", name="Uitloggen").click()
    log_in(page, gateway, "vgz-admin")
    page.get_by_role("link", name="Jaarovergang").click()
    page.get_by_role("button", name="Start jaarovergang 2026 → 2027").click()
    progress = page.get_by_role("progressbar")
    expect(progress).to_be_visible()
    expect(page.locator("#voortgang")).to_contain_text("Klaar", timeout=240_000)
    expect(progress).to_have_attribute("value", "100.0")
    check_screen(page, "17-jaarovergang")

    page.get_by_role("button", name="Uitloggen").click()
    log_in(page, gateway, "vgz-inkoper", year=2027)
    expect(page.get_by_role("heading", level=1)).to_have_text("Contractering 2027")
    basis = page.locator("table.overview tr", has_text="Basis 2026")
    expect(basis.locator("td.num").nth(3)).not_to_have_text("0")  # Volledig carried over


def test_handleiding_is_the_guide_in_the_portals_own_words(page: Page, gateway: str) -> None:
    """Handleiding (rechtsboven): every section of the guide, reachable before and after logging in."""
    page.goto(f"{gateway}/handleiding")
    for heading in (
        "Inloggen en uitloggen",
        "Contracteren per instelling",
        "Buitenlandse ziekenhuizen",
        "De jaarovergang",
    ):
        expect(page.get_by_role("heading", name=heading)).to_be_visible()
    check_screen(page, "18-handleiding")
