"""Integration event contracts: one JSON Schema per event type and version, owned by its producer.

Files live at ``shared/contracts/events/<producer>/<type>.v<N>.json`` and describe the envelope's
``data``. Producers' contract tests validate every payload they emit; consumers' contract tests feed
each subscribed schema's ``examples`` to their handlers.
"""

from __future__ import annotations

import json
import os
from functools import lru_cache
from pathlib import Path
from typing import Any

from jsonschema import Draft202012Validator

from servicekit.messaging.envelope import Envelope


def contracts_dir() -> Path:
    configured = os.environ.get("EVENT_CONTRACTS_DIR")
    if configured:
        return Path(configured)
    return Path(__file__).resolve().parents[2] / "contracts" / "events"


def schema_path(event_type: str, version: int) -> Path:
    producer = event_type.split(".", 1)[0]
    return contracts_dir() / producer / f"{event_type}.v{version}.json"


@lru_cache(maxsize=256)
def load_schema(event_type: str, version: int) -> dict[str, Any]:
    path = schema_path(event_type, version)
    if not path.is_file():
        raise FileNotFoundError(f"no contract for {event_type} v{version}: expected {path}")
    schema: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    Draft202012Validator.check_schema(schema)
    return schema


def validate_event(envelope: Envelope) -> None:
    """Raise ``jsonschema.ValidationError`` when ``envelope.data`` breaks its contract."""
    Draft202012Validator(load_schema(envelope.type, envelope.version)).validate(envelope.data)


def examples(event_type: str, version: int = 1) -> list[dict[str, Any]]:
    """The samples a schema carries (``examples``), for consumers' contract tests."""
    return list(load_schema(event_type, version).get("examples", []))


def all_contracts() -> list[tuple[str, int]]:
    found = []
    for path in sorted(contracts_dir().glob("*/*.v*.json")):
        stem = path.name[: -len(".json")]
        event_type, _, version = stem.rpartition(".v")
        found.append((event_type, int(version)))
    return found
