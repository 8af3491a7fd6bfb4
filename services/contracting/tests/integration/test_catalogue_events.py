"""R16 through the kit's inbox consumer on PostgreSQL: catalogue changes reach every open year's collections."""

from __future__ import annotations

import uuid

import pytest
from sqlalchemy import func, select

from conftest import INSURER_A, Api, Catalogue, Feeder, World, rows_by
from contracting.adapters.orm import (
    condition_status,
    department_status,
    inbox_message,
    institution,
    institution_group,
    institution_status,
)
from servicekit.messaging.envelope import Envelope

INST = "/collections/{c}/institutions"
C = "/collections/{c}/institutions/{i}/departments/{s}/conditions"


def test_r16_new_institution_appears_in_open_collections_not_contracted_and_marked_new(
    api_a: Api, world: World
) -> None:
    new = world.catalogue.institution(
        "Nieuwe Kliniek", type="zbc", specialisms=(world.eye,), conditions=(world.cataract,)
    )
    listing = api_a.get(INST.format(c=world.collection_id), query_string={"is_new": True}).json
    assert [i["institution_id"] for i in listing["items"]] == [new]
    assert listing["items"][0]["status"] == "NOT_CONTRACTED"
    deps = api_a.get(f"/collections/{world.collection_id}/institutions/{new}/departments").json["items"]
    assert [(d["name"], d["status"], d["is_new"]) for d in deps] == [("Oogheelkunde", "NOT_CONTRACTED", True)]


def test_r16_new_condition_in_offering_is_full_where_its_department_is_full(api_a: Api, world: World) -> None:
    listing = rows_by(api_a.get(INST.format(c=world.collection_id)).json, "institution_id")
    api_a.patch(
        INST.format(c=world.collection_id),
        json={
            "rows": [{"institution_id": world.umc, "status": "FULL", "version": listing[world.umc]["version"]}],
            "cascade": True,
        },
    )
    cat = world.catalogue
    lens = cat.condition(world.eye, "Lensvervanging")
    assert (
        cat.offering(
            world.umc,
            (world.cardio, world.eye),
            (world.heart_failure, world.arrhythmia, world.cataract, world.glaucoma, lens),
        )
        == "acked"
    )
    assert (
        cat.offering(
            world.general,
            (world.cardio, world.eye),
            (world.heart_failure, world.arrhythmia, world.cataract, world.glaucoma, lens),
        )
        == "acked"
    )
    umc_eye = rows_by(api_a.get(C.format(c=world.collection_id, i=world.umc, s=world.eye)).json, "condition_id")
    general_eye = rows_by(api_a.get(C.format(c=world.collection_id, i=world.general, s=world.eye)).json, "condition_id")
    assert (umc_eye[lens]["status"], umc_eye[lens]["is_new"]) == ("FULL", True)
    assert (general_eye[lens]["status"], general_eye[lens]["is_new"]) == ("NOT_CONTRACTED", True)
    filtered = api_a.get(C.format(c=world.collection_id, i=world.umc, s=world.eye), query_string={"is_new": True}).json
    assert [c["name"] for c in filtered["items"]] == ["Lensvervanging"]


def test_r16_offering_without_a_department_removes_it_from_open_years(api_a: Api, world: World) -> None:
    assert world.catalogue.offering(world.general, (world.eye,), (world.cataract, world.glaucoma)) == "acked"
    deps = api_a.get(f"/collections/{world.collection_id}/institutions/{world.general}/departments").json["items"]
    assert [d["name"] for d in deps] == ["Oogheelkunde"]


