"""Catalogue maintenance against the fake gateway (issue 13): groups, specialisms, conditions, an
institution's edit and merge, and the CSV export and import. Every successful save says it is on its
way to the insurers' collections (R16); every refusal names the field in Dutch."""

from __future__ import annotations

import io
import re
import uuid
from typing import Any

from portal.adapters.gateway import WsgiAdapter
from tests.api.test_administration_pages import log_in_as
from tests.conftest import GROUP, RETIRED_GROUP, FakeGateway
from tests.fake_support import CONDITION, HOSPITAL, OTHER_HOSPITAL, SPECIALISM

R16 = "onderweg naar de collecties van de verzekeraars (R16)"


def test_r16_a_group_is_added_renamed_and_an_existing_name_is_refused(portal: Any, gateway: FakeGateway) -> None:
    csrf = log_in_as(portal, gateway, "catalogue_maintainer")
    assert "Santeon" in portal.get("/beheer/groepen").get_data(as_text=True)
    portal.post("/beheer/groepen", data={"csrf": csrf, "name": "Santeon", "kind": "other"})
    assert "name: bestaat al" in portal.get("/beheer/groepen").get_data(as_text=True)
    portal.post("/beheer/groepen", data={"csrf": csrf, "name": "Noordwest", "kind": "other"})
    assert R16 in portal.get("/beheer/groepen").get_data(as_text=True)
    assert gateway.saw("POST", "/api/catalogue/groups$")[-1][2] == {"name": "Noordwest", "kind": "other"}
    portal.post(
        f"/beheer/groepen/{GROUP}", data={"csrf": csrf, "name": "Santeon Zorg", "kind": "hospital_organisation"}
    )
    assert gateway.saw("PATCH", f"/groups/{GROUP}$")[0][2] == {"name": "Santeon Zorg", "kind": "hospital_organisation"}
    assert "De groep heet nu Santeon Zorg" in portal.get("/beheer/groepen").get_data(as_text=True)


def test_r16_an_empty_group_is_retired_and_one_with_open_institutions_is_refused_in_dutch(
    portal: Any, gateway: FakeGateway
) -> None:
    csrf = log_in_as(portal, gateway, "catalogue_maintainer")
    page = portal.get("/beheer/groepen").get_data(as_text=True)
    assert gateway.saw("GET", r"/api/catalogue/groups\?include_retired=true$")
    assert f'action="/beheer/groepen/{GROUP}/vervallen"' in page  # an active group offers it
    assert '<th scope="row">Oude Groep</th>' in page and f"/beheer/groepen/{RETIRED_GROUP}/vervallen" not in page
    assert "<td>vervallen</td>" in page
    refused = portal.post(f"/beheer/groepen/{GROUP}/vervallen", data={"csrf": csrf})
    assert refused.status_code == 303
    assert "Groep Santeon heeft nog 3 open instelling(en)" in portal.get("/beheer/groepen").get_data(as_text=True)
    empty = str(uuid.uuid4())
    assert portal.post(f"/beheer/groepen/{empty}/vervallen", data={"csrf": csrf}).status_code == 303
    assert gateway.saw("POST", f"/api/catalogue/groups/{empty}/retire$")
    assert "De groep is vervallen" in portal.get("/beheer/groepen").get_data(as_text=True)


def test_r16_a_specialism_is_added_renamed_and_retired_and_a_bad_code_is_named(
    portal: Any, gateway: FakeGateway
) -> None:
    csrf = log_in_as(portal, gateway, "catalogue_maintainer")
    assert "Cardiologie" in portal.get("/beheer/specialismen").get_data(as_text=True)
    portal.post("/beheer/specialismen", data={"csrf": csrf, "code": "12", "name": "Nieuw"})
    assert "code: 4 cijfers." in portal.get("/beheer/specialismen").get_data(as_text=True)
    portal.post("/beheer/specialismen", data={"csrf": csrf, "code": "0399", "name": "Nieuw"})
    assert R16 in portal.get("/beheer/specialismen").get_data(as_text=True)
    portal.post(f"/beheer/specialismen/{SPECIALISM}", data={"csrf": csrf, "name": "Hartziekten"})
    portal.post(f"/beheer/specialismen/{SPECIALISM}/vervallen", data={"csrf": csrf})
    assert gateway.saw("PATCH", f"/specialisms/{SPECIALISM}$")[0][2] == {"name": "Hartziekten"}
    assert gateway.saw("POST", f"/specialisms/{SPECIALISM}/retire$")
    assert "verdwijnen uit elk aanbod" in portal.get("/beheer/specialismen").get_data(as_text=True)


