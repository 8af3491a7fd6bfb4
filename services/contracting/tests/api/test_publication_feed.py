"""R17: the publication feed contracting emits: small events per collection and institution, never a remark."""

from __future__ import annotations

import json
import uuid

from conftest import INSURER_A, Api, Catalogue, Feeder, World, rows_by
from contracting.integration.outbound import PUBLICATION_CHANGED
from contracting.service_layer.publication import republish
from servicekit.contracts import validate_event
from servicekit.messaging.envelope import Envelope
from servicekit.testing.outbox import outbox_events

INST = "/collections/{c}/institutions"


def save(api: Api, world: World, changes: dict[str, str], cascade: bool = False, **extra: object) -> None:
    listing = rows_by(api.get(INST.format(c=world.collection_id)).json, "institution_id")
    rows = [{"institution_id": i, "status": s, "version": listing[i]["version"], **extra} for i, s in changes.items()]
    response = api.patch(INST.format(c=world.collection_id), json={"rows": rows, "cascade": cascade})
    assert response.status_code == 200, response.json


def published(runtime, reason: str | None = None) -> list:
    events = outbox_events(runtime.engine, PUBLICATION_CHANGED)
    return [e for e in events if reason is None or e.data["reason"] == reason]


def test_r17_a_cascade_is_one_event_per_institution_with_its_published_state(
    runtime, feeder: Feeder, api_a: Api, world: World
) -> None:
    link(feeder, world.collection_id)
    save(api_a, world, {world.umc: "FULL", world.general: "FULL"}, cascade=True)
    events = published(runtime, "save")
    assert sorted(e.data["institution"]["institution_id"] for e in events) == sorted([world.umc, world.general])
    for envelope in events:
        validate_event(envelope)
        assert envelope.data["institution"]["status"] == "FULL"
        assert {d["status"] for d in envelope.data["departments"]} == {"FULL"}
        assert len(envelope.data["conditions"]) == 4 and envelope.data["reason"] == "save"


def test_r17_in_negotiation_is_left_out_of_the_event(runtime, feeder: Feeder, api_a: Api, world: World) -> None:
    link(feeder, world.collection_id)
    save(api_a, world, {world.zbc: "IN_NEGOTIATION"}, cascade=True)
    (event,) = published(runtime, "save")
    assert event.data["institution"]["status"] is None
    assert event.data["departments"] == [] and event.data["conditions"] == []
    assert "IN_NEGOTIATION" not in json.dumps(event.data)


def test_r17_a_remark_never_reaches_an_event_and_a_remark_only_save_publishes_nothing(
    runtime, feeder: Feeder, api_a: Api, world: World
) -> None:
    secret = f"geheim-{uuid.uuid4()}"
    save(api_a, world, {world.umc: "FULL"}, remark=secret)
    link(feeder, world.collection_id)
    save(api_a, world, {world.umc: "FULL"}, remark=secret + "-2")
    save(api_a, world, {world.general: "FULL"}, remark=secret + "-3")
    assert len(published(runtime, "save")) == 1  # the second save changed only the remark
    for envelope in outbox_events(runtime.engine):
        assert secret not in json.dumps(envelope.data)


def test_r17_republish_emits_every_institution_of_the_collection(runtime, api_a: Api, world: World) -> None:
    counts = republish(runtime.unit_of_work(), [world.collection_id])
    assert counts == {world.collection_id: 4}
    events = published(runtime)
    assert len(events) == 4 and {e.data["reason"] for e in events} == {"resync"}


def link(feeder: Feeder, collection_id: str) -> None:
    data = {
        "product_id": str(uuid.uuid4()),
        "collection_id": collection_id,
        "insurer_id": INSURER_A,
        "contract_year": 2026,
    }
    envelope = Envelope.new(type="products.collection.linked", data=data, producer="products")
    assert feeder.deliver(envelope, envelope) == ["acked", "acked"]


def test_r17_only_linked_collections_are_published_and_a_first_link_sends_the_collection_whole(
    runtime, feeder: Feeder, api_a: Api, world: World
) -> None:
    save(api_a, world, {world.umc: "FULL"}, cascade=True)
    assert published(runtime) == []  # no product links it: nobody reads it
    link(feeder, world.collection_id)
    events = published(runtime)
    assert len(events) == 4 and {e.data["reason"] for e in events} == {"link"}
    assert {e.data["institution"]["institution_id"]: e.data["institution"]["status"] for e in events}[
        world.umc
    ] == "FULL"
    link(feeder, world.collection_id)  # another product on the same collection: products has it already
    assert len(published(runtime)) == 4
    for envelope in events:
        validate_event(envelope)


def test_r16_r17_catalogue_changes_of_a_linked_collection_are_published(
    runtime, feeder: Feeder, catalogue: Catalogue, world: World
) -> None:
    catalogue.close(world.zbc)
    assert published(runtime) == []  # not linked: nobody reads it
    link(feeder, world.collection_id)
    before = len(published(runtime))
    catalogue.offering(world.general, (world.cardio,), (world.heart_failure,))
    catalogue.close(world.umc)
    events = published(runtime)[before:]
    assert [e.data["reason"] for e in events] == ["catalogue", "catalogue"]
    offering, closed = events
    assert offering.data["institution"]["institution_id"] == world.general
    assert [c["name"] for c in offering.data["conditions"]] == ["Hartfalen"]
    assert closed.data["institution"]["institution_id"] == world.umc and closed.data["institution"]["status"] is None
    assert closed.data["departments"] == [] and closed.data["conditions"] == []
    for envelope in events:
        validate_event(envelope)
