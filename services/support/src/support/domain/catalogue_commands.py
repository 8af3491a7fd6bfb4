"""Commands that keep the local catalogue copy (R15's checks read it), one per thing a catalogue event asks.

``integration/inbound.py`` builds them from the catalogue's events; each carries the entity's revision,
so a redelivered or overtaken event changes nothing.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class RecordInstitution:
    """An institution registered or changed."""

    institution_id: str
    revision: int
    agb_code: str
    name: str


@dataclass(frozen=True)
class CloseInstitution:
    """An institution closed or merged into another: R15 refuses requests about it from now on."""

    institution_id: str
    revision: int


@dataclass(frozen=True)
class RecordSpecialism:
    """A specialism added or renamed."""

    specialism_id: str
    revision: int
    code: str
    name: str


@dataclass(frozen=True)
class RetireSpecialism:
    specialism_id: str
    revision: int


@dataclass(frozen=True)
class RecordCondition:
    """A condition added or renamed."""

    condition_id: str
    revision: int
    specialism_id: str
    name: str


@dataclass(frozen=True)
class RetireCondition:
    condition_id: str
    revision: int