@pytest.mark.usefixtures("rollover_worker")
def test_r16_closed_institution_leaves_the_open_year_and_stays_in_a_closed_year(
    api_a: Api, admin_a: Api, world: World, client, identity_keys
) -> None:
    from conftest import INSURER_A, make_api

    job = admin_a.post("/rollovers", json={"from_year": 2026}).json
    from servicekit.testing.servers import wait_for

    wait_for(lambda: admin_a.get(f"/rollovers/{job['job_id']}").json["state"] == "done", message="rollover")
    assert admin_a.post("/years/2026/close").status_code == 200
    assert world.catalogue.close(world.zbc) == "acked"
    api_2027 = make_api(client, identity_keys, tenant=INSURER_A, roles=("insurer_user",), year=2027)
    [collection_2027] = api_2027.get("/collections").json
    names_2027 = {i["name"] for i in api_2027.get(INST.format(c=collection_2027["collection_id"])).json["items"]}
    names_2026 = {i["name"] for i in api_a.get(INST.format(c=world.collection_id)).json["items"]}
    assert "Oogkliniek Noord" not in names_2027
    assert "Oogkliniek Noord" in names_2026


def test_r16_duplicate_delivery_is_a_no_op(runtime, catalogue: Catalogue, feeder: Feeder, world: World) -> None:
    envelope = catalogue.event(
        "catalogue.institution.registered",
        {
            "institution_id": str(uuid.uuid4()),
            "revision": 1,
            "agb_code": "06019999",
            "name": "Dubbel",
            "type": "general_hospital",
            "country": "NL",
            "city": None,
            "group_id": None,
            "opened_on": None,
        },
    )
    assert feeder.deliver(envelope, envelope) == ["acked", "acked"]
    with runtime.engine.connect() as connection:
        count = connection.execute(
            select(func.count())
            .select_from(institution_status)
            .where(institution_status.c.institution_id == envelope.data["institution_id"])
        ).scalar_one()
        inbox = connection.execute(
            select(func.count()).select_from(inbox_message).where(inbox_message.c.message_id == envelope.id)
        ).scalar_one()
    assert count == 1 and inbox == 1


def test_r16_stale_revision_is_ignored(runtime, catalogue: Catalogue, world: World) -> None:
    data = dict(catalogue.institutions[world.umc], name="Oude naam", revision=1)
    assert catalogue.send("catalogue.institution.changed", data) == "acked"
    newer = dict(catalogue.institutions[world.umc], name="AUMC locatie VUmc", revision=5)
    assert catalogue.send("catalogue.institution.changed", newer) == "acked"
    assert catalogue.send("catalogue.institution.changed", dict(data, revision=4)) == "acked"
    with runtime.engine.connect() as connection:
        name = connection.execute(select(institution.c.name).where(institution.c.id == world.umc)).scalar_one()
    assert name == "AUMC locatie VUmc"


def test_r16_out_of_order_reference_is_retried_not_acked(runtime, catalogue: Catalogue, world: World) -> None:
    unknown = str(uuid.uuid4())
    outcome = catalogue.send(
        "catalogue.offering.changed",
        {"institution_id": unknown, "revision": 1, "specialism_ids": [world.eye], "condition_ids": []},
    )
    assert outcome == "requeued"
    outcome = catalogue.send(
        "catalogue.offering.changed",
        {"institution_id": world.umc, "revision": 9, "specialism_ids": [str(uuid.uuid4())], "condition_ids": []},
    )
    assert outcome == "requeued"
    with runtime.engine.connect() as connection:  # nothing half-written by the failed message
        deps = connection.execute(
            select(func.count()).select_from(department_status).where(department_status.c.institution_id == world.umc)
        ).scalar_one()
    assert deps == 2


def test_r11_r16_foreign_hospital_gets_no_rows_below_institution_level(runtime, world: World) -> None:
    with runtime.engine.connect() as connection:
        below = (
            connection.execute(
                select(func.count())
                .select_from(department_status)
                .where(department_status.c.institution_id == world.foreign)
            ).scalar_one()
            + connection.execute(
                select(func.count())
                .select_from(condition_status)
                .where(condition_status.c.institution_id == world.foreign)
            ).scalar_one()
        )
    assert below == 0


def test_r16_retired_condition_leaves_open_years(api_a: Api, catalogue: Catalogue, world: World) -> None:
    assert catalogue.send("catalogue.condition.retired", {"condition_id": world.glaucoma, "revision": 2}) == "acked"
    names = {c["name"] for c in api_a.get(C.format(c=world.collection_id, i=world.umc, s=world.eye)).json["items"]}
    assert names == {"Staar"}


