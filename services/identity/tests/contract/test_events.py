"""Every event identity emits validates against its contract in shared/contracts/events/identity/."""

from __future__ import annotations

import pytest
from jsonschema import Draft202012Validator

from identity.service_layer.handlers import INSURER_REGISTERED, INSURER_RENAMED, USER_DEACTIVATED, insurer_id_for
from servicekit.contracts import examples, load_schema, validate_event
from servicekit.testing.outbox import outbox_events

EVENTS = (INSURER_REGISTERED, INSURER_RENAMED, USER_DEACTIVATED)


@pytest.mark.parametrize("event_type", EVENTS)
def test_each_contract_is_a_valid_schema_with_valid_examples(event_type: str) -> None:
    schema = load_schema(event_type, 1)
    assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    assert examples(event_type)
    for sample in examples(event_type):
        Draft202012Validator(schema).validate(sample)


def test_every_emitted_payload_validates(portal, runtime) -> None:
    platform = portal.as_user("platform")
    client = portal.client
    client.patch(
        f"/api/identity/insurers/{insurer_id_for('cz')}", json={"name": "CZ Zorgverzekeringen"}, headers=platform
    )
    client.post("/api/identity/insurers", json={"slug": "dsw", "name": "DSW"}, headers=platform)
    for username in ("zk-inkoper", "beheerder"):  # with and without an insurer
        target = portal.login(username).json["user"]["id"]
        assert client.post(f"/api/identity/users/{target}/deactivation", headers=platform).status_code == 200

    emitted = outbox_events(runtime.engine)
    assert {envelope.type for envelope in emitted} == set(EVENTS)
    for envelope in emitted:
        assert envelope.producer == "identity"
        assert envelope.version == 1
        validate_event(envelope)
    deactivated = [e.data for e in emitted if e.type == USER_DEACTIVATED]
    assert {d["insurer_id"] for d in deactivated} == {insurer_id_for("zilverenkruis"), None}
    assert len([e for e in emitted if e.type == INSURER_REGISTERED]) == 5  # four demo insurers and DSW
