"""Issue 15: the consistency check of a collection, and findings marked "bewust zo" (R5-R10, R16)."""

from __future__ import annotations

from typing import Any

from sqlalchemy import update

from conftest import INSURER_B, Api, World, make_api, rows_by
from contracting.adapters.orm import condition_status, department_status, institution_status

INST, DEP, COND = institution_status, department_status, condition_status


def set_row(runtime: Any, table: Any, collection_id: str, **values: Any) -> None:
    """Seed a status row directly: ``institution_id`` (+ subject) select it, the rest are its new values."""
    keys = {k: values.pop(k) for k in ("institution_id", "specialism_id", "condition_id") if k in values}
    with runtime.engine.begin() as connection:
        where = [table.c.collection_id == collection_id, *[table.c[k] == v for k, v in keys.items()]]
        connection.execute(update(table).where(*where).values(version=table.c.version + 1, **values))


def findings(api: Api, world: World, **query: Any) -> set[tuple]:
    response = api.get(f"/collections/{world.collection_id}/consistency", query_string=query)
    assert response.status_code == 200, response.json
    for item in response.json["items"]:
        assert item["explanation"] and item["link"].startswith(f"/collections/{world.collection_id}/institutions")
    return {(i["kind"], i["institution_id"], i["subject_id"]) for i in response.json["items"]}


def test_a_consistent_collection_has_no_findings(runtime: Any, api_a: Api, world: World) -> None:
    assert findings(api_a, world) == set()
    c = world.collection_id
    set_row(runtime, INST, c, institution_id=world.umc, status="FULL")
    set_row(runtime, DEP, c, institution_id=world.umc, status="FULL")
    set_row(runtime, COND, c, institution_id=world.umc, status="FULL")
    set_row(runtime, INST, c, institution_id=world.general, status="PARTIAL")
    set_row(runtime, DEP, c, institution_id=world.general, specialism_id=world.eye, status="FULL")
    for eye_condition in (world.cataract, world.glaucoma):
        set_row(runtime, COND, c, institution_id=world.general, condition_id=eye_condition, status="FULL")
    assert findings(api_a, world) == set()


def test_contradictions_between_levels_are_found(runtime: Any, api_a: Api, world: World) -> None:
    c = world.collection_id
    set_row(runtime, INST, c, institution_id=world.umc, status="FULL")
    set_row(runtime, DEP, c, institution_id=world.umc, specialism_id=world.eye, status="FULL")
    set_row(runtime, INST, c, institution_id=world.general, status="PARTIAL")
    set_row(runtime, DEP, c, institution_id=world.general, status="FULL")
    set_row(runtime, COND, c, institution_id=world.general, status="FULL")
    set_row(runtime, DEP, c, institution_id=world.zbc, specialism_id=world.eye, status="PARTIAL")
    set_row(runtime, COND, c, institution_id=world.zbc, condition_id=world.cataract, status="FULL")
    assert findings(api_a, world) == {
        ("full_institution_department_not_contracted", world.umc, world.cardio),  # R7
        ("full_department_condition_not_contracted", world.umc, world.cataract),
        ("full_department_condition_not_contracted", world.umc, world.glaucoma),
        ("partial_institution_everything_contracted", world.general, None),
        ("not_contracted_institution_department_contracted", world.zbc, world.eye),
        ("not_contracted_institution_condition_contracted", world.zbc, world.cataract),
    }


def test_partial_with_nothing_below_and_undecided_new_rows_are_found(runtime: Any, api_a: Api, world: World) -> None:
    c = world.collection_id
    set_row(runtime, INST, c, institution_id=world.zbc, status="PARTIAL")
    set_row(runtime, INST, c, institution_id=world.umc, is_new=True)
    set_row(runtime, DEP, c, institution_id=world.general, specialism_id=world.cardio, is_new=True)
    set_row(runtime, COND, c, institution_id=world.general, condition_id=world.arrhythmia, is_new=True)
    response = api_a.get(f"/collections/{c}/consistency").json
    assert {(i["kind"], i["institution_id"], i["subject_id"]) for i in response["items"]} == {
        ("partial_institution_nothing_contracted", world.zbc, None),
        ("new_institution_undecided", world.umc, None),  # R16
        ("new_department_undecided", world.general, world.cardio),
        ("new_condition_undecided", world.general, world.arrhythmia),
    }
    [condition] = [i for i in response["items"] if i["kind"] == "new_condition_undecided"]
    assert condition["link"] == f"/collections/{c}/institutions/{world.general}/departments/{world.cardio}/conditions"
    assert "Ritmestoornis" in condition["explanation"] and "Ziekenhuis Rivierenland" in condition["explanation"]


