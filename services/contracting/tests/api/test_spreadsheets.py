"""Spreadsheets: export all three levels to CSV/XLSX, import the same format back, all or nothing."""

from __future__ import annotations

import csv
import io

from openpyxl import load_workbook

from conftest import Api, World, rows_by
from servicekit.spreadsheets import read_table

INST = "/collections/{c}/institutions"


def export_csv(api: Api, world: World) -> list[dict[str, str]]:
    response = api.get(f"/collections/{world.collection_id}/export")
    assert response.status_code == 200 and response.mimetype == "text/csv"
    return list(csv.DictReader(io.StringIO(response.data.decode("utf-8-sig")), delimiter=";"))


def to_csv(rows: list[dict[str, str]]) -> bytes:
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=list(rows[0]), delimiter=";")
    writer.writeheader()
    writer.writerows(rows)
    return out.getvalue().encode("utf-8")


def upload(api: Api, world: World, content: bytes, name: str = "contractering.csv"):
    return api.post(
        f"/collections/{world.collection_id}/import",
        data={"file": (io.BytesIO(content), name)},
        content_type="multipart/form-data",
    )


def test_export_csv_has_all_three_levels(api_a: Api, world: World) -> None:
    rows = export_csv(api_a, world)
    levels = [r["niveau"] for r in rows]
    assert levels.count("instelling") == 4 and levels.count("afdeling") == 5 and levels.count("aandoening") == 10
    assert rows[0]["instelling"] == "Amsterdam UMC" and rows[0]["status"] == "Niet"


def test_export_xlsx_opens_in_excel_format(api_a: Api, world: World) -> None:
    response = api_a.get(f"/collections/{world.collection_id}/export", query_string={"format": "xlsx"})
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response.data)).active
    assert [c.value for c in sheet[1]][:4] == ["niveau", "instelling_id", "agb_code", "instelling"]
    assert sheet.max_row == 1 + 19


def test_import_round_trip_applies_changes_at_every_level(api_a: Api, world: World) -> None:
    rows = export_csv(api_a, world)
    for row in rows:
        if row["instelling"] == "Ziekenhuis Rivierenland":
            row["status"] = "Volledig" if row["niveau"] != "instelling" else "Gedeeltelijk"
            row["opmerking"] = "via Excel"
    response = upload(api_a, world, to_csv(rows))
    assert response.status_code == 200, response.json
    assert response.json["changed"] == {"condition": 4, "department": 2, "institution": 1}
    general = rows_by(api_a.get(INST.format(c=world.collection_id)).json, "institution_id")[world.general]
    assert (general["status"], general["remark"]) == ("PARTIAL", "via Excel")
    assert upload(api_a, world, to_csv(export_csv(api_a, world))).json["changed"] == {
        "condition": 0,
        "department": 0,
        "institution": 0,
    }


def test_import_xlsx_round_trip(api_a: Api, world: World) -> None:
    response = api_a.get(f"/collections/{world.collection_id}/export", query_string={"format": "xlsx"})
    workbook = load_workbook(io.BytesIO(response.data))
    sheet = workbook.active
    sheet.cell(row=2, column=10, value="Volledig")
    out = io.BytesIO()
    workbook.save(out)
    result = upload(api_a, world, out.getvalue(), "contractering.xlsx")
    assert result.status_code == 200, result.json
    assert result.json["changed"]["institution"] == 1


def test_import_with_errors_writes_nothing_and_reports_per_line(api_a: Api, world: World) -> None:
    rows = export_csv(api_a, world)
    for row in rows:
        row["status"] = "Volledig"
    cond = next(i for i, r in enumerate(rows) if r["niveau"] == "aandoening")
    rows[cond]["status"] = "Gedeeltelijk"  # R10
    rows[1]["status"] = "Misschien"
    rows.append(dict(rows[0], instelling_id="00000000-0000-0000-0000-000000000000"))
    response = upload(api_a, world, to_csv(rows))
    assert response.status_code == 422
    report = response.json["errors"]["details"]
    lines = {e["line"]: e for e in report["errors"]}
    assert lines[cond + 2]["message"].startswith("R10:")
    assert lines[3]["field"] == "status"
    assert len(rows) + 1 in lines
    assert {i["status"] for i in api_a.get(INST.format(c=world.collection_id)).json["items"]} == {"NOT_CONTRACTED"}


def test_import_refuses_lines_changed_since_export(api_a: Api, world: World) -> None:
    rows = export_csv(api_a, world)
    listing = rows_by(api_a.get(INST.format(c=world.collection_id)).json, "institution_id")
    api_a.patch(
        INST.format(c=world.collection_id),
        json={"rows": [{"institution_id": world.umc, "status": "FULL", "version": listing[world.umc]["version"]}]},
    )
    rows[0]["status"] = "In onderhandeling"
    response = upload(api_a, world, to_csv(rows))
    assert response.status_code == 422
    assert response.json["errors"]["details"]["errors"][0]["field"] == "versie"


