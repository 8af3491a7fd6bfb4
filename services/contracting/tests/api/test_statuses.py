"""Statuses at three levels through the API: R5-R12, history and concurrent editing."""

from __future__ import annotations

from conftest import Api, World, rows_by

INST = "/collections/{c}/institutions"
D = "/collections/{c}/institutions/{i}/departments"
C = "/collections/{c}/institutions/{i}/departments/{s}/conditions"


def institutions(api: Api, world: World, **query: object) -> dict:
    response = api.get(INST.format(c=world.collection_id), query_string=query)
    assert response.status_code == 200, response.json
    return response.json


def departments(api: Api, world: World, inst: str, **query: object) -> dict:
    response = api.get(D.format(c=world.collection_id, i=inst), query_string=query)
    assert response.status_code == 200, response.json
    return response.json


def conditions(api: Api, world: World, inst: str, spec: str, **query: object) -> dict:
    response = api.get(C.format(c=world.collection_id, i=inst, s=spec), query_string=query)
    assert response.status_code == 200, response.json
    return response.json


def save_institutions(api: Api, world: World, changes: dict[str, str], cascade: bool = False, **extra: object):
    listing = rows_by(institutions(api, world), "institution_id")
    rows = [{"institution_id": i, "status": s, "version": listing[i]["version"], **extra} for i, s in changes.items()]
    return api.patch(INST.format(c=world.collection_id), json={"rows": rows, "cascade": cascade})


def all_below(api: Api, world: World, inst: str) -> set[str]:
    statuses = {d["status"] for d in departments(api, world, inst)["items"]}
    for spec in (world.cardio, world.eye):
        response = api.get(C.format(c=world.collection_id, i=inst, s=spec))
        statuses |= {c["status"] for c in response.json["items"]}
    return statuses


def test_r4_new_collection_holds_every_institution_department_and_condition(api_a: Api, world: World) -> None:
    listing = institutions(api_a, world)
    assert listing["total"] == 4
    assert {i["status"] for i in listing["items"]} == {"NOT_CONTRACTED"}
    assert not any(i["is_new"] for i in listing["items"])
    assert {d["name"] for d in departments(api_a, world, world.umc)["items"]} == {"Cardiologie", "Oogheelkunde"}
    assert {c["name"] for c in conditions(api_a, world, world.umc, world.eye)["items"]} == {"Staar", "Glaucoom"}


def test_r6_saving_institution_level_changes_only_that_level(api_a: Api, world: World) -> None:
    response = save_institutions(api_a, world, {world.umc: "FULL"}, remark="Contract 2026 getekend")
    assert response.status_code == 200, response.json
    assert response.json["count"] == 1 and response.json["cascaded"] == {}
    row = rows_by(institutions(api_a, world), "institution_id")[world.umc]
    assert row["status"] == "FULL" and row["remark"] == "Contract 2026 getekend" and row["version"] == 2
    assert all_below(api_a, world, world.umc) == {"NOT_CONTRACTED"}


def test_r7_cascade_full_sets_all_departments_and_conditions(api_a: Api, world: World) -> None:
    response = save_institutions(api_a, world, {world.umc: "FULL"}, cascade=True)
    assert response.status_code == 200, response.json
    assert response.json["cascaded"] == {"department": 2, "condition": 4}
    assert all_below(api_a, world, world.umc) == {"FULL"}
    assert all_below(api_a, world, world.general) == {"NOT_CONTRACTED"}


def test_r7_a_dry_run_counts_what_a_cascade_would_change_and_writes_nothing(api_a: Api, world: World) -> None:
    listing = rows_by(institutions(api_a, world), "institution_id")
    rows = [{"institution_id": world.umc, "status": "FULL", "version": listing[world.umc]["version"]}]
    url = INST.format(c=world.collection_id) + "?dry_run=true"
    preview = api_a.patch(url, json={"rows": rows, "cascade": True})
    assert preview.status_code == 200, preview.json
    assert preview.json["dry_run"] is True
    assert preview.json["count"] == 1 and preview.json["cascaded"] == {"department": 2, "condition": 4}
    after = rows_by(institutions(api_a, world), "institution_id")[world.umc]
    assert after["status"] == "NOT_CONTRACTED" and after["version"] == listing[world.umc]["version"]
    assert all_below(api_a, world, world.umc) == {"NOT_CONTRACTED"}
    assert api_a.get(f"/collections/{world.collection_id}/changes").json["total"] == 0