def test_institutions_closed_since_the_last_save_are_found(api_a: Api, world: World) -> None:
    assert world.catalogue.close(world.zbc) == "acked"
    assert findings(api_a, world) == {("closed_since_last_save", world.zbc, None)}  # R16
    listing = rows_by(api_a.get(f"/collections/{world.collection_id}/institutions").json, "institution_id")
    save = {"institution_id": world.umc, "status": "IN_NEGOTIATION", "version": listing[world.umc]["version"]}
    patched = api_a.patch(f"/collections/{world.collection_id}/institutions", json={"rows": [save]})
    assert patched.status_code == 200, patched.json
    assert findings(api_a, world) == set()


def test_an_intended_finding_stays_hidden_until_its_rows_change(runtime: Any, api_a: Api, world: World) -> None:
    c = world.collection_id
    set_row(runtime, INST, c, institution_id=world.umc, status="FULL")
    set_row(runtime, DEP, c, institution_id=world.umc, specialism_id=world.eye, status="FULL")
    for eye_condition in (world.cataract, world.glaucoma):
        set_row(runtime, COND, c, institution_id=world.umc, condition_id=eye_condition, status="FULL")
    finding = ("full_institution_department_not_contracted", world.umc, world.cardio)
    assert findings(api_a, world) == {finding}
    mark = {"kind": finding[0], "institution_id": world.umc, "subject_id": world.cardio, "reason": "cardio apart"}
    no_reason = api_a.post(f"/collections/{c}/consistency/intended", json=mark | {"reason": " "})
    assert no_reason.status_code == 422 and "reason" in no_reason.json["errors"]
    marked = api_a.post(f"/collections/{c}/consistency/intended", json=mark)
    assert marked.status_code == 201, marked.json
    assert findings(api_a, world) == set()
    shown = api_a.get(f"/collections/{c}/consistency", query_string={"include_intended": "true"}).json["items"]
    assert [i["intended"]["reason"] for i in shown] == ["cardio apart"]
    path = f"/collections/{c}/institutions/{world.umc}/departments"
    row = rows_by(api_a.get(path).json, "specialism_id")[world.cardio]
    save = {"specialism_id": world.cardio, "status": "IN_NEGOTIATION", "version": row["version"]}
    assert api_a.patch(path, json={"rows": [save], "cascade": False}).status_code == 200
    assert findings(api_a, world) == {finding}


def test_marking_a_finding_that_is_not_there_is_refused(api_a: Api, world: World) -> None:
    mark = {"kind": "partial_institution_nothing_contracted", "institution_id": world.umc, "reason": "x"}
    response = api_a.post(f"/collections/{world.collection_id}/consistency/intended", json=mark)
    assert response.status_code == 404 and "kind" in response.json["errors"]


def test_tenant_isolation_of_the_consistency_check(
    runtime: Any, api_a: Api, client: Any, identity_keys: Any, world: World
) -> None:
    set_row(runtime, INST, world.collection_id, institution_id=world.zbc, status="PARTIAL")
    api_b = make_api(client, identity_keys, tenant=INSURER_B, roles=("insurer_user",), user="inkoper-b")
    mark = {"kind": "partial_institution_nothing_contracted", "institution_id": world.zbc, "reason": "van B"}
    for response in (
        api_b.get(f"/collections/{world.collection_id}/consistency"),
        api_b.post(f"/collections/{world.collection_id}/consistency/intended", json=mark),
    ):
        assert response.status_code == 404, response.json
        assert response.json["code"] == 404
    assert len(findings(api_a, world)) == 1
