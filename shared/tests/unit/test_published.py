"""The shared typed payloads name exactly the fields of the events they are built from."""

from __future__ import annotations

import dataclasses

import pytest

from servicekit.contracts import load_schema
from servicekit.messaging.inbound import from_data
from servicekit.published import catalogue

CASES = [(command, event) for command, events in catalogue.MIRRORS.items() for event in events]


@pytest.mark.parametrize(("command", "event_type"), CASES, ids=[f"{c.__name__}-{e}" for c, e in CASES])
def test_a_shared_command_has_exactly_its_events_required_fields(command: type, event_type: str) -> None:
    schema = load_schema(event_type, 1)
    fields = [field.name for field in dataclasses.fields(command)]
    assert sorted(fields) == sorted(schema["required"])
    assert set(fields) == set(schema["properties"])


@pytest.mark.parametrize(("command", "event_type"), CASES, ids=[f"{c.__name__}-{e}" for c, e in CASES])
def test_each_schema_example_builds_its_command(command: type, event_type: str) -> None:
    examples = load_schema(event_type, 1).get("examples", [])
    assert examples, f"{event_type} has no example to build from"
    for example in examples:
        built = from_data(command)(example)
        assert dataclasses.asdict(built) == {name: example[name] for name in dataclasses.asdict(built)}
