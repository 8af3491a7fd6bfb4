"""Domain outcomes -> integration events (``shared/contracts/events/contracting/*.v1.json``). Small, ID-based."""

from __future__ import annotations

from typing import Any

from servicekit.db import UnitOfWork

COLLECTION_CREATED = "contracting.collection.created"
COLLECTION_RENAMED = "contracting.collection.renamed"
COLLECTION_DELETED = "contracting.collection.deleted"
STATUSES_CHANGED = "contracting.statuses.changed"
YEAR_ROLLED_OVER = "contracting.year.rolled_over"


def collection_payload(row: Any) -> dict[str, Any]:
    return {
        "collection_id": str(row["id"]),
        "insurer_id": str(row["insurer_id"]),
        "contract_year": int(row["year"]),
        "name": row["name"],
        "care_type": row["care_type"],
        "collection_type": row["collection_type"],
    }


def collection_created(uow: UnitOfWork, row: Any, source_collection_id: str | None = None) -> None:
    uow.publish(COLLECTION_CREATED, collection_payload(row) | {"source_collection_id": source_collection_id})


def collection_renamed(uow: UnitOfWork, row: Any, old_name: str) -> None:
    data = collection_payload(row)
    uow.publish(
        COLLECTION_RENAMED,
        {k: data[k] for k in ("collection_id", "insurer_id", "contract_year", "name")} | {"old_name": old_name},
    )


def collection_deleted(uow: UnitOfWork, row: Any) -> None:
    uow.publish(
        COLLECTION_DELETED,
        {"collection_id": str(row["id"]), "insurer_id": str(row["insurer_id"]), "contract_year": int(row["year"])},
    )


def statuses_changed(
    uow: UnitOfWork,
    *,
    collection: Any,
    change_id: str,
    level: str,
    kind: str,
    status: str | None,
    cascade: bool,
    count: int,
    cascaded: dict[str, int],
    scope: dict[str, Any],
) -> None:
    uow.publish(
        STATUSES_CHANGED,
        {
            "change_id": change_id,
            "collection_id": str(collection["id"]),
            "insurer_id": str(collection["insurer_id"]),
            "contract_year": int(collection["year"]),
            "level": level,
            "kind": kind,
            "status": status,
            "cascade": cascade,
            "count": count,
            "cascaded": cascaded,
            "scope": scope,
        },
    )


def year_rolled_over(
    uow: UnitOfWork, *, insurer_id: str, from_year: int, to_year: int, pairs: list[dict[str, str]]
) -> None:
    uow.publish(
        YEAR_ROLLED_OVER,
        {"insurer_id": insurer_id, "from_year": from_year, "to_year": to_year, "collections": pairs},
    )
