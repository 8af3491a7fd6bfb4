"""The shared typed payloads name fields of the events they are built from, and whole ones all of them."""

from __future__ import annotations

import dataclasses

import pytest

from servicekit.contracts import load_schema
from servicekit.messaging.inbound import from_data
from servicekit.published import catalogue

CASES = [(command, event) for command, events in catalogue.MIRRORS.items() for event in events]
IDS = [f"{command.__name__}-{event}" for command, event in CASES]


def _fields(command: type) -> list[str]:
    return [field.name for field in dataclasses.fields(command)]


@pytest.mark.parametrize(("command", "event_type"), CASES, ids=IDS)
def test_a_shared_command_names_only_required_fields_of_its_events(command: type, event_type: str) -> None:
    schema = load_schema(event_type, 1)
    assert set(_fields(command)) <= set(schema["required"])
    if command in catalogue.WHOLE_STATE:
        assert sorted(_fields(command)) == sorted(schema["required"]) == sorted(schema["properties"])


@pytest.mark.parametrize(("command", "event_type"), CASES, ids=IDS)
def test_each_schema_example_builds_its_command(command: type, event_type: str) -> None:
    examples = load_schema(event_type, 1).get("examples", [])
    assert examples, f"{event_type} has no example to build from"
    for example in examples:
        built = from_data(command)(example)
        assert dataclasses.asdict(built) == {name: example[name] for name in _fields(command)}


def test_every_whole_state_command_is_mirrored() -> None:
    assert set(catalogue.WHOLE_STATE) <= set(catalogue.MIRRORS)
