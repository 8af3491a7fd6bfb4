"""Issue 15: copy a collection (R4, R3) and compare collections (and a year with its predecessor)."""

from __future__ import annotations

import csv
import dataclasses
import io
import threading
import uuid
from typing import Any

import pytest
from sqlalchemy import delete, select, update

from conftest import INSURER_A, INSURER_B, Api, World, make_api, rows_by
from contracting.adapters.orm import condition_status, department_status, institution_status
from servicekit.messaging.envelope import Envelope
from servicekit.testing.inbound import Feeder
from servicekit.testing.servers import wait_for

INST = "/collections/{c}/institutions"
TABLES = ((institution_status, None), (department_status, "specialism_id"), (condition_status, "condition_id"))


def rows_of(runtime: Any, collection_id: str) -> set[tuple]:
    """Every status row of a collection without its collection id: (level, institution, subject, status, remark)."""
    out: set[tuple] = set()
    with runtime.engine.connect() as connection:
        for table, key in TABLES:
            subject = table.c[key] if key else table.c.institution_id
            for r in connection.execute(
                select(table.c.institution_id, subject, table.c.status, table.c.remark, table.c.is_new).where(
                    table.c.collection_id == collection_id
                )
            ):
                out.add((table.name, *map(str, r)))
    return out


def seed_decisions(api_a: Api, world: World) -> None:
    """Statuses and remarks at all three levels of the world's collection."""
    listing = rows_by(api_a.get(INST.format(c=world.collection_id)).json, "institution_id")
    rows = [{"institution_id": world.umc, "status": "FULL", "version": listing[world.umc]["version"], "remark": "r1"}]
    assert api_a.patch(INST.format(c=world.collection_id), json={"rows": rows, "cascade": True}).status_code == 200
    path = f"/collections/{world.collection_id}/institutions/{world.general}/departments"
    deps = rows_by(api_a.get(path).json, "specialism_id")
    dep = {"specialism_id": world.eye, "status": "FULL", "version": deps[world.eye]["version"], "remark": "oog"}
    assert api_a.patch(path, json={"rows": [dep], "cascade": True}).status_code == 200


def copy(api: Api, collection_id: str, name: str = "Kopie", **extra: Any) -> Any:
    return api.post(f"/collections/{collection_id}/copy", json={"name": name, "collection_type": "selective", **extra})


def test_r4_copy_equals_its_source_at_three_levels_with_remarks_and_leaves_it_untouched(
    runtime: Any, api_a: Api, world: World
) -> None:
    seed_decisions(api_a, world)
    source_before = rows_of(runtime, world.collection_id)
    response = copy(api_a, world.collection_id, with_remarks=True, description="Selectief 2026")
    assert response.status_code == 201, response.json
    body = response.json
    assert (body["name"], body["collection_type"], body["description"]) == ("Kopie", "selective", "Selectief 2026")
    assert body["copied"] == {"institution": 4, "department": 5, "condition": 10}
    assert rows_of(runtime, body["collection_id"]) == source_before
    assert rows_of(runtime, world.collection_id) == source_before
    assert any(r[4] == "r1" for r in source_before)  # the seeded remarks did travel


def test_r4_copy_without_remarks_copies_statuses_only(runtime: Any, api_a: Api, world: World) -> None:
    seed_decisions(api_a, world)
    response = copy(api_a, world.collection_id)
    assert response.status_code == 201, response.json
    without_remarks = {(*r[:4], "None", *r[5:]) for r in rows_of(runtime, world.collection_id)}
    assert rows_of(runtime, response.json["collection_id"]) == without_remarks


def test_r4_copy_is_in_the_history_as_one_change(api_a: Api, world: World) -> None:
    new_id = copy(api_a, world.collection_id).json["collection_id"]
    [change] = api_a.get(f"/collections/{new_id}/changes").json["items"]
    assert change["kind"] == "copy" and change["count"] == 19 and change["changed_by"] == "inkoper-a"
    assert change["scope"]["description"] == "gekopieerd uit 'Basis 2026'"
    assert change["scope"]["from_collection_id"] == world.collection_id


