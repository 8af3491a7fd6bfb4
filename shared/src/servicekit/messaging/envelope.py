"""The one event envelope: ``{id, type, version, occurred_at, producer, correlation_id, causation_id, data}``.

JSON only, never pickle. ``type`` is a stable string such as ``catalogue.institution.registered``
and doubles as the routing key.
"""

from __future__ import annotations

import json
import re
import uuid
from dataclasses import asdict, dataclass
from datetime import UTC, datetime
from typing import Any

EVENT_TYPE_PATTERN = re.compile(r"^[a-z][a-z0-9_]*(\.[a-z][a-z0-9_]*){2,}$")


class InvalidEnvelope(ValueError):
    """A message body that is not a valid envelope (wrong JSON, missing or malformed field)."""


@dataclass(frozen=True)
class Envelope:
    id: str
    type: str
    version: int
    occurred_at: str
    producer: str
    correlation_id: str
    causation_id: str | None
    data: dict[str, Any]

    @classmethod
    def new(
        cls,
        *,
        type: str,
        data: dict[str, Any],
        producer: str,
        correlation_id: str | None = None,
        causation_id: str | None = None,
        version: int = 1,
    ) -> Envelope:
        if not EVENT_TYPE_PATTERN.match(type):
            raise InvalidEnvelope(f"event type {type!r} must look like '<producer>.<entity>.<happened>'")
        message_id = str(uuid.uuid4())
        return cls(
            id=message_id,
            type=type,
            version=version,
            occurred_at=datetime.now(UTC).isoformat(timespec="microseconds"),
            producer=producer,
            correlation_id=correlation_id or message_id,
            causation_id=causation_id,
            data=data,
        )

    def to_json(self) -> str:
        return json.dumps(asdict(self), ensure_ascii=False, separators=(",", ":"), default=str)

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_json(cls, raw: str | bytes) -> Envelope:
        try:
            payload = json.loads(raw)
        except (ValueError, UnicodeDecodeError) as exc:
            raise InvalidEnvelope(f"not JSON: {exc}") from exc
        return cls.from_dict(payload)

    @classmethod
    def from_dict(cls, payload: Any) -> Envelope:
        if not isinstance(payload, dict):
            raise InvalidEnvelope("envelope must be a JSON object")
        required = {"id": str, "type": str, "version": int, "occurred_at": str, "producer": str, "data": dict}
        for name, kind in required.items():
            if not isinstance(payload.get(name), kind):
                raise InvalidEnvelope(f"envelope field {name!r} missing or not a {kind.__name__}")
        return cls(
            id=payload["id"],
            type=payload["type"],
            version=payload["version"],
            occurred_at=payload["occurred_at"],
            producer=payload["producer"],
            correlation_id=payload.get("correlation_id") or payload["id"],
            causation_id=payload.get("causation_id"),
            data=payload["data"],
        )