def test_r11_import_refuses_department_rows_of_a_foreign_hospital(api_a: Api, world: World) -> None:
    rows = export_csv(api_a, world)
    rows.append(dict(rows[1], instelling_id=world.foreign, versie=""))
    response = upload(api_a, world, to_csv(rows))
    assert response.status_code == 422
    assert any(e["message"].startswith("R11:") for e in response.json["errors"]["details"]["errors"])


def test_import_without_a_file_or_with_garbage_is_refused(api_a: Api, world: World) -> None:
    assert api_a.post(f"/collections/{world.collection_id}/import").status_code == 422
    response = upload(api_a, world, b"dit is geen spreadsheet")
    assert response.status_code == 422 and "file" in response.json["errors"]


# Issue 16.1: what a catalogue maintainer or an insurer typed must never break an export, nor run in
# the spreadsheet that opens it; and an export must always fit through the door it came out of.
HOSTILE_NAME = "Ziekenhuis\x07 Rivierenland\x1b[31m\x0b"
FORMULA_REMARK = '=HYPERLINK("http://evil.example","klik")'


def _make_hostile(api_a: Api, world: World) -> None:
    """A maintainer's rename with control characters; an insurer's remark that looks like a formula."""
    data = dict(world.catalogue.institutions[world.general], name=HOSTILE_NAME)
    data["revision"] = world.catalogue._rev(world.general)
    assert world.catalogue.send("catalogue.institution.changed", data) == "acked"
    listing = rows_by(api_a.get(INST.format(c=world.collection_id)).json, "institution_id")
    row = {"institution_id": world.umc, "status": "FULL", "version": listing[world.umc]["version"]}
    saved = api_a.patch(INST.format(c=world.collection_id), json={"rows": [row | {"remark": "-1+1"}]})
    assert saved.status_code == 200, saved.json
    zbc = {"institution_id": world.zbc, "status": "FULL", "version": listing[world.zbc]["version"]}
    saved = api_a.patch(INST.format(c=world.collection_id), json={"rows": [zbc | {"remark": FORMULA_REMARK}]})
    assert saved.status_code == 200, saved.json


def test_control_characters_in_a_name_export_to_xlsx_and_import_back_unchanged(api_a: Api, world: World) -> None:
    _make_hostile(api_a, world)
    response = api_a.get(f"/collections/{world.collection_id}/export", query_string={"format": "xlsx"})
    assert response.status_code == 200
    assert HOSTILE_NAME in {row[3] for row in read_table(response.data, "x.xlsx")}
    result = upload(api_a, world, response.data, "contractering.xlsx")
    assert result.status_code == 200, result.json
    assert result.json["changed"] == {"condition": 0, "department": 0, "institution": 0}


def test_formulas_are_text_in_xlsx_and_quoted_in_csv(api_a: Api, world: World) -> None:
    _make_hostile(api_a, world)
    csv_text = api_a.get(f"/collections/{world.collection_id}/export").data.decode("utf-8-sig")
    rows = csv.DictReader(io.StringIO(csv_text), delimiter=";")
    remarks = {r["instelling"]: r["opmerking"] for r in rows if r["niveau"] == "instelling"}
    assert remarks["Oogkliniek Noord"] == "'" + FORMULA_REMARK and remarks["Amsterdam UMC"] == "'-1+1"
    xlsx = api_a.get(f"/collections/{world.collection_id}/export", query_string={"format": "xlsx"}).data
    sheet = load_workbook(io.BytesIO(xlsx)).active
    formula_cells = [c for row in sheet.iter_rows() for c in row if str(c.value or "").startswith(("=", "-1"))]
    assert {c.value for c in formula_cells} == {FORMULA_REMARK, "-1+1"}
    assert all(c.data_type == "s" and c.quotePrefix for c in formula_cells)
    round_trip = upload(api_a, world, csv_text.encode("utf-8"))
    assert round_trip.status_code == 200 and round_trip.json["changed"]["institution"] == 0
    listing = rows_by(api_a.get(INST.format(c=world.collection_id)).json, "institution_id")
    assert listing[world.zbc]["remark"] == FORMULA_REMARK


def test_a_file_of_demo_size_is_not_refused_for_its_size(api_a: Api, world: World) -> None:
    """A 4 MB upload reaches the import, which judges its content, instead of a 413 (the gateway allows 10 MB)."""
    big = to_csv(export_csv(api_a, world)) + b"\r\n" * (2 * 1024 * 1024)
    response = upload(api_a, world, big)
    assert response.status_code == 422 and "regels" in response.json["errors"]["file"][0]