def test_r9_a_department_dry_run_counts_the_conditions_it_would_change(api_a: Api, world: World) -> None:
    listing = rows_by(departments(api_a, world, world.umc), "specialism_id")
    rows = [{"specialism_id": world.eye, "status": "FULL", "version": listing[world.eye]["version"]}]
    url = D.format(c=world.collection_id, i=world.umc) + "?dry_run=true"
    preview = api_a.patch(url, json={"rows": rows, "cascade": True})
    assert preview.status_code == 200, preview.json
    assert preview.json["count"] == 1 and preview.json["cascaded"] == {"condition": 2}
    assert all_below(api_a, world, world.umc) == {"NOT_CONTRACTED"}


def test_r7_cascade_not_contracted_sets_all_departments_and_conditions(api_a: Api, world: World) -> None:
    save_institutions(api_a, world, {world.umc: "FULL"}, cascade=True)
    response = save_institutions(api_a, world, {world.umc: "NOT_CONTRACTED"}, cascade=True)
    assert response.status_code == 200
    assert all_below(api_a, world, world.umc) == {"NOT_CONTRACTED"}


def test_r7_in_negotiation_may_cascade(api_a: Api, world: World) -> None:
    response = save_institutions(api_a, world, {world.general: "IN_NEGOTIATION"}, cascade=True)
    assert response.status_code == 200
    assert all_below(api_a, world, world.general) == {"IN_NEGOTIATION"}


def test_r7_partial_cascade_is_refused_with_a_clear_message(api_a: Api, world: World) -> None:
    response = save_institutions(api_a, world, {world.umc: "PARTIAL"}, cascade=True)
    assert response.status_code == 422
    assert "Gedeeltelijk" in response.json["message"]
    assert response.json["errors"]["cascade"][0].startswith("R7:")
    assert rows_by(institutions(api_a, world), "institution_id")[world.umc]["status"] == "NOT_CONTRACTED"
    # without cascade PARTIAL is fine at institution level
    assert save_institutions(api_a, world, {world.umc: "PARTIAL"}).status_code == 200


def test_r5_apply_to_all_shown_uses_the_filter_server_side(api_a: Api, world: World) -> None:
    response = api_a.post(
        INST.format(c=world.collection_id) + "/apply-to-shown",
        json={"filter": {"group_id": world.group}, "status": "FULL", "cascade": True},
    )
    assert response.status_code == 200, response.json
    assert response.json["count"] == 2
    listing = rows_by(institutions(api_a, world), "institution_id")
    assert listing[world.umc]["status"] == listing[world.general]["status"] == "FULL"
    assert listing[world.zbc]["status"] == listing[world.foreign]["status"] == "NOT_CONTRACTED"
    assert all_below(api_a, world, world.general) == {"FULL"}


def test_r5_apply_to_shown_with_status_filter_cascades_from_the_rows_as_shown(api_a: Api, world: World) -> None:
    save_institutions(api_a, world, {world.zbc: "IN_NEGOTIATION"})
    response = api_a.post(
        INST.format(c=world.collection_id) + "/apply-to-shown",
        json={"filter": {"status": "IN_NEGOTIATION"}, "status": "FULL", "cascade": True},
    )
    assert response.status_code == 200
    assert response.json["count"] == 1 and response.json["cascaded"] == {"condition": 2, "department": 1}
    assert all_below(api_a, world, world.umc) == {"NOT_CONTRACTED"}


def test_r8_filters_combine_and_counts_per_status(api_a: Api, world: World) -> None:
    save_institutions(api_a, world, {world.umc: "FULL", world.zbc: "FULL"})
    assert institutions(api_a, world, group_id=world.group)["total"] == 2
    assert institutions(api_a, world, name="rivieren")["total"] == 1
    assert institutions(api_a, world, type="zbc")["items"][0]["institution_id"] == world.zbc
    assert institutions(api_a, world, agb_code="06010001")["items"][0]["institution_id"] == world.umc
    assert institutions(api_a, world, agb_code="06010001", type="zbc")["total"] == 0
    both = institutions(api_a, world, group_id=world.group, status="FULL")
    assert [i["institution_id"] for i in both["items"]] == [world.umc]
    assert both["counts"] == {"NOT_CONTRACTED": 1, "IN_NEGOTIATION": 0, "PARTIAL": 0, "FULL": 1}
    assert institutions(api_a, world, foreign=True)["items"][0]["name"] == "UZ Leuven"
    page = institutions(api_a, world, page=2, page_size=3)
    assert page["total"] == 4 and page["pages"] == 2 and len(page["items"]) == 1


