"""Domain events of the products service; ``integration/outbound.py`` maps them to integration events."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class CollectionLinked:
    product_id: str
    collection_id: str
    insurer_id: str
    year: int


@dataclass(frozen=True)
class CollectionUnlinked:
    product_id: str
    collection_id: str
