"""Tenant isolation: insurer B never reads or writes insurer A's collections, statuses, remarks or history.

One request per endpoint, made by insurer B against insurer A's data; afterwards A's data is unchanged.
"""

from __future__ import annotations

import io

import pytest

from conftest import INSURER_A, Api, World, make_api, rows_by


def requests_by_b(world: World) -> list[tuple[str, str, dict]]:
    c, i, s = world.collection_id, world.umc, world.eye
    cond = world.cataract
    return [
        ("get", f"/collections/{c}", {}),
        ("patch", f"/collections/{c}", {"json": {"name": "Gekaapt", "version": 1}}),
        ("delete", f"/collections/{c}", {}),
        ("get", f"/collections/{c}/changes", {}),
        ("get", f"/collections/{c}/history", {}),
        ("get", f"/collections/{c}/institutions", {}),
        (
            "patch",
            f"/collections/{c}/institutions",
            {"json": {"rows": [{"institution_id": i, "status": "FULL", "version": 1}]}},
        ),
        ("post", f"/collections/{c}/institutions/apply-to-shown", {"json": {"status": "FULL", "cascade": True}}),
        ("get", f"/collections/{c}/institutions/{i}/departments", {}),
        (
            "patch",
            f"/collections/{c}/institutions/{i}/departments",
            {"json": {"rows": [{"specialism_id": s, "status": "FULL", "version": 1}]}},
        ),
        ("post", f"/collections/{c}/institutions/{i}/departments/apply-to-shown", {"json": {"status": "FULL"}}),
        ("get", f"/collections/{c}/institutions/{i}/departments/{s}/conditions", {}),
        (
            "patch",
            f"/collections/{c}/institutions/{i}/departments/{s}/conditions",
            {"json": {"rows": [{"condition_id": cond, "status": "FULL", "version": 1}]}},
        ),
        (
            "post",
            f"/collections/{c}/institutions/{i}/departments/{s}/conditions/apply-to-shown",
            {"json": {"status": "FULL"}},
        ),
        ("get", f"/collections/{c}/export", {}),
        ("get", f"/collections/{c}/export?format=xlsx", {}),
        (
            "post",
            f"/collections/{c}/import",
            {"data": {"file": (io.BytesIO(b"niveau;instelling_id;afdeling_id;aandoening_id;status\n"), "x.csv")}},
        ),
        (
            "patch",
            f"/institutions/{i}/collections",
            {"json": {"rows": [{"collection_id": c, "status": "FULL", "version": 1}]}},
        ),
    ]


@pytest.mark.parametrize("index", range(18))
def test_insurer_b_cannot_reach_insurer_a_data(index: int, api_a: Api, api_b: Api, world: World) -> None:
    before = api_a.get(f"/collections/{world.collection_id}/institutions").json
    method, path, kwargs = requests_by_b(world)[index]
    response = getattr(api_b, method)(path, **kwargs)
    assert response.status_code == 404, (path, response.status_code, response.json)
    assert response.json["code"] == 404
    after = api_a.get(f"/collections/{world.collection_id}/institutions").json
    assert after == before
    assert api_a.get(f"/collections/{world.collection_id}").json["name"] == "Basis 2026"


def test_insurer_b_lists_and_views_see_nothing_of_a(api_a: Api, api_b: Api, world: World) -> None:
    listing = rows_by(api_a.get(f"/collections/{world.collection_id}/institutions").json, "institution_id")
    api_a.patch(
        f"/collections/{world.collection_id}/institutions",
        json={
            "rows": [
                {
                    "institution_id": world.umc,
                    "status": "FULL",
                    "version": listing[world.umc]["version"],
                    "remark": "geheim",
                }
            ]
        },
    )
    assert api_b.get("/collections").json == []
    assert api_b.get("/years").json == []
    assert api_b.get(f"/institutions/{world.umc}/collections").json["collections"] == []
    assert api_b.get(f"/institutions/{world.umc}/history").json["items"] == []
    assert len(api_a.get(f"/institutions/{world.umc}/history").json["items"]) == 1


def test_a_user_sees_only_the_login_year(api_a: Api, world: World, client, identity_keys) -> None:
    api_2025 = make_api(client, identity_keys, tenant=INSURER_A, roles=("insurer_user",), year=2025)
    assert api_2025.get("/collections").json == []
    assert api_2025.get(f"/collections/{world.collection_id}/institutions").status_code == 404


def test_an_insurer_admin_cannot_close_another_insurers_year(world: World, client, identity_keys) -> None:
    from conftest import INSURER_B

    admin_b = make_api(client, identity_keys, tenant=INSURER_B, roles=("insurer_admin",))
    assert admin_b.post("/years/2026/close").status_code == 404
    assert admin_b.post(f"/years/2026/close?insurer_id={INSURER_A}").status_code == 403
