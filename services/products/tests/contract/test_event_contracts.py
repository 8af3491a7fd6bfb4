"""Contracts: every payload products emits validates; every subscribed schema's examples are handled twice."""

from __future__ import annotations

from conftest import Feeder, World
from products.integration.inbound import subscriptions
from products.integration.outbound import COLLECTION_LINKED, COLLECTION_UNLINKED
from servicekit.contracts import examples, schema_path, validate_event
from servicekit.messaging.envelope import Envelope
from servicekit.testing.outbox import outbox_events

# Dependency order: the collections an example names exist before the rollover and the publication.
CONTRACTING_ORDER = [
    "contracting.collection.created",
    "contracting.collection.renamed",
    "contracting.year.rolled_over",
    "contracting.publication.changed",
    "contracting.collection.deleted",
]


def test_every_emitted_payload_validates_against_its_schema(runtime, user_a, world: World) -> None:
    rows = [{"product_id": world.product_a, "collection_id": world.basis_a}]
    assert user_a.put("/links", json={"rows": rows}).status_code == 200
    assert user_a.put("/links", json={"rows": [rows[0] | {"collection_id": None}]}).status_code == 200
    events = outbox_events(runtime.engine)
    assert {e.type for e in events} == {COLLECTION_LINKED, COLLECTION_UNLINKED}
    for envelope in events:
        assert envelope.producer == "products"
        validate_event(envelope)


def test_subscribed_types_all_have_schemas() -> None:
    subscribed = {t for s in subscriptions() for t in s.handlers}
    assert subscribed == set(CONTRACTING_ORDER)
    for event_type in subscribed:
        assert schema_path(event_type, 1).is_file(), event_type


def test_contracting_examples_are_handled_twice_without_error(feeder: Feeder) -> None:
    for event_type in CONTRACTING_ORDER:
        for sample in examples(event_type):
            envelope = Envelope.new(type=event_type, data=sample, producer="contracting")
            validate_event(envelope)
            again = Envelope.new(type=event_type, data=sample, producer="contracting")
            assert feeder.deliver(envelope, envelope, again) == ["acked"] * 3, (event_type, sample)
