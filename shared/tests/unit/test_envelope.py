"""The event envelope: JSON only, validated on the way in."""

from __future__ import annotations

import json

import pytest

from servicekit.correlation import correlation_scope
from servicekit.messaging.envelope import Envelope, InvalidEnvelope
from servicekit.messaging.outbox import build_envelope


def test_round_trip_keeps_every_field() -> None:
    envelope = Envelope.new(type="catalogue.institution.registered", data={"id": "1"}, producer="catalogue")
    again = Envelope.from_json(envelope.to_json())
    assert again == envelope
    assert set(json.loads(envelope.to_json())) == {
        "id",
        "type",
        "version",
        "occurred_at",
        "producer",
        "correlation_id",
        "causation_id",
        "data",
    }


def test_event_types_are_stable_dotted_names_not_class_names() -> None:
    with pytest.raises(InvalidEnvelope):
        Envelope.new(type="InstitutionRegistered", data={}, producer="catalogue")


@pytest.mark.parametrize(
    "raw",
    [
        b"not json",
        b"[]",
        b'{"id": "1"}',
        b'{"id":"1","type":"a.b.c","version":"1","occurred_at":"x","producer":"p","data":{}}',
    ],
)
def test_malformed_messages_are_refused(raw: bytes) -> None:
    with pytest.raises(InvalidEnvelope):
        Envelope.from_json(raw)


def test_events_carry_the_correlation_id_and_their_cause() -> None:
    with correlation_scope("corr-1", causation_id="msg-0"):
        envelope = build_envelope("identity", "identity.insurer.registered", {"insurer_id": "x"})
    assert envelope.correlation_id == "corr-1"
    assert envelope.causation_id == "msg-0"
    fresh = build_envelope("identity", "identity.insurer.registered", {"insurer_id": "x"})
    assert fresh.correlation_id == fresh.id and fresh.causation_id is None