def test_r8_bad_filter_values_are_refused_with_field(api_a: Api, world: World) -> None:
    response = api_a.get(INST.format(c=world.collection_id), query_string={"agb_code": "123", "status": "MAYBE"})
    assert response.status_code == 422
    assert {"agb_code", "status"} <= set(response.json["errors"])


def test_r9_department_filters_and_save_only_that_level(api_a: Api, world: World) -> None:
    listing = departments(api_a, world, world.umc, name="cardio")
    assert [d["name"] for d in listing["items"]] == ["Cardiologie"]
    row = listing["items"][0]
    response = api_a.patch(
        D.format(c=world.collection_id, i=world.umc),
        json={
            "rows": [
                {"specialism_id": world.cardio, "status": "PARTIAL", "version": row["version"], "remark": "alleen poli"}
            ]
        },
    )
    assert response.status_code == 200, response.json
    assert departments(api_a, world, world.umc, status="PARTIAL")["items"][0]["remark"] == "alleen poli"
    assert {c["status"] for c in conditions(api_a, world, world.umc, world.cardio)["items"]} == {"NOT_CONTRACTED"}
    assert rows_by(institutions(api_a, world), "institution_id")[world.umc]["status"] == "NOT_CONTRACTED"


def test_r9_department_cascade_sets_its_conditions(api_a: Api, world: World) -> None:
    row = departments(api_a, world, world.umc, name="Oog")["items"][0]
    response = api_a.patch(
        D.format(c=world.collection_id, i=world.umc),
        json={"rows": [{"specialism_id": world.eye, "status": "FULL", "version": row["version"]}], "cascade": True},
    )
    assert response.status_code == 200
    assert {c["status"] for c in conditions(api_a, world, world.umc, world.eye)["items"]} == {"FULL"}
    assert {c["status"] for c in conditions(api_a, world, world.umc, world.cardio)["items"]} == {"NOT_CONTRACTED"}


def test_r9_apply_to_shown_departments_with_name_filter(api_a: Api, world: World) -> None:
    response = api_a.post(
        D.format(c=world.collection_id, i=world.general) + "/apply-to-shown",
        json={"filter": {"name": "oog"}, "status": "NOT_CONTRACTED", "cascade": True},
    )
    assert response.status_code == 200 and response.json["count"] == 0  # already NOT_CONTRACTED
    response = api_a.post(
        D.format(c=world.collection_id, i=world.general) + "/apply-to-shown",
        json={"filter": {"name": "oog"}, "status": "FULL"},
    )
    assert response.json["count"] == 1
    assert departments(api_a, world, world.general, status="FULL")["total"] == 1


def test_r10_partial_is_refused_at_condition_level(api_a: Api, world: World) -> None:
    row = conditions(api_a, world, world.umc, world.eye)["items"][0]
    response = api_a.patch(
        C.format(c=world.collection_id, i=world.umc, s=world.eye),
        json={"rows": [{"condition_id": row["condition_id"], "status": "PARTIAL", "version": row["version"]}]},
    )
    assert response.status_code == 422
    assert response.json["errors"]["rows.0.status"][0].startswith("R10:")
    response = api_a.post(
        C.format(c=world.collection_id, i=world.umc, s=world.eye) + "/apply-to-shown", json={"status": "PARTIAL"}
    )
    assert response.status_code == 422


def test_r10_condition_save_and_apply_to_shown(api_a: Api, world: World) -> None:
    path = C.format(c=world.collection_id, i=world.umc, s=world.eye)
    staar = next(c for c in conditions(api_a, world, world.umc, world.eye)["items"] if c["name"] == "Staar")
    response = api_a.patch(
        path, json={"rows": [{"condition_id": staar["condition_id"], "status": "FULL", "version": staar["version"]}]}
    )
    assert response.status_code == 200 and response.json["count"] == 1
    response = api_a.post(
        path + "/apply-to-shown", json={"filter": {"status": "NOT_CONTRACTED"}, "status": "IN_NEGOTIATION"}
    )
    assert response.json["count"] == 1
    assert conditions(api_a, world, world.umc, world.eye)["counts"]["FULL"] == 1
    assert departments(api_a, world, world.umc)["counts"]["NOT_CONTRACTED"] == 2


