"""Commands that keep the local catalogue copy (R15's checks read it), one per thing a catalogue event asks.

``integration/inbound.py`` builds them from the catalogue's events; each carries the entity's revision,
so a redelivered or overtaken event changes nothing.
"""

from __future__ import annotations

from dataclasses import dataclass

# Specialisms and conditions: the same commands as contracting's copy, declared once beside their event schemas.
from servicekit.published.catalogue import RecordCondition, RecordSpecialism, RetireCondition, RetireSpecialism

__all__ = [
    "CloseInstitution",
    "RecordCondition",
    "RecordInstitution",
    "RecordSpecialism",
    "RetireCondition",
    "RetireSpecialism",
]


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
