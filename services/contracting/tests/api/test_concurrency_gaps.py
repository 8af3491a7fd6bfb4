"""Issue 16.6: the concurrency gaps a careless or concurrent client found (R4, R5)."""

from __future__ import annotations

from conftest import Api, World, rows_by

INST = "/collections/{c}/institutions"


def _status_version(api: Api, world: World) -> int:
    return int(api.get(INST.format(c=world.collection_id)).json["status_version"])


def test_r4_a_rename_without_version_is_refused_so_it_never_replaces_a_colleagues(
    api_a: Api, api_a2: Api, world: World
) -> None:
    read = api_a.get(f"/collections/{world.collection_id}").json
    assert (
        api_a2.patch(
            f"/collections/{world.collection_id}", json={"name": "Basis 2026 (collega)", "version": read["version"]}
        ).status_code
        == 200
    )
    blind = api_a.patch(f"/collections/{world.collection_id}", json={"name": "Basis 2026 (mijn)"})
    assert blind.status_code == 422 and "version" in blind.json["errors"]
    assert api_a.get(f"/collections/{world.collection_id}").json["name"] == "Basis 2026 (collega)"
    stale = api_a.patch(
        f"/collections/{world.collection_id}", json={"name": "Basis 2026 (mijn)", "version": read["version"]}
    )
    assert stale.status_code == 409 and "collega" in stale.json["message"]


def test_r5_a_weak_etag_of_the_current_version_is_accepted_and_a_stale_one_refused(api_a: Api, world: World) -> None:
    url = INST.format(c=world.collection_id) + "/apply-to-shown"
    current = _status_version(api_a, world)
    weak = api_a.post(url, json={"status": "IN_NEGOTIATION"}, headers={"If-Match": f'W/"{current}"'})
    assert weak.status_code == 200, weak.json
    stale = api_a.post(url, json={"status": "FULL"}, headers={"If-Match": f'W/"{current}"'})
    assert stale.status_code == 412
    garbage = api_a.post(url, json={"status": "FULL"}, headers={"If-Match": 'W/"zeven"'})
    assert garbage.status_code == 422 and "If-Match" in garbage.json["errors"]


def test_r5_apply_to_shown_that_matches_nothing_keeps_the_version_so_a_colleague_is_not_refused(
    api_a: Api, api_a2: Api, world: World
) -> None:
    url = INST.format(c=world.collection_id) + "/apply-to-shown"
    shown_to_colleague = _status_version(api_a2, world)
    nothing = api_a.post(
        url,
        json={"status": "FULL", "filter": {"name": "bestaat niet"}},
        headers={"If-Match": f'"{shown_to_colleague}"'},
    )
    assert nothing.status_code == 200 and nothing.json["count"] == 0
    assert _status_version(api_a, world) == shown_to_colleague
    colleague = api_a2.post(url, json={"status": "FULL"}, headers={"If-Match": f'"{shown_to_colleague}"'})
    assert colleague.status_code == 200 and colleague.json["count"] == 4
    assert {
        r["status"] for r in rows_by(api_a.get(INST.format(c=world.collection_id)).json, "institution_id").values()
    } == {"FULL"}
