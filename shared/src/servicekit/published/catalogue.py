"""The catalogue's events as commands for a consumer's local copy (contracting, support).

``integration/inbound.py`` builds them from the events' data (``servicekit.messaging.inbound.from_data``
where the names match); each carries the entity's revision, so a redelivered or overtaken event changes
nothing. Specialisms and conditions are copied whole. Of an institution every consumer keeps at least
what :class:`RecordInstitution` and :class:`CloseInstitution` name; a consumer that keeps more extends them
in its own ``domain/`` (contracting adds type, place, group and dates).
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class RecordInstitution:
    """``catalogue.institution.registered`` / ``.changed``: who the institution is, by AGB code and name."""

    institution_id: str
    revision: int
    agb_code: str
    name: str


@dataclass(frozen=True)
class CloseInstitution:
    """``catalogue.institution.closed`` / ``.merged``: the institution is gone from now on."""

    institution_id: str
    revision: int


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


#: Each command and the events it is built from: its fields are required keys of each (a kit test).
MIRRORS: dict[type, tuple[str, ...]] = {
    RecordInstitution: ("catalogue.institution.registered", "catalogue.institution.changed"),
    CloseInstitution: ("catalogue.institution.closed", "catalogue.institution.merged"),
    RecordSpecialism: ("catalogue.specialism.added", "catalogue.specialism.renamed"),
    RetireSpecialism: ("catalogue.specialism.retired",),
    RecordCondition: ("catalogue.condition.added", "catalogue.condition.renamed"),
    RetireCondition: ("catalogue.condition.retired",),
}

#: The commands that carry their entity's whole state: they name every key of their events.
WHOLE_STATE: tuple[type, ...] = (RecordSpecialism, RetireSpecialism, RecordCondition, RetireCondition)