def test_product_links_block_deleting_a_collection(api_a: Api, feeder: Feeder, world: World) -> None:
    product = str(uuid.uuid4())
    linked = Envelope.new(
        type="products.collection.linked",
        data={
            "product_id": product,
            "collection_id": world.collection_id,
            "insurer_id": INSURER_A,
            "contract_year": 2026,
        },
        producer="products",
    )
    assert feeder.deliver(linked, linked) == ["acked", "acked"]
    assert api_a.get(f"/collections/{world.collection_id}").json["linked_products"] == 1
    refused = api_a.delete(f"/collections/{world.collection_id}")
    assert refused.status_code == 409 and "gekoppeld" in refused.json["message"]
    unlinked = Envelope.new(
        type="products.collection.unlinked",
        data={"product_id": product, "collection_id": world.collection_id},
        producer="products",
    )
    assert feeder.deliver(unlinked) == ["acked"]
    assert api_a.delete(f"/collections/{world.collection_id}").status_code == 204


def test_r16_a_closure_removes_the_institution_with_history_of_its_last_statuses(api_a: Api, world: World) -> None:
    """'What was this ZBC's status before it closed, and who removed it?' stays answerable."""
    listing = {row["institution_id"]: row for row in api_a.get(INST.format(c=world.collection_id)).json["items"]}
    saved = api_a.patch(
        INST.format(c=world.collection_id),
        json={
            "rows": [{"institution_id": world.zbc, "status": "FULL", "version": listing[world.zbc]["version"]}],
            "cascade": True,
        },
    )
    assert saved.status_code == 200, saved.json
    version_before = api_a.get(f"/collections/{world.collection_id}").json["status_version"]

    assert world.catalogue.close(world.zbc) == "acked"
    assert world.catalogue.close(world.zbc) == "acked"  # a second closure event finds nothing left to remove

    history = api_a.get(f"/institutions/{world.zbc}/history").json["items"]
    removal = [row for row in history if row["kind"] == "catalogue"]
    # the ZBC held one institution row, one department (eye) and two conditions (cataract, glaucoma)
    assert sorted((row["level"], row["from_status"], row["to_status"]) for row in removal) == [
        ("condition", "FULL", None),
        ("condition", "FULL", None),
        ("department", "FULL", None),
        ("institution", "FULL", None),
    ]
    assert {row["changed_by"] for row in removal} == {"Catalogus"}
    saves = api_a.get(f"/collections/{world.collection_id}/changes").json["items"]
    [entry] = [save for save in saves if save["kind"] == "catalogue"]
    assert entry["count"] == 4 and entry["scope"] == {
        "kind": "removed",
        "institution_id": world.zbc,
        "reason": "closed",
    }
    assert api_a.get(f"/collections/{world.collection_id}").json["status_version"] == version_before + 1


def test_r16_a_retired_group_is_marked_in_the_copy_once_and_a_late_rename_does_not_undo_it(
    runtime, catalogue: Catalogue
) -> None:
    group = catalogue.group("Zorggroep Oost")
    assert catalogue.send("catalogue.group.retired", {"group_id": group, "revision": 2}) == "acked"
    assert catalogue.send("catalogue.group.retired", {"group_id": group, "revision": 2}) == "acked"  # twice: no-op
    late = {"group_id": group, "revision": 1, "name": "Oude naam", "kind": "hospital_organisation"}
    assert catalogue.send("catalogue.group.changed", late) == "acked"
    with runtime.engine.connect() as connection:
        row = connection.execute(select(institution_group).where(institution_group.c.id == group)).one()
    assert (row.retired, row.name) == (True, "Zorggroep Oost")
    unknown = {"group_id": str(uuid.uuid4()), "revision": 2}
    assert catalogue.send("catalogue.group.retired", unknown) == "requeued"  # its creation comes first
