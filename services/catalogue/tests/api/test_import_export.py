"""CSV bulk import (all or nothing, per-row report) and export; export -> import round-trips."""

from __future__ import annotations

import csv
import io
import uuid

from catalogue_helpers import API, assert_error, institution_body

from catalogue.adapters.import_progress import percent
from catalogue.domain.commands import ImportInstitutions
from catalogue.service_layer import handlers
from servicekit.testing.outbox import outbox_events

HEADER = "agb_code,name,type,country,address,postcode,city,email,phone,group,opened_on,closed_on\n"


def upload(client, headers, text: str, *, multipart: bool = False, query: str = ""):  # type: ignore[no-untyped-def]
    if multipart:
        data = {"file": (io.BytesIO(text.encode("utf-8")), "instellingen.csv")}
        return client.post(
            f"{API}/institutions/import{query}", data=data, headers=headers, content_type="multipart/form-data"
        )
    return client.post(
        f"{API}/institutions/import{query}", data=text.encode("utf-8"), headers={**headers, "Content-Type": "text/csv"}
    )


def test_a_file_with_bad_rows_is_rejected_whole_with_a_report_per_row(client, maintainer, make, runtime):
    make("/groups", {"name": "Isala"})
    make("/institutions", institution_body(agb_code="22970099"))
    text = HEADER + (
        "06970001,Isala Zwolle,top_clinical_hospital,NL,,8025 AB,Zwolle,,,Isala,,\n"  # line 2: good
        "12345,Kapot,zbc,NL,,,,,,,,\n"  # line 3: bad AGB
        "22970002,Kliniek,ziekenhuis,NL,,,,,,,,\n"  # line 4: unknown type
        "22970003,Kliniek,zbc,NL,,,,,,Onbekend,,\n"  # line 5: unknown group
        "06970004,AZ Vesalius,foreign_hospital,NL,,,Tongeren,,,,,\n"  # line 6: country vs type
        "6970001,Dubbel,zbc,NL,,,,,,,,\n"  # line 7: same AGB as line 2 after normalising
        "22970005,Kliniek,zbc,NL,,,,x@,,,2020-13-01,\n"  # line 8: email and date
        "22970006,Kliniek,zbc,NL\n"  # line 9: wrong width
    )
    before = len(outbox_events(runtime.engine))
    body = assert_error(upload(client, maintainer, text), 422, text="niets ingelezen")
    report = {(row["line"], row["field"]) for row in body["errors"]["rows"]}
    assert report == {
        (3, "agb_code"),
        (4, "type"),
        (5, "group"),
        (6, "country"),
        (7, "agb_code"),
        (8, "email"),
        (8, "opened_on"),
        (9, "regel"),
    }
    assert all(row["reason"] for row in body["errors"]["rows"])
    assert client.get(f"{API}/institutions", headers=maintainer).json["total"] == 1  # nothing half-written
    assert len(outbox_events(runtime.engine)) == before


def test_header_and_encoding_problems(client, maintainer):
    assert_error(upload(client, maintainer, ""), 422, field="rows", text="leeg")
    assert_error(upload(client, maintainer, "agb,naam\n1,2\n"), 422, text="Onbekende kolom")
    assert_error(upload(client, maintainer, HEADER), 422, text="geen instellingen")
    response = client.post(
        f"{API}/institutions/import", data=b"\xff\xfe\x00", headers={**maintainer, "Content-Type": "text/csv"}
    )
    assert_error(response, 422, text="UTF-8")


def test_a_good_file_imports_and_emits_every_event_in_one_go(client, maintainer, make, runtime):
    make("/groups", {"name": "Isala"})
    text = (
        "\ufeff"
        + HEADER.replace(",", ";")
        + (
            "6970001;Isala Zwolle;top_clinical_hospital;NL;Dokter van Heesweg 2;8025ab;Zwolle;info@isala.example;038 424 5000;Isala;1998-01-01;\n"
            "22970001;Oogkliniek Zwolle;zbc;NL;;;Zwolle;;;;;2024-12-31\n"
            "06970002;AZ Vesalius;foreign_hospital;BE;;3700;Tongeren;;;;;\n"
        )
    )
    dry = upload(client, maintainer, text, multipart=True, query="?dry_run=true")
    assert dry.status_code == 200 and dry.json["created"] == 3 and dry.json["dry_run"] is True
    assert client.get(f"{API}/institutions", headers=maintainer).json["total"] == 0
    response = upload(client, maintainer, text, multipart=True)
    assert response.status_code == 200, response.json
    assert response.json == {"created": 3, "updated": 0, "closed": 1, "unchanged": 0, "events": 4, "dry_run": False}
    found = client.get(f"{API}/institutions?agb_code=06970001", headers=maintainer).json["items"][0]
    assert found["postcode"] == "8025 AB" and found["group_name"] == "Isala" and found["opened_on"] == "1998-01-01"
    types = [e.type for e in outbox_events(runtime.engine) if e.type.startswith("catalogue.institution")]
    assert sorted(types) == sorted(["catalogue.institution.registered"] * 3 + ["catalogue.institution.closed"])


