"""The catalogue's reference-data events as commands for a consumer's local copy (contracting, support).

``integration/inbound.py`` builds them with ``servicekit.messaging.inbound.from_data``; each carries the
entity's revision, so a redelivered or overtaken event changes nothing.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class RecordSpecialism:
    """``catalogue.specialism.added`` / ``.renamed``: the specialism's whole state."""

    specialism_id: str
    revision: int
    code: str
    name: str


@dataclass(frozen=True)
class RetireSpecialism:
    """``catalogue.specialism.retired``."""

    specialism_id: str
    revision: int


@dataclass(frozen=True)
class RecordCondition:
    """``catalogue.condition.added`` / ``.renamed``: the condition's whole state, under one specialism."""

    condition_id: str
    revision: int
    specialism_id: str
    name: str


@dataclass(frozen=True)
class RetireCondition:
    """``catalogue.condition.retired``."""

    condition_id: str
    revision: int


#: Each command and the events it is built from (the test holds them to these schemas).
MIRRORS: dict[type, tuple[str, ...]] = {
    RecordSpecialism: ("catalogue.specialism.added", "catalogue.specialism.renamed"),
    RetireSpecialism: ("catalogue.specialism.retired",),
    RecordCondition: ("catalogue.condition.added", "catalogue.condition.renamed"),
    RetireCondition: ("catalogue.condition.retired",),
}