def test_r4_copy_refuses_a_taken_name_and_bad_input(api_a: Api, world: World) -> None:
    taken = copy(api_a, world.collection_id, name="basis 2026")
    assert taken.status_code == 409 and "name" in taken.json["errors"]
    bad = api_a.post(f"/collections/{world.collection_id}/copy", json={"name": "X", "collection_type": "gold"})
    assert bad.status_code == 422 and "collection_type" in str(bad.json["errors"])
    assert len(api_a.get("/collections").json) == 1


def test_r3_copy_into_a_closed_year_is_refused(api_a: Api, admin_a: Api, world: World) -> None:
    assert admin_a.post("/years/2026/close").status_code == 200
    response = copy(api_a, world.collection_id)
    assert response.status_code == 409 and "gesloten" in response.json["message"]
    assert len(api_a.get("/collections").json) == 1


def set_status(runtime: Any, table: Any, collection_id: str, status: str, **keys: str) -> None:
    with runtime.engine.begin() as connection:
        where = [table.c.collection_id == collection_id, *[table.c[k] == v for k, v in keys.items()]]
        connection.execute(update(table).where(*where).values(status=status, changed_by="tester"))


def seeded_differences(runtime: Any, api_a: Api, world: World) -> str:
    other = copy(api_a, world.collection_id, name="Variant").json["collection_id"]
    set_status(runtime, institution_status, other, "IN_NEGOTIATION", institution_id=world.general)
    set_status(runtime, department_status, other, "PARTIAL", institution_id=world.umc, specialism_id=world.eye)
    set_status(runtime, condition_status, other, "FULL", institution_id=world.zbc, condition_id=world.glaucoma)
    set_status(runtime, condition_status, other, "FULL", institution_id=world.umc, condition_id=world.cataract)
    return other


def compared(api: Api, collection_id: str, other: str) -> dict[str, Any]:
    response = api.get(f"/collections/{collection_id}/compare", query_string={"other_collection_id": other})
    assert response.status_code == 200, response.json
    return dict(response.json["levels"])


def differences_found(levels: dict[str, Any]) -> set[tuple]:
    """(level, institution, subject, status, other status) of every difference."""
    return {
        (level, i["institution_id"], i["subject_id"], i["status"], i["other_status"])
        for level, answer in levels.items()
        for i in answer["items"]
    }


def test_compare_answers_exactly_the_seeded_differences_at_every_level(runtime: Any, api_a: Api, world: World) -> None:
    other = seeded_differences(runtime, api_a, world)
    levels = compared(api_a, world.collection_id, other)
    found = differences_found(levels)
    assert found == {
        ("institution", world.general, None, "NOT_CONTRACTED", "IN_NEGOTIATION"),
        ("department", world.umc, world.eye, "NOT_CONTRACTED", "PARTIAL"),
        ("condition", world.zbc, world.glaucoma, "NOT_CONTRACTED", "FULL"),
        ("condition", world.umc, world.cataract, "NOT_CONTRACTED", "FULL"),
    }
    assert levels["condition"]["counts"] == [{"status": "NOT_CONTRACTED", "other_status": "FULL", "count": 2}]
    assert levels["institution"]["items"][0]["other_changed_by"] == "tester"


def drop_rows(runtime: Any, table: Any, collection_id: str, **keys: str) -> None:
    with runtime.engine.begin() as connection:
        connection.execute(
            delete(table).where(table.c.collection_id == collection_id, *[table.c[k] == v for k, v in keys.items()])
        )