def test_updates_closing_and_the_closed_rules(client, maintainer, make):
    clinic = make("/institutions", institution_body(agb_code="22970001", name="Oogkliniek"))
    text = HEADER + "22970001,Oogkliniek Zwolle,zbc,NL,,,Zwolle,,,,,\n"
    assert upload(client, maintainer, text).json["updated"] == 1
    assert client.get(f"{API}/institutions/{clinic['id']}", headers=maintainer).json["revision"] == 2
    closing = HEADER + "22970001,Oogkliniek Zwolle,zbc,NL,,,Zwolle,,,,,2025-06-30\n"
    assert upload(client, maintainer, closing).json["closed"] == 1
    reopening = upload(client, maintainer, text)
    assert_error(reopening, 422, field="rows", text="heropenen")
    assert reopening.json["errors"]["rows"][0]["line"] == 2


def test_export_then_import_round_trips_to_identical_data(client, maintainer, make, runtime):
    isala = make("/groups", {"name": "Isala"})
    make("/groups", {"name": "Treant"})
    make(
        "/institutions",
        institution_body(
            agb_code="06970001",
            name='Isala "Zwolle", hoofdlocatie',
            type="top_clinical_hospital",
            group_id=isala["id"],
            postcode="8025 AB",
            address="Dokter van Heesweg 2",
            email="info@isala.example",
            phone="038 424 5000",
            opened_on="1998-01-01",
        ),
    )
    closed = make("/institutions", institution_body(agb_code="22970001", name="Oogkliniek Zwolle"))
    client.post(f"{API}/institutions/{closed['id']}/close", json={"closed_on": "2024-12-31"}, headers=maintainer)
    make(
        "/institutions",
        institution_body(
            agb_code="06970002", name="Mönchengladbach Klinik", type="foreign_hospital", country="DE", city=None
        ),
    )
    exported = client.get(f"{API}/institutions/export", headers=maintainer)
    assert exported.status_code == 200 and exported.mimetype == "text/csv"
    original = exported.data.decode("utf-8")
    assert original.splitlines()[0] == HEADER.strip() and len(original.splitlines()) == 4

    # 1. importing the export into the same catalogue changes nothing and emits nothing
    before = len(outbox_events(runtime.engine))
    same = upload(client, maintainer, original)
    assert same.json == {"created": 0, "updated": 0, "closed": 0, "unchanged": 3, "events": 0, "dry_run": False}
    assert len(outbox_events(runtime.engine)) == before

    # 2. after edits through the API, importing the export restores the data exactly
    isala_row = client.get(f"{API}/institutions?agb_code=06970001", headers=maintainer).json["items"][0]
    client.patch(
        f"{API}/institutions/{isala_row['id']}",
        json={"name": "Anders", "phone": None, "group_id": None},
        headers=maintainer,
    )
    assert upload(client, maintainer, original).json["updated"] == 1
    assert client.get(f"{API}/institutions/export", headers=maintainer).data.decode("utf-8") == original

    # 3. into an empty catalogue (with the same groups), the export reproduces itself byte for byte
    from sqlalchemy import text as sql

    with runtime.engine.begin() as connection:
        connection.execute(sql("DELETE FROM institution"))
    created = upload(client, maintainer, original)
    assert created.json["created"] == 3 and created.json["closed"] == 1
    assert client.get(f"{API}/institutions/export", headers=maintainer).data.decode("utf-8") == original


