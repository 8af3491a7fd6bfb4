"""R17: the public read API. IN_NEGOTIATION left out, embargo until the publication date, last-changed moves on a save."""

from __future__ import annotations

import csv
import io
import json
import uuid
from datetime import date, timedelta

from conftest import INSURER_A, Api, Contracting, World, institution

CARDIO = str(uuid.uuid4())
CATARACT = str(uuid.uuid4())
EYE = str(uuid.uuid4())


def subset(answer: dict, **expected: object) -> bool:
    return {k: answer[k] for k in expected} == expected


def link(user: Api, product_id: str, collection_id: str) -> None:
    response = user.put("/links", json={"rows": [{"product_id": product_id, "collection_id": collection_id}]})
    assert response.status_code == 200, response.json


def full_with_conditions(contracting: Contracting, collection_id: str, inst: dict, status: str, **kw: object) -> None:
    condition_status = "NOT_CONTRACTED" if status == "NOT_CONTRACTED" else "FULL"
    assert (
        contracting.publish(
            collection_id,
            INSURER_A,
            inst,
            status,
            departments=[{"specialism_id": EYE, "code": "0301", "name": "Oogheelkunde", "status": status}],
            conditions=[
                {
                    "condition_id": CATARACT,
                    "specialism_id": EYE,
                    "name": "Cataract-operatie",
                    "status": condition_status,
                }
            ],
            **kw,  # type: ignore[arg-type]
        )
        == "acked"
    )


def test_r17_contracted_institutions_leave_out_in_negotiation_and_answer_point_lookups(
    user_a: Api, pub: Api, world: World, contracting: Contracting
) -> None:
    link(user_a, world.product_a, world.basis_a)
    umc, general, zbc = (
        institution("Amsterdam UMC", "06010001", "university_medical_centre"),
        institution("Ziekenhuis Rivierenland", "06010002"),
        institution("Oogkliniek Noord", "22010003", "zbc"),
    )
    full_with_conditions(contracting, world.basis_a, umc, "FULL")
    full_with_conditions(contracting, world.basis_a, general, "NOT_CONTRACTED")
    contracting.publish(world.basis_a, INSURER_A, zbc, None)  # IN_NEGOTIATION: published as nothing
    page = pub.get(f"/products/{world.product_a}/institutions")
    assert page.status_code == 200, page.json
    assert [i["agb_code"] for i in page.json["items"]] == ["06010001"]
    assert page.json["items"][0]["conditions"][0]["status"] == "FULL"
    assert page.json["last_changed_at"] is not None
    by_code = pub.get(
        "/companies/9901/products/ZK-BASIS/years/2026/institutions", query_string={"condition_id": CATARACT}
    )
    assert [i["agb_code"] for i in by_code.json["items"]] == ["06010001"]

    def ask(agb: str, **query: str) -> dict:
        response = pub.get(f"/products/{world.product_a}/institutions/{agb}", query_string=query)
        assert response.status_code == 200, response.json
        return response.json

    assert subset(ask("06010001", condition_id=CATARACT), published=True, contracted=True, status="FULL")
    assert ask("06010002", condition_id=CATARACT)["contracted"] is False
    assert ask("06010002")["status"] == "NOT_CONTRACTED"
    assert subset(ask("22010003"), published=False, contracted=None, status=None)
    assert ask("22010003", condition_id=CATARACT)["published"] is False
    which = pub.get("/institutions/06010001/products", query_string={"year": 2026, "condition_id": CATARACT})
    assert [p["product_id"] for p in which.json] == [world.product_a]
    assert pub.get("/institutions/22010003/products", query_string={"year": 2026}).json == []
    assert "IN_NEGOTIATION" not in json.dumps([page.json, by_code.json])


def test_r17_a_year_is_hidden_until_the_publication_date(
    platform: Api, admin_a: Api, admin_b: Api, user_a: Api, pub: Api, world: World, contracting: Contracting
) -> None:
    link(user_a, world.product_a, world.basis_a)
    full_with_conditions(contracting, world.basis_a, institution("Amsterdam UMC", "06010001"), "FULL")
    default = platform.get(f"/publication-dates/{INSURER_A}/2026").json
    assert default == {"insurer_id": INSURER_A, "year": 2026, "publish_from": "2025-11-12", "is_default": True}
    assert platform.get(f"/publication-dates/{INSURER_A}/0").status_code == 422
    tomorrow = (date.today() + timedelta(days=1)).isoformat()
    assert user_a.put(f"/publication-dates/{INSURER_A}/2026", json={"publish_from": tomorrow}).status_code == 403
    assert admin_b.put(f"/publication-dates/{INSURER_A}/2026", json={"publish_from": tomorrow}).status_code == 403
    assert admin_a.put(f"/publication-dates/{INSURER_A}/2027", json={"publish_from": tomorrow}).status_code == 200
    assert platform.put(f"/publication-dates/{INSURER_A}/2026", json={"publish_from": tomorrow}).status_code == 200
    hidden = pub.get(f"/products/{world.product_a}/institutions")
    assert hidden.status_code == 404 and hidden.json["errors"]["product_id"][0].startswith("R17:")
    assert pub.get(f"/products/{world.product_a}/institutions/06010001").status_code == 404
    assert pub.get(f"/products/{world.product_a}/feed").status_code == 404
    assert world.product_a not in {p["product_id"] for p in pub.get("/products", query_string={"year": 2026}).json}
    assert pub.get("/institutions/06010001/products", query_string={"year": 2026}).json == []
    today = date.today().isoformat()
    assert platform.put(f"/publication-dates/{INSURER_A}/2026", json={"publish_from": today}).status_code == 200
    assert pub.get(f"/products/{world.product_a}/institutions").status_code == 200


