"""R13: companies, products, and "Koppel producten" (one hospital collection per product, all or nothing)."""

from __future__ import annotations

import uuid

from conftest import INSURER_A, INSURER_B, Api, Contracting, World
from products.integration.outbound import COLLECTION_LINKED, COLLECTION_UNLINKED
from servicekit.contracts import validate_event
from servicekit.testing.outbox import outbox_events


def link(api: Api, *rows: tuple[str, str | None]) -> object:
    return api.put("/links", json={"rows": [{"product_id": p, "collection_id": c} for p, c in rows]})


def linked(api: Api) -> dict[str, str | None]:
    return {p["product_id"]: p["collection_id"] for p in api.get("/links").json}


def test_r13_links_own_products_to_own_collections_of_the_year_and_tells_contracting(
    runtime, user_a: Api, world: World
) -> None:
    response = link(user_a, (world.product_a, world.basis_a))
    assert response.status_code == 200, response.json
    listing = {p["product_id"]: p for p in user_a.get("/links").json}
    assert set(listing) == {world.product_a}  # only the login year's products of the own insurer
    assert listing[world.product_a]["collection_name"] == "Basis 2026"
    assert listing[world.product_a]["company_name"] == "Zilveren Kruis"
    relinked = link(user_a, (world.product_a, world.selectief_a))
    assert relinked.status_code == 200 and relinked.json == {"count": 1, "changed": 1}
    events = outbox_events(runtime.engine)
    assert [e.type for e in events] == [COLLECTION_LINKED, COLLECTION_UNLINKED, COLLECTION_LINKED]
    for envelope in events:
        validate_event(envelope)
    assert events[1].data == {"product_id": world.product_a, "collection_id": world.basis_a}


def test_r13_another_insurers_product_is_refused(user_a: Api, world: World) -> None:
    response = link(user_a, (world.product_b, world.basis_a))
    assert response.status_code == 422
    assert response.json["errors"]["rows.0.product_id"][0].startswith("R13: Onbekend product")


def test_r13_another_insurers_collection_is_refused(user_a: Api, world: World) -> None:
    response = link(user_a, (world.product_a, world.basis_b))
    assert response.status_code == 422
    assert response.json["errors"]["rows.0.collection_id"][0].startswith("R13: Onbekende collectie")


def test_r13_another_years_collection_is_refused(user_a: Api, world: World) -> None:
    response = link(user_a, (world.product_a, world.basis_a_next_year))
    assert response.status_code == 422
    assert "R13: Deze collectie hoort bij 2027" in response.json["errors"]["rows.0.collection_id"][0]


def test_r13_another_years_product_and_an_unknown_product_are_refused(user_a: Api, world: World) -> None:
    response = link(user_a, (world.product_a_next_year, world.basis_a_next_year), (str(uuid.uuid4()), world.basis_a))
    assert response.status_code == 422
    assert "R13: Dit product hoort bij 2027" in response.json["errors"]["rows.0.product_id"][0]
    assert response.json["errors"]["rows.1.product_id"][0].startswith("R13: Onbekend product")


def test_r13_a_batch_is_all_or_nothing_and_reports_every_refused_row(runtime, user_a: Api, world: World) -> None:
    response = link(user_a, (world.product_a, world.basis_a), (world.product_b, world.basis_a))
    assert response.status_code == 422
    assert set(response.json["errors"]) == {"rows.1.product_id"}
    assert "er is niets opgeslagen" in response.json["message"]
    assert linked(user_a)[world.product_a] is None
    assert outbox_events(runtime.engine) == []


def test_r13_unlinking_with_null(user_a: Api, world: World) -> None:
    assert link(user_a, (world.product_a, world.basis_a)).status_code == 200
    assert link(user_a, (world.product_a, None)).status_code == 200
    assert linked(user_a)[world.product_a] is None


def test_r13_only_insurer_admins_keep_their_own_companies_products(user_a: Api, admin_a: Api, world: World) -> None:
    body = {"company_id": world.company_a, "year": 2026, "name": "Zorg Plus", "code": "ZK-PLUS", "kind": "combinatie"}
    assert user_a.post("/products", json=body).status_code == 403
    other = admin_a.post("/products", json=body | {"company_id": world.company_b})
    assert other.status_code == 403 and "rows" not in other.json.get("errors", {})
    assert admin_a.post("/products", json=body).status_code == 201
    assert admin_a.post("/products", json=body).status_code == 409