def test_names_that_look_like_formulas_are_quoted_in_the_export_and_import_back_unchanged(
    client, maintainer, make, runtime
):  # type: ignore[no-untyped-def]
    """Issue 16.1: a value starting with = + - @ never runs as a formula in the spreadsheet that opens the export."""
    names = ['=HYPERLINK("http://evil.example")', "+31 Kliniek", "-Oogkliniek", "@Zorg", "'=al gequote"]
    for i, name in enumerate(names):
        make("/institutions", institution_body(agb_code=f"0697100{i}", name=name))
    exported = client.get(f"{API}/institutions/export", headers=maintainer).data.decode("utf-8")
    written = {row["agb_code"]: row["name"] for row in csv.DictReader(io.StringIO(exported))}
    assert [written[f"0697100{i}"] for i in range(len(names))] == ["'" + name for name in names]
    assert upload(client, maintainer, exported).json["unchanged"] == len(names)
    stored = {i["name"] for i in client.get(f"{API}/institutions", headers=maintainer).json["items"]}
    assert stored == set(names)


def test_a_retired_group_is_refused_for_an_open_line_but_kept_by_a_closed_one(client, maintainer, make):
    group = make("/groups", {"name": "Oude groep"})
    clinic = make("/institutions", institution_body(agb_code="22970011", group_id=group["id"]))
    assert (
        client.post(
            f"{API}/institutions/{clinic['id']}/close", json={"closed_on": "2025-12-31"}, headers=maintainer
        ).status_code
        == 200
    )
    assert client.post(f"{API}/groups/{group['id']}/retire", headers=maintainer).status_code == 200
    exported = client.get(f"{API}/institutions/export", headers=maintainer).get_data(as_text=True)
    assert "Oude groep" in exported and upload(client, maintainer, exported).status_code == 200  # round trip
    opened = HEADER + "22970012,Nieuwe kliniek,zbc,NL,,,,,,Oude groep,,\n"
    body = assert_error(upload(client, maintainer, opened), 422)
    assert body["errors"]["rows"] == [
        {"line": 2, "field": "group", "reason": "Groep 'Oude groep' is vervallen; kies een andere."}
    ]


def test_an_import_with_an_id_reports_its_progress_to_any_worker(client, maintainer, insurer, runtime):
    job = str(uuid.uuid4())
    text = HEADER + "22970021,Kliniek Een,zbc,NL,,,,,,,,\n"
    assert upload(client, maintainer, text, query=f"?import_id={job}").status_code == 200
    progress = client.get(f"{API}/institutions/import/progress/{job}", headers=maintainer)
    assert progress.status_code == 200
    assert progress.json == {
        "import_id": job,
        "phase": "klaar",
        "done": 0,
        "total": 0,
        "percent": 100,
        "finished": True,
    }
    assert_error(upload(client, maintainer, text, query=f"?import_id={job}"), 409, field="import_id")
    refused = str(uuid.uuid4())
    assert upload(client, maintainer, HEADER + "1,x,zbc,NL,,,,,,,,\n", query=f"?import_id={refused}").status_code == 422
    assert client.get(f"{API}/institutions/import/progress/{refused}", headers=maintainer).json["phase"] == "geweigerd"
    assert client.get(f"{API}/institutions/import/progress/{refused}", headers=insurer).status_code == 403
    assert_error(client.get(f"{API}/institutions/import/progress/{uuid.uuid4()}", headers=maintainer), 404)


def test_a_large_import_reports_rows_checked_then_rows_written(runtime):
    heard: list[tuple[str, int, int]] = []

    class Recorder:
        def report(self, phase: str, done: int, total: int) -> None:
            heard.append((phase, done, total))

    lines = "".join(f"2298{n:04d},Kliniek {n},zbc,NL,,,,,,,,\n" for n in range(1_200))
    result = handlers.import_institutions(ImportInstitutions(HEADER + lines, False), runtime.unit_of_work(), Recorder())
    assert result["created"] == 1_200
    assert heard == [
        ("controleren", 0, 1_200),
        ("controleren", 500, 1_200),
        ("controleren", 1_000, 1_200),
        ("controleren", 1_200, 1_200),
        ("opslaan", 1_000, 1_200),
        ("opslaan", 1_200, 1_200),
    ]


def test_the_bar_runs_from_reading_through_checking_and_writing_to_done() -> None:
    assert [percent(p, d, t) for p, d, t in [("lezen", 0, 0), ("controleren", 0, 10), ("controleren", 5, 10)]] == [
        0,
        5,
        32,
    ]
    assert [percent(p, d, t) for p, d, t in [("opslaan", 10, 10), ("klaar", 0, 0), ("geweigerd", 0, 0)]] == [
        95,
        100,
        100,
    ]
