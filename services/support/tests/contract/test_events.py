"""Contracts: the approval event validates (see the API tests); every catalogue schema this service
subscribes to has its examples handled, twice, through the real consumer path (inbox + savepoint)."""

from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy import select

from servicekit.contracts import examples, load_schema
from servicekit.messaging.consumer import InboxConsumer
from servicekit.messaging.envelope import Envelope
from support.adapters.orm import catalogue_specialism
from support.integration.inbound import CATALOGUE_HANDLERS, subscriptions
from support.integration.outbound import CHANGE_REQUEST_APPROVED


class FakeMessage:
    def __init__(self, body: str) -> None:
        self.body, self.headers, self.delivery_tag, self.outcome = body, {}, body[:20], ""

    def ack(self) -> None:
        self.outcome = "acked"

    def requeue(self) -> None:
        self.outcome = "requeued"

    def reject(self, requeue: bool = False) -> None:
        self.outcome = "rejected"


def _deliver(runtime: Any, event_type: str, data: dict[str, Any]) -> str:
    [subscription] = subscriptions()
    consumer = InboxConsumer(runtime.engine, subscription, amqp_url="memory://", exchange="test")
    message = FakeMessage(Envelope.new(type=event_type, data=data, producer="catalogue").to_json())
    consumer.process_batch([message], dead_letter=lambda m: None)  # type: ignore[list-item]
    return message.outcome


# what an example refers to must be known first (a closure of an unknown institution is retried)
PREREQUISITES = {
    "institution": ("catalogue.institution.registered", "institution_id"),
    "specialism": ("catalogue.specialism.added", "specialism_id"),
    "condition": ("catalogue.condition.added", "condition_id"),
}


@pytest.mark.parametrize("event_type", sorted(CATALOGUE_HANDLERS))
def test_every_subscribed_example_is_handled_twice(runtime: Any, event_type: str) -> None:
    entity = event_type.split(".")[1]
    for sample in examples(event_type):
        added_type, key = PREREQUISITES[entity]
        if added_type != event_type and not event_type.endswith(("renamed", "changed")):
            base = dict(examples(added_type)[0]) | {key: sample[key], "revision": 1}
            assert _deliver(runtime, added_type, base) == "acked"
        for _ in range(2):
            assert _deliver(runtime, event_type, sample) == "acked"


def test_a_closure_before_the_registration_is_retried_not_lost(runtime: Any) -> None:
    [sample] = examples("catalogue.institution.closed")[:1]
    assert _deliver(runtime, "catalogue.institution.closed", sample) == "requeued"


def test_stale_revisions_change_nothing(runtime: Any) -> None:
    [added] = examples("catalogue.specialism.added")[:1]
    newer = added | {"revision": 5, "name": "Nieuwe naam"}
    assert _deliver(runtime, "catalogue.specialism.renamed", newer) == "acked"
    assert _deliver(runtime, "catalogue.specialism.added", added | {"revision": 4, "name": "Oud"}) == "acked"
    with runtime.engine.connect() as connection:
        name = connection.scalar(
            select(catalogue_specialism.c.name).where(catalogue_specialism.c.id == added["specialism_id"])
        )
    assert name == "Nieuwe naam"


def test_the_approval_schema_is_strict() -> None:
    schema = load_schema(CHANGE_REQUEST_APPROVED, 1)
    assert schema["additionalProperties"] is False and set(schema["required"]) == set(schema["properties"])
    assert len(examples(CHANGE_REQUEST_APPROVED)) == 2