def test_companies_are_kept_by_the_platform_admin(platform: Api, admin_a: Api, world: World) -> None:
    body = {"insurer_id": INSURER_A, "name": "FBTO", "uzovi_code": "99x1"}
    bad = platform.post("/companies", json=body)
    assert bad.status_code == 422 and "uzovi_code" in bad.json["errors"]
    assert admin_a.post("/companies", json=body | {"uzovi_code": "9911"}).status_code == 403
    assert platform.post("/companies", json=body | {"uzovi_code": "9901"}).status_code == 409
    moved = platform.patch(f"/companies/{world.company_a}", json={"insurer_id": INSURER_B})
    assert moved.status_code == 200 and moved.json["insurer_id"] == INSURER_B
    assert [c["name"] for c in platform.get("/companies", query_string={"insurer_id": INSURER_B}).json] == [
        "Menzis",
        "Zilveren Kruis",
    ]


def test_r13_a_renamed_collection_keeps_its_links_and_a_deleted_one_drops_them(
    runtime, user_a: Api, world: World, contracting: Contracting
) -> None:
    assert link(user_a, (world.product_a, world.basis_a)).status_code == 200
    renamed = {"collection_id": world.basis_a, "insurer_id": INSURER_A, "contract_year": 2026}
    contracting.send("contracting.collection.renamed", renamed | {"name": "Basis Plus 2026", "old_name": "Basis 2026"})
    row = {p["product_id"]: p for p in user_a.get("/links").json}[world.product_a]
    assert row["collection_id"] == world.basis_a and row["collection_name"] == "Basis Plus 2026"
    contracting.send("contracting.collection.deleted", renamed)
    assert linked(user_a)[world.product_a] is None
    assert world.basis_a not in {c["collection_id"] for c in user_a.get("/collections").json}
    assert outbox_events(runtime.engine)[-1].type == COLLECTION_UNLINKED


def test_r3_the_rollover_carries_products_and_their_links_into_the_new_year(
    runtime, user_a: Api, world: World, contracting: Contracting
) -> None:
    assert link(user_a, (world.product_a, world.basis_a)).status_code == 200
    copy = str(uuid.uuid4())
    data = {
        "insurer_id": INSURER_A,
        "from_year": 2026,
        "to_year": 2027,
        "collections": [{"from_collection_id": world.basis_a, "to_collection_id": copy, "name": "Basis 2026"}],
    }
    assert contracting.send("contracting.year.rolled_over", data) == "acked"
    assert contracting.send("contracting.year.rolled_over", data) == "acked"  # twice: nothing more
    next_year = [p for p in user_a.get("/products", query_string={"year": 2027, "insurer_id": INSURER_A}).json]
    carried = [p for p in next_year if p["carried_from_id"] == world.product_a]
    assert len(carried) == 1 and carried[0]["collection_id"] == copy and carried[0]["code"] == "ZK-BASIS"
    assert {p["code"] for p in next_year} == {"ZK-BASIS", "ZK-BASIS-27"}
    assert INSURER_B not in {p["insurer_id"] for p in next_year}


def test_r13_a_company_moved_to_another_insurer_takes_its_products_and_drops_their_links(
    runtime, platform: Api, user_a: Api, world: World
) -> None:
    assert link(user_a, (world.product_a, world.basis_a)).status_code == 200
    moved = platform.patch(f"/companies/{world.company_a}", json={"insurer_id": INSURER_B})
    assert moved.status_code == 200
    assert world.product_a not in linked(user_a)  # no longer insurer A's product
    row = {p["product_id"]: p for p in platform.get("/products", query_string={"insurer_id": INSURER_B}).json}
    assert row[world.product_a]["collection_id"] is None
    assert outbox_events(runtime.engine)[-1].type == COLLECTION_UNLINKED


def test_r13_a_malformed_id_is_a_clear_422_naming_the_row(user_a: Api, world: World) -> None:
    response = user_a.put("/links", json={"rows": [{"product_id": "geen-id", "collection_id": world.basis_a}]})
    assert response.status_code == 422 and "rows.0.product_id" in response.json["errors"]