def test_compare_lists_rows_present_in_only_one_collection_at_every_level(
    runtime: Any, api_a: Api, world: World
) -> None:
    other = seeded_differences(runtime, api_a, world)
    # only in this collection: the foreign hospital (institution level only, R11), a department, a condition
    drop_rows(runtime, institution_status, other, institution_id=world.foreign)
    drop_rows(runtime, department_status, other, institution_id=world.general, specialism_id=world.cardio)
    drop_rows(runtime, condition_status, other, institution_id=world.general, condition_id=world.arrhythmia)
    # only in the other collection: a condition this one has no row for
    drop_rows(runtime, condition_status, world.collection_id, institution_id=world.zbc, condition_id=world.cataract)
    levels = compared(api_a, world.collection_id, other)
    found = differences_found(levels)
    assert found == {
        ("institution", world.general, None, "NOT_CONTRACTED", "IN_NEGOTIATION"),
        ("institution", world.foreign, None, "NOT_CONTRACTED", None),
        ("department", world.umc, world.eye, "NOT_CONTRACTED", "PARTIAL"),
        ("department", world.general, world.cardio, "NOT_CONTRACTED", None),
        ("condition", world.zbc, world.glaucoma, "NOT_CONTRACTED", "FULL"),
        ("condition", world.umc, world.cataract, "NOT_CONTRACTED", "FULL"),
        ("condition", world.general, world.arrhythmia, "NOT_CONTRACTED", None),
        ("condition", world.zbc, world.cataract, None, "NOT_CONTRACTED"),
    }
    one_sided = next(i for i in levels["condition"]["items"] if i["status"] is None)
    assert (one_sided["subject_name"], one_sided["changed_by"]) == ("Staar", None)
    assert {"status": "NOT_CONTRACTED", "other_status": None, "count": 1} in levels["department"]["counts"]
    names = [i["institution_name"] for i in levels["institution"]["items"]]
    assert names == sorted(names)  # one-sided rows are sorted in with the others
    export = api_a.get(
        f"/collections/{world.collection_id}/compare/export", query_string={"other_collection_id": other}
    )
    lines = list(csv.reader(io.StringIO(export.get_data(as_text=True).lstrip("\ufeff")), delimiter=";"))
    assert ["condition", world.zbc] in [line[:2] for line in lines]
    assert any(
        line[:2] == ["institution", world.foreign] and line[6:8] == ["NOT_CONTRACTED", "geen rij"] for line in lines
    )
    mirrored = api_a.get(f"/collections/{other}/compare", query_string={"other_collection_id": world.collection_id})
    assert sum(len(lv["items"]) for lv in mirrored.json["levels"].values()) == len(found)


def test_compare_filters_as_the_listings(runtime: Any, api_a: Api, world: World) -> None:
    other = seeded_differences(runtime, api_a, world)
    url = f"/collections/{world.collection_id}/compare"
    by_type = api_a.get(url, query_string={"other_collection_id": other, "type": "zbc"}).json["levels"]
    assert [i["institution_id"] for lv in by_type.values() for i in lv["items"]] == [world.zbc]
    by_agb = api_a.get(url, query_string={"other_collection_id": other, "agb_code": "06010001", "level": "condition"})
    assert [i["subject_id"] for i in by_agb.json["levels"]["condition"]["items"]] == [world.cataract]
    by_spec = api_a.get(url, query_string={"other_collection_id": other, "specialism_id": world.cardio}).json
    assert by_spec["levels"]["department"]["items"] == [] and by_spec["levels"]["condition"]["items"] == []


def test_compare_exports_the_differences_as_csv_and_xlsx(runtime: Any, api_a: Api, world: World) -> None:
    other = seeded_differences(runtime, api_a, world)
    url = f"/collections/{world.collection_id}/compare/export"
    response = api_a.get(url, query_string={"other_collection_id": other})
    assert response.status_code == 200 and response.mimetype == "text/csv"
    lines = list(csv.reader(io.StringIO(response.get_data(as_text=True).lstrip("\ufeff")), delimiter=";"))
    assert lines[0][:2] == ["niveau", "instelling_id"] and len(lines) == 5
    assert ["institution", world.general] == lines[1][:2] and lines[1][6:8] == ["NOT_CONTRACTED", "IN_NEGOTIATION"]
    xlsx = api_a.get(url, query_string={"other_collection_id": other, "format": "xlsx"})
    assert xlsx.status_code == 200 and xlsx.data[:2] == b"PK"


