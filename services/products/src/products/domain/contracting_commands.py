"""Commands that contracting's events become (``integration/inbound.py``): the local collection copy,
the year rollover (R3) and the publication read model (R17)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class RecordCollection:
    """A collection created (with its type) or renamed (``collection_type`` None: kept as it is)."""

    collection_id: str
    insurer_id: str
    contract_year: int
    name: str
    collection_type: str | None = None


@dataclass(frozen=True)
class ForgetCollection:
    """A collection deleted: its links and published rows go too."""

    collection_id: str


@dataclass(frozen=True)
class CollectionCarried:
    from_collection_id: str
    to_collection_id: str
    name: str


@dataclass(frozen=True)
class CarryProducts:
    """R3: the insurer's products of ``from_year`` carry on into ``to_year``, linked to their collections' copies."""

    insurer_id: str
    from_year: int
    to_year: int
    collections: tuple[CollectionCarried, ...]


@dataclass(frozen=True)
class ApplyPublication:
    """R17: one institution's whole published state in one collection, as of ``version``."""

    collection_id: str
    version: int
    changed_at: str
    institution: dict[str, Any]
    departments: list[dict[str, Any]]
    conditions: list[dict[str, Any]]

    def snapshot(self) -> dict[str, Any]:
        """What a consumer sees of the institution (its digest tells whether anything changed)."""
        return {"institution": self.institution, "departments": self.departments, "conditions": self.conditions}