def test_r11_foreign_hospital_refused_below_institution_level(api_a: Api, world: World) -> None:
    for response in (
        api_a.get(D.format(c=world.collection_id, i=world.foreign)),
        api_a.post(D.format(c=world.collection_id, i=world.foreign) + "/apply-to-shown", json={"status": "FULL"}),
        api_a.patch(
            D.format(c=world.collection_id, i=world.foreign),
            json={"rows": [{"specialism_id": world.cardio, "status": "FULL", "version": 1}]},
        ),
        api_a.get(C.format(c=world.collection_id, i=world.foreign, s=world.cardio)),
    ):
        assert response.status_code == 422, response.json
        assert response.json["errors"]["institution_id"][0].startswith("R11:")
        assert "buitenlands" in response.json["message"]
    # at institution level it is contracted like any other
    assert save_institutions(api_a, world, {world.foreign: "PARTIAL"}).status_code == 200


def test_r12_one_institution_across_all_collections_read_and_change(api_a: Api, world: World) -> None:
    second = api_a.post("/collections", json={"name": "Selectief 2026", "collection_type": "selective"}).json[
        "collection_id"
    ]
    view = api_a.get(f"/institutions/{world.umc}/collections")
    assert view.status_code == 200
    assert {c["name"] for c in view.json["collections"]} == {"Basis 2026", "Selectief 2026"}
    rows = [
        {"collection_id": c["collection_id"], "status": "FULL", "version": c["version"]}
        for c in view.json["collections"]
    ]
    rows[0]["remark"] = "beide sets"
    response = api_a.patch(f"/institutions/{world.umc}/collections", json={"rows": rows, "cascade": True})
    assert response.status_code == 200, response.json
    assert len(response.json) == 2
    after = api_a.get(f"/institutions/{world.umc}/collections").json["collections"]
    assert {c["status"] for c in after} == {"FULL"}
    listing = api_a.get(D.format(c=second, i=world.umc)).json
    assert {d["status"] for d in listing["items"]} == {"FULL"}


def test_r12_across_collections_is_all_or_nothing(api_a: Api, world: World) -> None:
    api_a.post("/collections", json={"name": "Selectief 2026", "collection_type": "selective"})
    view = api_a.get(f"/institutions/{world.umc}/collections").json["collections"]
    rows = [{"collection_id": c["collection_id"], "status": "FULL", "version": c["version"]} for c in view]
    rows[1]["version"] = 99
    response = api_a.patch(f"/institutions/{world.umc}/collections", json={"rows": rows})
    assert response.status_code == 409
    # issue 16 item 9: the 409 names the collection that was stale, not only the institution
    assert f"'{view[1]['name']}'" in response.json["message"]
    assert response.json["errors"]["rows.1.version"][0].startswith("R12:")
    assert response.json["errors"]["details"][0]["collection_id"] == view[1]["collection_id"]
    assert {c["status"] for c in api_a.get(f"/institutions/{world.umc}/collections").json["collections"]} == {
        "NOT_CONTRACTED"
    }


def test_concurrent_saves_of_the_same_row_never_lose_an_update(api_a: Api, api_a2: Api, world: World) -> None:
    read_by_first = rows_by(institutions(api_a, world), "institution_id")[world.umc]
    read_by_second = rows_by(institutions(api_a2, world), "institution_id")[world.umc]
    first = api_a.patch(
        INST.format(c=world.collection_id),
        json={"rows": [{"institution_id": world.umc, "status": "FULL", "version": read_by_first["version"]}]},
    )
    assert first.status_code == 200
    second = api_a2.patch(
        INST.format(c=world.collection_id),
        json={
            "rows": [{"institution_id": world.umc, "status": "NOT_CONTRACTED", "version": read_by_second["version"]}]
        },
    )
    assert second.status_code == 409
    assert "Amsterdam UMC" in second.json["message"] and "inkoper-a" in second.json["message"]
    assert "Volledig" in second.json["message"]
    assert second.json["errors"]["details"][0]["current_status"] == "FULL"
    assert rows_by(institutions(api_a, world), "institution_id")[world.umc]["status"] == "FULL"