@pytest.mark.usefixtures("rollover_worker")
def test_compare_a_year_with_its_rollover_predecessor(
    runtime: Any, client: Any, identity_keys: Any, api_a: Api, admin_a: Api, world: World
) -> None:
    no_predecessor = api_a.get(f"/collections/{world.collection_id}/compare")
    assert no_predecessor.status_code == 404 and "voorganger" in no_predecessor.json["message"]
    job = admin_a.post("/rollovers", json={"from_year": 2026}).json
    wait_for(lambda: admin_a.get(f"/rollovers/{job['job_id']}").json["state"] == "done", message="rollover")
    api_2027 = make_api(client, identity_keys, tenant=INSURER_A, roles=("insurer_user",), year=2027)
    [next_year] = api_2027.get("/collections").json
    set_status(runtime, department_status, next_year["collection_id"], "FULL", institution_id=world.zbc)
    response = api_2027.get(f"/collections/{next_year['collection_id']}/compare")
    assert response.status_code == 200, response.json
    assert response.json["other_collection"] == {
        "collection_id": world.collection_id,
        "name": "Basis 2026",
        "contract_year": 2026,
    }
    levels = response.json["levels"]
    assert [(i["institution_id"], i["subject_id"]) for i in levels["department"]["items"]] == [(world.zbc, world.eye)]
    assert levels["institution"]["items"] == [] and levels["condition"]["items"] == []


def test_tenant_isolation_of_copy_and_compare(api_a: Api, client: Any, identity_keys: Any, world: World) -> None:
    api_b = make_api(client, identity_keys, tenant=INSURER_B, roles=("insurer_user",), user="inkoper-b")
    mine = api_b.post("/collections", json={"name": "Eigen", "collection_type": "basic"}).json["collection_id"]
    c = world.collection_id
    for response in (
        copy(api_b, c),
        api_b.get(f"/collections/{c}/compare", query_string={"other_collection_id": mine}),
        api_b.get(f"/collections/{mine}/compare", query_string={"other_collection_id": c}),
        api_b.get(f"/collections/{c}/compare/export", query_string={"other_collection_id": mine}),
        api_b.get(f"/collections/{mine}/compare/export", query_string={"other_collection_id": c}),
    ):
        assert response.status_code == 404, response.json
        assert response.json["code"] == 404
    assert len(api_a.get("/collections").json) == 1


def link_product(feeder: Feeder, collection_id: str, year: int) -> str:
    product = str(uuid.uuid4())
    data = {"product_id": product, "collection_id": collection_id, "insurer_id": INSURER_A, "contract_year": year}
    linked = Envelope.new(type="products.collection.linked", data=data, producer="products")
    assert feeder.deliver(linked) == ["acked"]
    return product


@pytest.mark.usefixtures("rollover_worker")
def test_a_products_differences_against_last_year(
    runtime: Any, client: Any, identity_keys: Any, feeder: Feeder, admin_a: Api, world: World
) -> None:
    job = admin_a.post("/rollovers", json={"from_year": 2026}).json
    wait_for(lambda: admin_a.get(f"/rollovers/{job['job_id']}").json["state"] == "done", message="rollover")
    api_2027 = make_api(client, identity_keys, tenant=INSURER_A, roles=("insurer_user",), year=2027)
    [next_year] = api_2027.get("/collections").json
    product = link_product(feeder, next_year["collection_id"], 2027)
    set_status(runtime, institution_status, next_year["collection_id"], "FULL", institution_id=world.umc)
    drop_rows(runtime, condition_status, next_year["collection_id"], institution_id=world.zbc)
    response = api_2027.get(f"/products/{product}/compare")
    assert response.status_code == 200, response.json
    body = response.json
    assert body["product_id"] == product
    assert body["collection"]["collection_id"] == next_year["collection_id"]
    assert body["other_collection"]["collection_id"] == world.collection_id
    assert differences_found(body["levels"]) == {
        ("institution", world.umc, None, "FULL", "NOT_CONTRACTED"),
        ("condition", world.zbc, world.cataract, None, "NOT_CONTRACTED"),
        ("condition", world.zbc, world.glaucoma, None, "NOT_CONTRACTED"),
    }
    filtered = api_2027.get(f"/products/{product}/compare", query_string={"level": "institution"}).json
    assert list(filtered["levels"]) == ["institution"]
    export = api_2027.get(f"/products/{product}/compare/export", query_string={"format": "csv"})
    assert export.status_code == 200 and len(export.get_data(as_text=True).strip().splitlines()) == 4