def test_r16_a_condition_is_added_under_its_specialism_renamed_and_retired(portal: Any, gateway: FakeGateway) -> None:
    csrf = log_in_as(portal, gateway, "catalogue_maintainer")
    page = portal.get(f"/beheer/aandoeningen?specialisme={SPECIALISM}").get_data(as_text=True)
    assert "Hartfalen" in page and "Cardiologie" in page
    empty = portal.post("/beheer/aandoeningen", data={"csrf": csrf, "name": "", "specialism_id": SPECIALISM})
    assert "Kies het specialisme en vul de naam" in portal.get(empty.headers["Location"]).get_data(as_text=True)
    assert gateway.saw("POST", "/api/catalogue/conditions$") == []
    added = portal.post(
        "/beheer/aandoeningen",
        data={"csrf": csrf, "name": "Boezemfibrilleren", "specialism_id": SPECIALISM, "specialisme": SPECIALISM},
    )
    assert added.headers["Location"].endswith(f"specialisme={SPECIALISM}")
    assert R16 in portal.get(added.headers["Location"]).get_data(as_text=True)
    assert gateway.saw("POST", "/api/catalogue/conditions$")[0][2] == {
        "name": "Boezemfibrilleren",
        "specialism_id": SPECIALISM,
    }
    portal.post(f"/beheer/aandoeningen/{CONDITION}", data={"csrf": csrf, "name": "Hartfalen (chronisch)"})
    portal.post(f"/beheer/aandoeningen/{CONDITION}/vervallen", data={"csrf": csrf})
    assert gateway.saw("PATCH", f"/conditions/{CONDITION}$")[0][2] == {"name": "Hartfalen (chronisch)"}
    assert gateway.saw("POST", f"/conditions/{CONDITION}/retire$")


def test_r16_an_institution_is_edited_a_taken_agb_code_is_named_and_it_is_merged(
    portal: Any, gateway: FakeGateway
) -> None:
    csrf = log_in_as(portal, gateway, "catalogue_maintainer")
    edit = f"/beheer/instellingen/{HOSPITAL}/bewerken"
    assert "Ziekenhuis Noord bewerken" in portal.get(edit).get_data(as_text=True)
    form = {"csrf": csrf, "name": "Ziekenhuis Noord", "agb_code": "06020202", "type": "zbc", "country": "NL"}
    taken = portal.post(edit, data=form)
    assert taken.status_code == 409 and 'id="e-agb_code">bestaat al' in taken.get_data(as_text=True)
    missing = portal.post(edit, data={**form, "name": ""})
    assert missing.status_code == 422 and 'id="e-name">Vul dit veld in.' in missing.get_data(as_text=True)
    saved = portal.post(edit, data={**form, "agb_code": "06010101", "city": "Emmen"})
    assert saved.status_code == 303 and R16 in portal.get(edit).get_data(as_text=True)
    body = gateway.saw("PATCH", f"/institutions/{HOSPITAL}$")[-1][2]
    assert body["city"] == "Emmen" and body["phone"] is None
    portal.post(f"/beheer/instellingen/{HOSPITAL}/fuseren", data={"csrf": csrf, "into_agb_code": "99999999"})
    assert "geen instelling met AGB-code 99999999" in portal.get(edit).get_data(as_text=True)
    portal.post(f"/beheer/instellingen/{HOSPITAL}/fuseren", data={"csrf": csrf, "into_agb_code": "06020202"})
    assert gateway.saw("POST", "/merge$")[0][2] == {"into_institution_id": OTHER_HOSPITAL, "closed_on": None}
    assert "gefuseerd met Ziekenhuis Zuid" in portal.get(edit).get_data(as_text=True)


def test_the_catalogue_csv_is_exported_and_an_import_reports_every_wrong_line(
    portal: Any, gateway: FakeGateway
) -> None:
    csrf = log_in_as(portal, gateway, "catalogue_maintainer")
    page = portal.get("/beheer/catalogus-csv").get_data(as_text=True)
    assert 'id="uploadbalk"' in page and "data-uploadvoortgang" in page
    exported = portal.get("/beheer/catalogus-csv/export")
    assert exported.mimetype == "text/csv" and b"06010101;Ziekenhuis Noord" in exported.data
    assert "instellingen.csv" in exported.headers["Content-Disposition"]
    none = portal.post("/beheer/catalogus-csv", data={"csrf": csrf}, content_type="multipart/form-data")
    assert none.status_code == 422 and "kies een CSV-bestand" in none.get_data(as_text=True)
    bad = {"csrf": csrf, "file": (io.BytesIO(b"agb_code;name\nfout\n"), "fout.csv")}
    refused = portal.post("/beheer/catalogus-csv", data=bad, content_type="multipart/form-data")
    text = refused.get_data(as_text=True)
    assert refused.status_code == 422 and "Er is niets opgeslagen" in text
    assert "<td>3</td><td>agb_code</td><td>AGB-code moet 8 cijfers zijn.</td>" in text
    assert "<td>7</td><td>type</td>" in text
    good = {"csrf": csrf, "dry_run": "on", "file": (io.BytesIO(b"agb_code;name\n06010101;Noord\n"), "goed.csv")}
    checked = portal.post("/beheer/catalogus-csv", data=good, content_type="multipart/form-data")
    assert "Gecontroleerd, niets opgeslagen" in checked.get_data(as_text=True)
    assert gateway.saw("POST", r"/import\?dry_run=true$")
    good = {"csrf": csrf, "file": (io.BytesIO(b"agb_code;name\n06010101;Noord\n"), "goed.csv")}
    done = portal.post("/beheer/catalogus-csv", data=good, content_type="multipart/form-data").get_data(as_text=True)
    assert "2 nieuw, 1 bijgewerkt" in done and R16 in done