def test_concurrent_apply_to_shown_with_stale_if_match_is_refused(api_a: Api, api_a2: Api, world: World) -> None:
    etag = institutions(api_a2, world)["status_version"]
    save_institutions(api_a, world, {world.umc: "FULL"})
    response = api_a2.post(
        INST.format(c=world.collection_id) + "/apply-to-shown",
        json={"status": "NOT_CONTRACTED"},
        headers={"If-Match": f'"{etag}"'},
    )
    assert response.status_code == 412
    assert "inkoper-a" in response.json["message"]
    assert rows_by(institutions(api_a, world), "institution_id")[world.umc]["status"] == "FULL"
    fresh = institutions(api_a2, world)["status_version"]
    ok = api_a2.post(
        INST.format(c=world.collection_id) + "/apply-to-shown",
        json={"status": "NOT_CONTRACTED"},
        headers={"If-Match": str(fresh)},
    )
    assert ok.status_code == 200


def test_apply_to_shown_without_if_match_is_refused(api_a: Api, world: World) -> None:
    response = api_a.post(
        INST.format(c=world.collection_id) + "/apply-to-shown", json={"status": "FULL"}, no_if_match=True
    )
    assert response.status_code == 428
    assert "If-Match" in response.json["errors"]
    assert institutions(api_a, world)["counts"]["FULL"] == 0


def test_history_answers_who_set_a_row_to_not_contracted_and_when(api_a: Api, api_a2: Api, world: World) -> None:
    save_institutions(api_a, world, {world.umc: "FULL"}, cascade=True)
    api_a2.post(
        INST.format(c=world.collection_id) + "/apply-to-shown",
        json={"filter": {"group_id": world.group}, "status": "NOT_CONTRACTED", "cascade": True},
    )
    response = api_a.get(
        f"/collections/{world.collection_id}/history",
        query_string={
            "institution_id": world.umc,
            "level": "condition",
            "subject_id": world.cataract,
            "to_status": "NOT_CONTRACTED",
        },
    )
    assert response.status_code == 200
    [entry] = response.json["items"]
    assert entry["changed_by"] == "inkoper-a2" and entry["from_status"] == "FULL" and entry["cascade"] is True
    assert entry["subject_name"] == "Staar" and entry["changed_at"]
    changes = api_a.get(f"/collections/{world.collection_id}/changes").json["items"]
    assert [c["kind"] for c in changes] == ["filter", "rows"]
    assert changes[0]["scope"]["filter"] == {"group_id": world.group} and changes[0]["count"] == 1
    per_institution = api_a.get(f"/institutions/{world.umc}/history", query_string={"level": "institution"}).json[
        "items"
    ]
    assert [(h["from_status"], h["to_status"]) for h in per_institution] == [
        ("FULL", "NOT_CONTRACTED"),
        ("NOT_CONTRACTED", "FULL"),
    ]


def test_r6_batch_save_is_all_or_nothing(api_a: Api, world: World) -> None:
    listing = rows_by(institutions(api_a, world), "institution_id")
    response = api_a.patch(
        INST.format(c=world.collection_id),
        json={
            "rows": [
                {"institution_id": world.umc, "status": "FULL", "version": listing[world.umc]["version"]},
                {"institution_id": world.cardio, "status": "FULL", "version": 1},
            ]
        },
    )
    assert response.status_code == 422 and "rows.1" in response.json["errors"]
    assert rows_by(institutions(api_a, world), "institution_id")[world.umc]["status"] == "NOT_CONTRACTED"


def test_bad_bodies_get_the_common_error_body(api_a: Api, world: World) -> None:
    path = INST.format(c=world.collection_id)
    for body in (
        {},
        {"rows": []},
        {"rows": [{"institution_id": "x", "status": "FULL", "version": 1}]},
        {"rows": [{"institution_id": world.umc, "status": "VOL", "version": "1"}]},
    ):
        response = api_a.patch(path, json=body)
        assert response.status_code == 422, body
        assert {"code", "status", "message", "errors"} <= set(response.json)


def test_r10_conditions_of_a_department_the_institution_does_not_offer_are_404(api_a: Api, world: World) -> None:
    """Issue 16 item 9: not 200 with an empty list; the error names the department."""
    response = api_a.get(C.format(c=world.collection_id, i=world.zbc, s=world.cardio))
    assert response.status_code == 404, response.json
    assert "specialism_id" in response.json["errors"]
    assert conditions(api_a, world, world.zbc, world.eye)["total"] == 2