def test_product_compare_is_not_found_without_a_link_a_predecessor_or_for_another_insurer(
    client: Any, identity_keys: Any, feeder: Feeder, api_a: Api, world: World
) -> None:
    unknown = api_a.get(f"/products/{uuid.uuid4()}/compare")
    assert unknown.status_code == 404 and "niet gekoppeld" in unknown.json["message"]
    product = link_product(feeder, world.collection_id, 2026)
    no_predecessor = api_a.get(f"/products/{product}/compare")
    assert no_predecessor.status_code == 404 and "voorganger" in no_predecessor.json["message"]
    api_b = make_api(client, identity_keys, tenant=INSURER_B, roles=("insurer_user",), user="inkoper-b")
    for path in (f"/products/{product}/compare", f"/products/{product}/compare/export"):
        response = api_b.get(path)
        assert response.status_code == 404 and "niet gekoppeld" in response.json["message"], response.json


@pytest.fixture
def copy_jobs_above_ten_rows(runtime: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(runtime, "settings", dataclasses.replace(runtime.settings, copy_job_rows=10))


@pytest.mark.usefixtures("copy_jobs_above_ten_rows")
@pytest.mark.no_rollover_worker
def test_a_large_copy_runs_as_a_job_with_progress_and_a_second_start_answers_with_it(
    runtime: Any, api_a: Api, world: World
) -> None:
    seed_decisions(api_a, world)
    source_before = rows_of(runtime, world.collection_id)
    first = copy(api_a, world.collection_id, name="Groot", with_remarks=True)
    assert first.status_code == 202, first.json
    job = first.json
    assert (job["kind"], job["state"], job["source_collection_id"]) == ("copy", "queued", world.collection_id)
    again = copy(api_a, world.collection_id, name="Groot")
    assert again.status_code == 202 and again.json["job_id"] == job["job_id"]
    assert [c["name"] for c in api_a.get("/collections").json] == ["Basis 2026"]  # nothing yet: the worker copies
    stop = threading.Event()
    worker = threading.Thread(target=runtime.run_rollovers, args=(stop, 0.05))
    worker.start()
    try:
        url = f"/collections/{world.collection_id}/copy/{job['job_id']}"
        wait_for(lambda: api_a.get(url).json["state"] == "done", message="copy job")
    finally:
        stop.set()
        worker.join(timeout=30)
    done = api_a.get(url).json
    assert (done["rows_total"], done["rows_done"], done["percent"]) == (19, 19, 100)
    assert rows_of(runtime, done["collection_id"]) == source_before == rows_of(runtime, world.collection_id)
    [change] = api_a.get(f"/collections/{done['collection_id']}/changes").json["items"]
    assert change["scope"]["description"] == "gekopieerd uit 'Basis 2026'" and change["count"] == 19
    assert copy(api_a, world.collection_id, name="Groot").status_code == 409  # done: the name is taken now


@pytest.mark.usefixtures("copy_jobs_above_ten_rows")
@pytest.mark.no_rollover_worker
def test_copy_jobs_are_not_found_for_another_insurer_or_under_another_collection(
    client: Any, identity_keys: Any, api_a: Api, world: World
) -> None:
    job = copy(api_a, world.collection_id, name="Groot").json
    api_b = make_api(client, identity_keys, tenant=INSURER_B, roles=("insurer_user",), user="inkoper-b")
    mine = api_b.post("/collections", json={"name": "Eigen", "collection_type": "basic"}).json["collection_id"]
    for response in (
        copy(api_b, world.collection_id, name="Groot"),
        api_b.get(f"/collections/{world.collection_id}/copy/{job['job_id']}"),
        api_b.get(f"/collections/{mine}/copy/{job['job_id']}"),
        api_a.get(f"/collections/{world.collection_id}/copy/{uuid.uuid4()}"),
    ):
        assert response.status_code == 404, response.json
    other_name = copy(api_a, world.collection_id, name="Klein")  # one copy job per source at a time
    assert other_name.status_code == 202 and other_name.json["job_id"] == job["job_id"]
    assert api_a.get(f"/rollovers/{job['job_id']}").status_code in (403, 404)  # a copy job is no rollover