def test_the_import_bar_follows_the_catalogue_by_the_forms_import_id(portal: Any, gateway: FakeGateway) -> None:
    csrf = log_in_as(portal, gateway, "catalogue_maintainer")
    first = re.search(r'name="import_id" value="([^"]+)"', portal.get("/beheer/catalogus-csv").get_data(as_text=True))
    assert first is not None
    job = first.group(1)
    waiting = portal.get(f"/beheer/catalogus-csv/voortgang/{job}")  # not started yet: the bar waits
    assert waiting.status_code == 404 and waiting.json == {
        "phase": "wacht",
        "percent": 0,
        "done": 0,
        "total": 0,
        "finished": False,
    }
    good = {"csrf": csrf, "import_id": job, "file": (io.BytesIO(b"agb_code;name\n06010101;Noord\n"), "goed.csv")}
    answer = portal.post("/beheer/catalogus-csv", data=good, content_type="multipart/form-data")
    assert gateway.saw("POST", rf"/import\?dry_run=false&import_id={job}$")
    fresh = re.search(r'name="import_id" value="([^"]+)"', answer.get_data(as_text=True))
    assert fresh is not None and fresh.group(1) != job  # the next import gets an id of its own
    followed = portal.get(f"/beheer/catalogus-csv/voortgang/{job}")
    assert followed.status_code == 200
    assert followed.json == {"phase": "controleren", "percent": 18, "done": 500, "total": 2000, "finished": False}
    tampered = {"csrf": csrf, "import_id": "x';", "file": (io.BytesIO(b"agb_code;name\n06010101;Noord\n"), "g.csv")}
    assert portal.post("/beheer/catalogus-csv", data=tampered, content_type="multipart/form-data").status_code == 200
    assert gateway.saw("POST", r"/import\?dry_run=false$")  # no id: imported, without a bar to follow


def test_an_insurer_user_gets_geen_toegang_on_the_catalogue_maintenance_pages(
    portal: Any, gateway: FakeGateway
) -> None:
    log_in_as(portal, gateway, "insurer_user")
    for path in (
        "/beheer/groepen",
        "/beheer/specialismen",
        "/beheer/aandoeningen",
        "/beheer/catalogus-csv",
        f"/beheer/instellingen/{HOSPITAL}/bewerken",
        "/beheer/catalogus-csv/export",
        f"/beheer/catalogus-csv/voortgang/{uuid.uuid4()}",
    ):
        answer = portal.get(path)
        assert answer.status_code == 403 and "Geen toegang" in answer.get_data(as_text=True), path
    assert gateway.saw("GET", "/api/catalogue/institutions/export") == []


def test_the_import_waits_as_long_as_the_gateway_and_other_calls_keep_theirs(
    portal: Any, gateway: FakeGateway, monkeypatch: Any
) -> None:
    """A large file may take the catalogue longer than ``api_timeout``: the import call alone gets more."""
    csrf = log_in_as(portal, gateway, "catalogue_maintainer")
    sent: list[tuple[str, Any]] = []
    original = WsgiAdapter.send

    def send(self: Any, request: Any, **kwargs: Any) -> Any:
        sent.append((request.path_url, kwargs.get("timeout")))
        return original(self, request, **kwargs)

    monkeypatch.setattr(WsgiAdapter, "send", send)
    good = {"csrf": csrf, "file": (io.BytesIO(b"agb_code;name\n06010101;Noord\n"), "goed.csv")}
    assert portal.post("/beheer/catalogus-csv", data=good, content_type="multipart/form-data").status_code == 200
    assert [t for p, t in sent if p.startswith("/api/catalogue/institutions/import")] == [60.0]
    portal.get("/beheer/groepen")
    assert [t for p, t in sent if p.startswith("/api/catalogue/groups")] == [30.0]
