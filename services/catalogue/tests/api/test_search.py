"""R8 search: filters combine, pagination with a total, sorting, bad arguments."""

from __future__ import annotations

import pytest
from catalogue_helpers import API, assert_error, institution_body


@pytest.fixture
def catalogue(client, maintainer, make):  # type: ignore[no-untyped-def]
    isala = make("/groups", {"name": "Isala"})
    rows = [
        ("06970001", "Isala Zwolle", "top_clinical_hospital", "NL", "Zwolle", isala["id"]),
        ("06970002", "Isala Meppel", "general_hospital", "NL", "Meppel", isala["id"]),
        ("22970001", "Oogkliniek Zwolle", "zbc", "NL", "Zwolle", None),
        ("22970002", "Oogkliniek Breda", "zbc", "NL", "Breda", None),
        ("22970003", "Huidkliniek Amsterdam 100%_", "zbc", "NL", "Amsterdam", None),
        ("06970003", "AZ Vesalius", "foreign_hospital", "BE", "Tongeren", None),
    ]
    ids = {}
    for agb, name, kind, country, city, group in rows:
        ids[name] = make(
            "/institutions",
            institution_body(agb_code=agb, name=name, type=kind, country=country, city=city, group_id=group),
        )["id"]
    client.post(f"{API}/institutions/{ids['Oogkliniek Breda']}/close", json={}, headers=maintainer)
    return {"isala": isala["id"], **ids}


def names(client, headers, query: str) -> list[str]:  # type: ignore[no-untyped-def]
    response = client.get(f"{API}/institutions?{query}", headers=headers)
    assert response.status_code == 200, response.json
    return [item["name"] for item in response.json["items"]]


def test_filters_combine(client, insurer, catalogue):
    assert names(client, insurer, f"group_id={catalogue['isala']}") == ["Isala Meppel", "Isala Zwolle"]
    assert names(client, insurer, "name=OOGKLINIEK") == ["Oogkliniek Breda", "Oogkliniek Zwolle"]
    assert names(client, insurer, "name=kliniek&status=open") == ["Huidkliniek Amsterdam 100%_", "Oogkliniek Zwolle"]
    assert names(client, insurer, "status=closed") == ["Oogkliniek Breda"]
    assert names(client, insurer, "type=zbc&type=general_hospital&name=e") == [
        "Huidkliniek Amsterdam 100%_",
        "Isala Meppel",
        "Oogkliniek Breda",
        "Oogkliniek Zwolle",
    ]
    assert names(client, insurer, "country=BE") == ["AZ Vesalius"]
    assert names(client, insurer, "agb_code=6970001") == ["Isala Zwolle"]  # whole code, zero restored
    assert names(client, insurer, "agb_code=0697000") == []  # part of a code is not a match
    assert names(client, insurer, "name=100%25_") == ["Huidkliniek Amsterdam 100%_"]  # LIKE wildcards are literal
    assert names(client, insurer, "name=%25") == ["Huidkliniek Amsterdam 100%_"]


def test_pagination_and_sorting(client, insurer, catalogue):
    page = client.get(f"{API}/institutions?page_size=2&page=2&sort=agb_code", headers=insurer).json
    assert page["total"] == 6 and page["page"] == 2 and page["page_size"] == 2
    assert [i["agb_code"] for i in page["items"]] == ["06970003", "22970001"]
    assert names(client, insurer, "sort=-city&type=zbc") == [
        "Oogkliniek Zwolle",
        "Oogkliniek Breda",
        "Huidkliniek Amsterdam 100%_",
    ]
    beyond = client.get(f"{API}/institutions?page=9", headers=insurer).json
    assert beyond["items"] == [] and beyond["total"] == 6


def test_bad_search_arguments(client, insurer, catalogue):
    for query, field in (
        ("page_size=201", "page_size"),
        ("page=0", "page"),
        ("sort=postcode", "sort"),
        ("type=hospital", "type"),
        ("country=FR", "country"),
        ("status=dicht", "status"),
        ("group_id=isala", "group_id"),
        ("agb_code=12", "agb_code"),
    ):
        assert_error(client.get(f"{API}/institutions?{query}", headers=insurer), 422, field=field)


@pytest.fixture
def accented(make):  # type: ignore[no-untyped-def]
    rows = [
        ("06971001", "Máxima Medisch Centrum", "general_hospital", "NL", "Veldhoven"),
        ("06971002", "Máxima MC Eindhoven", "general_hospital", "NL", "Eindhoven"),
        ("06971003", "Universitätsklinikum Münster", "foreign_hospital", "DE", "Münster"),
        ("06971004", "Maxis Kliniek", "zbc", "NL", "Ede"),
    ]
    for agb, name, kind, country, city in rows:
        make("/institutions", institution_body(agb_code=agb, name=name, type=kind, country=country, city=city))


def test_r8_name_search_ignores_accents_and_case(client, insurer, accented):
    """Issue 16 item 8: Dutch users type without accents ("Maxima" finds "Máxima", "Munster" "Münster")."""
    assert names(client, insurer, "name=Maxima") == ["Máxima MC Eindhoven", "Máxima Medisch Centrum"]
    assert names(client, insurer, "name=MAXIMA%20MC") == ["Máxima MC Eindhoven"]
    assert names(client, insurer, "name=m%C3%A1xima") == ["Máxima MC Eindhoven", "Máxima Medisch Centrum"]
    assert names(client, insurer, "name=Munster") == ["Universitätsklinikum Münster"]
    assert names(client, insurer, "name=universitatsklinikum&country=DE") == ["Universitätsklinikum Münster"]
    assert set(names(client, insurer, "name=maxi")) == {
        "Máxima MC Eindhoven",
        "Máxima Medisch Centrum",
        "Maxis Kliniek",
    }


def test_r8_name_search_is_served_by_the_trigram_index_on_postgres(runtime):
    """The folded-name expression of the query is the one migration 0003 indexed (planner may use it)."""
    from sqlalchemy import select, text

    from catalogue.adapters.orm import institution
    from catalogue.queries import InstitutionSearch

    query = select(institution.c.id).where(*InstitutionSearch(name="Maxima").where())
    with runtime.engine.begin() as connection:
        connection.execute(text("SET LOCAL enable_seqscan = off"))
        compiled = query.compile(dialect=connection.dialect)
        plan = "\n".join(connection.exec_driver_sql("EXPLAIN " + str(compiled), compiled.params).scalars())
    assert "ix_institution_name_folded_trgm" in plan, plan