def test_r17_last_changed_moves_on_a_save_but_not_on_an_identical_resync(
    user_a: Api, pub: Api, world: World, contracting: Contracting
) -> None:
    link(user_a, world.product_a, world.basis_a)
    umc = institution("Amsterdam UMC", "06010001")
    full_with_conditions(contracting, world.basis_a, umc, "FULL")
    first = pub.get(f"/products/{world.product_a}/institutions/06010001").json["last_changed_at"]
    full_with_conditions(contracting, world.basis_a, umc, "FULL", reason="resync")
    assert pub.get(f"/products/{world.product_a}/institutions/06010001").json["last_changed_at"] == first
    full_with_conditions(contracting, world.basis_a, umc, "NOT_CONTRACTED")
    later = pub.get(f"/products/{world.product_a}/institutions/06010001").json
    assert later["last_changed_at"] > first and later["contracted"] is False
    listed = {p["product_id"]: p for p in pub.get("/products", query_string={"year": 2026}).json}
    assert listed[world.product_a]["last_changed_at"] == later["last_changed_at"]


def test_r17_an_older_snapshot_never_overwrites_a_newer_one(
    user_a: Api, pub: Api, world: World, contracting: Contracting
) -> None:
    link(user_a, world.product_a, world.basis_a)
    umc = institution("Amsterdam UMC", "06010001")
    full_with_conditions(contracting, world.basis_a, umc, "FULL", version=5)
    full_with_conditions(contracting, world.basis_a, umc, "NOT_CONTRACTED", version=4)
    assert pub.get(f"/products/{world.product_a}/institutions/06010001").json["status"] == "FULL"


def test_r17_bulk_feed_streams_ndjson_and_csv_with_etag_and_304(
    user_a: Api, pub: Api, world: World, contracting: Contracting
) -> None:
    link(user_a, world.product_a, world.basis_a)
    full_with_conditions(contracting, world.basis_a, institution("Amsterdam UMC", "06010001"), "FULL")
    contracting.publish(world.basis_a, INSURER_A, institution("Oogkliniek Noord", "22010003", "zbc"), None)
    feed = pub.get(f"/products/{world.product_a}/feed")
    assert feed.status_code == 200 and feed.mimetype == "application/x-ndjson"
    rows = [json.loads(line) for line in feed.get_data(as_text=True).splitlines()]
    assert [(r["level"], r["agb_code"], r["status"]) for r in rows] == [
        ("institution", "06010001", "FULL"),
        ("department", "06010001", "FULL"),
        ("condition", "06010001", "FULL"),
    ]
    etag = feed.headers["ETag"]
    assert pub.get(f"/products/{world.product_a}/feed", headers={"If-None-Match": etag}).status_code == 304
    as_csv = pub.get(f"/products/{world.product_a}/feed", query_string={"format": "csv"})
    table = list(csv.DictReader(io.StringIO(as_csv.get_data(as_text=True)), delimiter=";"))
    assert len(table) == 3 and table[2]["condition_name"] == "Cataract-operatie"
    full_with_conditions(contracting, world.basis_a, institution("Ziekenhuis Rivierenland", "06010002"), "FULL")
    changed = pub.get(f"/products/{world.product_a}/feed", headers={"If-None-Match": etag})
    assert changed.status_code == 200 and changed.headers["ETag"] != etag


def test_r17_change_feed_gives_what_changed_since_a_cursor(
    user_a: Api, pub: Api, world: World, contracting: Contracting
) -> None:
    link(user_a, world.product_a, world.basis_a)
    umc = institution("Amsterdam UMC", "06010001")
    full_with_conditions(contracting, world.basis_a, umc, "FULL")
    first = pub.get(f"/products/{world.product_a}/changes").json
    assert [c["agb_code"] for c in first["changes"]] == ["06010001"] and first["more"] is False
    nothing = pub.get(f"/products/{world.product_a}/changes", query_string={"since": first["cursor"]}).json
    assert nothing["changes"] == [] and nothing["cursor"] == first["cursor"]
    full_with_conditions(contracting, world.basis_a, umc, "NOT_CONTRACTED")
    full_with_conditions(contracting, world.basis_a, institution("Ziekenhuis Rivierenland", "06010002"), "FULL")
    page = pub.get(f"/products/{world.product_a}/changes", query_string={"since": first["cursor"], "limit": 1}).json
    assert [(c["agb_code"], c["status"]) for c in page["changes"]] == [("06010001", "NOT_CONTRACTED")]
    assert page["more"] is True
    rest = pub.get(f"/products/{world.product_a}/changes", query_string={"since": page["cursor"]}).json
    assert [c["agb_code"] for c in rest["changes"]] == ["06010002"] and rest["more"] is False


def test_r17_needs_a_caller_and_checks_its_input(pub_client, pub: Api, world: World) -> None:
    assert pub_client.get(f"/api/publication/products/{world.product_a}/institutions").status_code == 401
    bad = pub.get(f"/products/{world.product_a}/institutions/12ab")
    assert bad.status_code in (404, 422)
    assert pub.get(f"/products/{uuid.uuid4()}/institutions").status_code == 404
    unlinked = pub.get(f"/products/{world.product_a}/institutions")
    assert unlinked.status_code == 200 and unlinked.json["items"] == [] and unlinked.json["last_changed_at"] is None
