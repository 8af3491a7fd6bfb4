"""Contracts: every payload contracting emits validates; every subscribed schema's examples are handled twice."""

from __future__ import annotations

import io
import uuid

import pytest

from conftest import Api, Feeder, World, rows_by
from contracting.domain.model import FOREIGN_TYPE, INSTITUTION_TYPES
from contracting.integration.inbound import subscriptions
from contracting.integration.outbound import (
    COLLECTION_CREATED,
    COLLECTION_DELETED,
    COLLECTION_RENAMED,
    PUBLICATION_CHANGED,
    STATUSES_CHANGED,
    YEAR_ROLLED_OVER,
)
from servicekit.contracts import examples, load_schema, schema_path, validate_event
from servicekit.messaging.envelope import Envelope
from servicekit.testing.outbox import outbox_events
from servicekit.testing.servers import wait_for

EMITTED = {
    COLLECTION_CREATED,
    COLLECTION_RENAMED,
    COLLECTION_DELETED,
    STATUSES_CHANGED,
    YEAR_ROLLED_OVER,
    PUBLICATION_CHANGED,
}

# Dependency order: what an example refers to is delivered before it.
CATALOGUE_ORDER = [
    "catalogue.group.changed",
    "catalogue.group.retired",
    "catalogue.specialism.added",
    "catalogue.specialism.renamed",
    "catalogue.condition.added",
    "catalogue.condition.renamed",
    "catalogue.institution.registered",
    "catalogue.institution.changed",
    "catalogue.offering.changed",
    "catalogue.institution.closed",
    "catalogue.institution.merged",
    "catalogue.condition.retired",
    "catalogue.specialism.retired",
]


@pytest.mark.usefixtures("rollover_worker")
def test_every_emitted_payload_validates_against_its_schema(
    runtime, feeder: Feeder, api_a: Api, admin_a: Api, world: World
) -> None:
    link = {"product_id": str(uuid.uuid4()), "collection_id": world.collection_id}
    linked = link | {"insurer_id": world_insurer(api_a), "contract_year": 2026}
    feeder.deliver(Envelope.new(type="products.collection.linked", data=linked, producer="products"))  # R17 feed
    second = api_a.post("/collections", json={"name": "Selectief 2026", "collection_type": "selective"}).json
    api_a.patch(f"/collections/{second['collection_id']}", json={"name": "Budget 2026", "version": second["version"]})
    listing = rows_by(api_a.get(f"/collections/{world.collection_id}/institutions").json, "institution_id")
    api_a.patch(
        f"/collections/{world.collection_id}/institutions",
        json={
            "rows": [{"institution_id": world.umc, "status": "FULL", "version": listing[world.umc]["version"]}],
            "cascade": True,
        },
    )
    api_a.post(
        f"/collections/{world.collection_id}/institutions/apply-to-shown",
        json={"filter": {"name": "Zieken"}, "status": "PARTIAL"},
    )
    api_a.post(
        f"/collections/{world.collection_id}/institutions/{world.general}/departments/apply-to-shown",
        json={"filter": {"name": "oog"}, "status": "FULL", "cascade": True},
    )
    export = api_a.get(f"/collections/{world.collection_id}/export").data
    api_a.post(
        f"/collections/{world.collection_id}/import",
        data={"file": (io.BytesIO(export), "x.csv")},
        content_type="multipart/form-data",
    )
    api_a.delete(f"/collections/{second['collection_id']}")
    job = admin_a.post("/rollovers", json={"from_year": 2026}).json
    wait_for(lambda: admin_a.get(f"/rollovers/{job['job_id']}").json["state"] == "done", message="rollover")
    events = outbox_events(runtime.engine)
    assert {e.type for e in events} == EMITTED
    for envelope in events:
        assert envelope.producer == "contracting"
        validate_event(envelope)


def world_insurer(api: Api) -> str:
    return str(api.get("/collections").json[0]["insurer_id"])


def test_every_emitted_type_has_a_schema_with_valid_examples() -> None:
    for event_type in EMITTED:
        assert schema_path(event_type, 1).is_file()
        for sample in examples(event_type):
            validate_event(Envelope.new(type=event_type, data=sample, producer="contracting"))


def test_subscribed_types_all_have_schemas() -> None:
    subscribed = {t for s in subscriptions() for t in s.handlers}
    assert subscribed == set(CATALOGUE_ORDER) | {
        "products.collection.linked",
        "products.collection.unlinked",
        "support.change_request.approved",  # R15/R16: the requester's collection gets the requested status
    }
    for event_type in subscribed:
        assert schema_path(event_type, 1).is_file(), event_type


def test_catalogue_examples_are_handled_twice_without_error(runtime, feeder: Feeder, api_a: Api) -> None:
    api_a.post("/collections", json={"name": "Basis 2026", "collection_type": "basic"})
    registered = examples("catalogue.institution.registered")[0]
    for event_type in CATALOGUE_ORDER:
        for sample in examples(event_type):
            if event_type == "catalogue.offering.changed" or event_type == "catalogue.institution.merged":
                # the examples refer to a second institution the samples never register: register it first
                other = (
                    sample.get("institution_id")
                    if event_type == "catalogue.offering.changed"
                    else sample["into_institution_id"]
                )
                stub = dict(registered, institution_id=other, agb_code="06990002", name="Isala Kampen")
                feeder.deliver(Envelope.new(type="catalogue.institution.registered", data=stub, producer="catalogue"))
            envelope = Envelope.new(type=event_type, data=sample, producer="catalogue")
            validate_event(envelope)
            again = Envelope.new(type=event_type, data=sample, producer="catalogue")
            assert feeder.deliver(envelope, envelope, again) == ["acked"] * 3, (event_type, sample)


def test_products_examples_are_handled_twice_without_error(feeder: Feeder) -> None:
    for event_type in ("products.collection.linked", "products.collection.unlinked"):
        for sample in examples(event_type):
            envelope = Envelope.new(type=event_type, data=sample, producer="products")
            validate_event(envelope)
            assert feeder.deliver(envelope, Envelope.new(type=event_type, data=sample, producer="products")) == [
                "acked",
                "acked",
            ]


def test_the_institution_types_contracting_knows_are_the_catalogue_events_enum() -> None:
    """One vocabulary: contracting's list (reference lists, R11's foreign type) is the catalogue schema's enum."""
    for event_type in ("catalogue.institution.registered", "catalogue.institution.changed"):
        enum = load_schema(event_type, 1)["properties"]["type"]["enum"]
        assert list(INSTITUTION_TYPES) == enum, event_type
        assert FOREIGN_TYPE in enum
