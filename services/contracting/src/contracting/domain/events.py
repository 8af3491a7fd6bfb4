"""Domain events: what happened in contracting, as plain values.

Handlers record them with ``uow.emit(event)``; ``integration/outbound.py`` decides which
integration events (and payloads) each becomes. The service layer never imports the integration
layer, and a new consumer of a fact (for example a publication event per collection and
institution) starts from one of these values instead of from a call site.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from contracting.domain.commands import Actor
from contracting.domain.model import Level, Status


@dataclass(frozen=True)
class Change:
    """The who and when of one save: its history rows and its :class:`StatusesChanged` share its id."""

    id: str
    actor: Actor
    at: datetime


@dataclass(frozen=True)
class CollectionRef:
    """What the outside world knows of a collection."""

    id: str
    insurer_id: str
    year: int
    name: str
    care_type: str
    collection_type: str


@dataclass(frozen=True)
class StatusesChanged:
    """One save (rows, a filter, an import): its rows are the ``status_history`` rows of ``change_id``.

    ``count`` is the number of rows whose status or remark changed at ``level``; ``cascaded`` the
    rows changed per level below it (R7/R9). ``touched`` also counts rows whose only change was
    losing their "new" mark: a save that touched nothing is not recorded at all (and does not move
    the collection's ``status_version``).
    """

    change: Change
    collection: CollectionRef
    level: Level
    kind: str  # rows | filter | import
    status: Status | None
    cascade: bool
    count: int
    cascaded: Mapping[str, int]
    scope: Mapping[str, Any]
    touched: int = 0

    @property
    def change_id(self) -> str:
        return self.change.id

    @property
    def changed_anything(self) -> bool:
        return self.count > 0 or any(self.cascaded.values()) or self.touched > 0


@dataclass(frozen=True)
class CollectionCreated:
    collection: CollectionRef
    source_collection_id: str | None = None


@dataclass(frozen=True)
class CollectionRenamed:
    collection: CollectionRef
    old_name: str


@dataclass(frozen=True)
class CollectionDeleted:
    collection: CollectionRef


@dataclass(frozen=True)
class CollectionCopied:
    """One collection of the old year and its copy in the new year (R3)."""

    from_collection_id: str
    to_collection_id: str
    name: str


@dataclass(frozen=True)
class YearRolledOver:
    """R3: an insurer's year ``from_year`` was copied into ``to_year``."""

    insurer_id: str
    from_year: int
    to_year: int
    copies: tuple[CollectionCopied, ...] = field(default_factory=tuple)


@dataclass(frozen=True)
class PublishedInstitution:
    """R17: what may be published of one institution in one collection: never a remark.

    ``status`` is None while the institution is IN_NEGOTIATION (left out of the publication);
    ``departments`` and ``conditions`` hold only published statuses (IN_NEGOTIATION rows left out).
    """

    institution_id: str
    agb_code: str
    name: str
    type: str
    country: str
    city: str | None
    status: str | None
    departments: tuple[Mapping[str, Any], ...] = ()
    conditions: tuple[Mapping[str, Any], ...] = ()


@dataclass(frozen=True)
class PublicationChanged:
    """R17: the published state of these institutions of one collection, after a save, a rollover or a resync.

    ``version`` is the collection's ``status_version`` it reflects: a consumer applies a state only
    when it is at least as new as the one it holds (events can overtake each other on redelivery).
    """

    collection: CollectionRef
    version: int
    changed_at: datetime
    institutions: tuple[PublishedInstitution, ...]
    reason: str  # save | rollover | resync
