"""R4: collections' life cycle through the API, bad input included, and the events they emit."""

from __future__ import annotations

from conftest import Api, World
from servicekit.testing.outbox import outbox_events


def test_r4_collection_life_cycle(runtime, api_a: Api, world: World) -> None:
    created = api_a.post(
        "/collections", json={"name": "Selectief 2026", "collection_type": "selective", "description": "budget"}
    )
    assert created.status_code == 201, created.json
    body = created.json
    assert (body["care_type"], body["collection_type"], body["contract_year"]) == ("hospital", "selective", 2026)
    assert body["counts"]["institution"]["NOT_CONTRACTED"] == 4
    assert body["counts"]["condition"]["NOT_CONTRACTED"] == 10
    assert [c["name"] for c in api_a.get("/collections").json] == ["Basis 2026", "Selectief 2026"]
    renamed = api_a.patch(
        f"/collections/{body['collection_id']}", json={"name": "Budget 2026", "version": body["version"]}
    )
    assert renamed.status_code == 200 and renamed.json["name"] == "Budget 2026"
    stale = api_a.patch(
        f"/collections/{body['collection_id']}", json={"name": "Nog anders", "version": body["version"]}
    )
    assert stale.status_code == 409
    assert api_a.delete(f"/collections/{body['collection_id']}").status_code == 204
    assert api_a.get(f"/collections/{body['collection_id']}").status_code == 404
    types = [e.type for e in outbox_events(runtime.engine) if e.type.startswith("contracting.collection")]
    assert types == ["contracting.collection.created"] * 2 + [
        "contracting.collection.renamed",
        "contracting.collection.deleted",
    ]


def test_r4_bad_input_names_the_field(api_a: Api, world: World) -> None:
    response = api_a.post("/collections", json={"name": "", "collection_type": "premium", "care_type": "ggz"})
    assert response.status_code == 422
    assert {"name", "collection_type", "care_type"} <= set(response.json["errors"])
    blank = api_a.post("/collections", json={"name": "   ", "collection_type": "basic"})
    assert blank.status_code == 422 and blank.json["errors"]["name"][0].startswith("R4:")


def test_r4_duplicate_name_in_a_year_is_refused(api_a: Api, world: World) -> None:
    response = api_a.post("/collections", json={"name": "basis 2026", "collection_type": "basic"})
    assert response.status_code == 409 and "bestaat al" in response.json["message"]


def test_reference_lists_give_the_maintained_lists(api_a: Api) -> None:
    body = api_a.get("/reference-lists").json
    assert body["collection_types"] == {"basic": "Basis", "selective": "Selectief", "restitution": "Restitutie"}
    assert body["care_types"] == {"hospital": "Ziekenhuis"}
    partial = next(s for s in body["statuses"] if s["code"] == "PARTIAL")
    assert partial["levels"] == ["institution", "department"]


def test_anonymous_callers_get_401(client, world: World) -> None:
    for path in ("/collections", f"/collections/{world.collection_id}/institutions", "/years", "/reference-lists"):
        assert client.get("/api/contracting" + path).status_code == 401


def test_other_roles_get_403(client, identity_keys, world: World) -> None:
    headers = identity_keys.headers(roles=("catalogue_maintainer",), tenant_id=None, contract_year=2026)
    assert client.get("/api/contracting/collections", headers=headers).status_code == 403


def test_r4_the_collection_list_shows_institution_counts_per_status(api_a: Api, world: World) -> None:
    listing = api_a.get(f"/collections/{world.collection_id}/institutions").json
    umc = next(row for row in listing["items"] if row["institution_id"] == world.umc)
    saved = api_a.patch(
        f"/collections/{world.collection_id}/institutions",
        json={"rows": [{"institution_id": world.umc, "status": "FULL", "version": umc["version"]}]},
    )
    assert saved.status_code == 200, saved.json
    api_a.post("/collections", json={"name": "Leeg 2026", "collection_type": "selective"})
    counts = {c["name"]: c["counts"] for c in api_a.get("/collections").json}
    assert counts["Basis 2026"] == {"institution": {"NOT_CONTRACTED": 3, "IN_NEGOTIATION": 0, "PARTIAL": 0, "FULL": 1}}
    assert counts["Leeg 2026"]["institution"]["NOT_CONTRACTED"] == 4
