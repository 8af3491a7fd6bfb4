"""Domain events -> integration events (``shared/contracts/events/products/*.v1.json``)."""

from __future__ import annotations

from typing import Any

from products.domain.events import CollectionLinked, CollectionUnlinked

COLLECTION_LINKED = "products.collection.linked"
COLLECTION_UNLINKED = "products.collection.unlinked"


def integration_events(event: object) -> list[tuple[str, dict[str, Any]]]:
    if isinstance(event, CollectionLinked):
        data = {
            "product_id": event.product_id,
            "collection_id": event.collection_id,
            "insurer_id": event.insurer_id,
            "contract_year": event.year,
        }
        return [(COLLECTION_LINKED, data)]
    if isinstance(event, CollectionUnlinked):
        return [(COLLECTION_UNLINKED, {"product_id": event.product_id, "collection_id": event.collection_id})]
    raise TypeError(f"no integration event for {type(event).__name__}")
