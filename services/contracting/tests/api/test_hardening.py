"""Issue 16 items 4, 5, 9 on contracting's operations: 4xx with a flat Dutch body, never a 500."""

from __future__ import annotations

from typing import Any

from conftest import Api, World

INST = "/collections/{c}/institutions"


def _row(api: Api, world: World) -> dict[str, Any]:
    listing = api.get(INST.format(c=world.collection_id)).json["items"]
    return next(r for r in listing if r["institution_id"] == world.umc)


def test_cascade_yes_is_not_taken_as_true(api_a: Api, world: World) -> None:
    row = _row(api_a, world)
    body = {"rows": [{"institution_id": world.umc, "status": "FULL", "version": row["version"]}], "cascade": "yes"}
    response = api_a.patch(INST.format(c=world.collection_id), json=body)
    assert response.status_code == 422
    assert response.json["errors"] == {"cascade": ["Geen geldige ja/nee-waarde (true/false)."]}
    assert _row(api_a, world)["status"] == "NOT_CONTRACTED"


def test_a_remark_takes_line_breaks_but_no_control_characters(api_a: Api, world: World) -> None:
    row = _row(api_a, world)
    change = {"institution_id": world.umc, "status": "FULL", "version": row["version"]}
    refused = api_a.patch(INST.format(c=world.collection_id), json={"rows": [change | {"remark": "a\x00b"}]})
    assert refused.status_code == 422 and "rows.0.remark" in refused.json["errors"]
    saved = api_a.patch(INST.format(c=world.collection_id), json={"rows": [change | {"remark": "regel 1\nregel 2"}]})
    assert saved.status_code == 200, saved.json
    assert _row(api_a, world)["remark"] == "regel 1\nregel 2"


def test_unbounded_pages_nul_in_queries_and_huge_path_numbers_are_4xx(api_a: Api, admin_a: Api, world: World) -> None:
    path = INST.format(c=world.collection_id)
    assert api_a.get(path, query_string={"page": 10**12}).status_code == 422
    assert "page" in api_a.get(path, query_string={"page": 10**7}).json["errors"]
    assert "name" in api_a.get(path, query_string={"name": "Amster\x00dam"}).json["errors"]
    assert admin_a.post(f"/years/{10**20}/close").status_code == 404
    history = api_a.get(f"/collections/{world.collection_id}/history", query_string={"page": 2**40})
    assert history.status_code == 422


def test_writes_that_are_not_json_get_415(api_a: Api) -> None:
    for data, content_type in (("name=Basis", "application/x-www-form-urlencoded"), ("Basis", "text/plain")):
        response = api_a.post("/collections", data=data, content_type=content_type)
        assert response.status_code == 415
        assert response.json["errors"]["Content-Type"]


def test_validation_is_flat_and_dutch_and_authorization_comes_first(client: Any, api_a: Api, world: World) -> None:
    response = api_a.post("/collections", json={"name": "", "collection_type": "geen", "care_type": 3})
    assert response.status_code == 422
    text = repr(response.json)
    assert "Must be" not in text and "well-formed" not in text
    assert set(response.json["errors"]) == {"name", "collection_type", "care_type"}
    anonymous = client.post("/api/contracting/collections", json={"name": 7})
    assert anonymous.status_code == 401 and anonymous.json["errors"]


def test_authenticated_answers_and_exports_are_never_stored(api_a: Api, world: World) -> None:
    for response in (
        api_a.get("/collections"),
        api_a.get(f"/collections/{world.collection_id}/export", query_string={"format": "csv"}),
        api_a.get(f"/collections/{world.collection_id}/export", query_string={"format": "xlsx"}),
    ):
        assert response.status_code == 200
        assert response.headers["Cache-Control"] == "no-store"
        assert response.headers["X-Content-Type-Options"] == "nosniff"
