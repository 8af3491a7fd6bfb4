"""The purchasing teams' tools (issue 15): copy a collection and compare two collections.

Both are set-based (``adapters.collection_tools``). The copy is one transaction: it completes or
leaves nothing, and is recorded in the new collection's history as one change "gekopieerd uit …".
"""

from __future__ import annotations

import json
from typing import Any

from sqlalchemy.orm import Session

from contracting.adapters.access import collection_ref, ensure_year_open, get_collection
from contracting.adapters.collection_tools import (
    copy_statuses,
    counts_per_pair,
    differences,
    linked_collection,
    predecessor_of,
)
from contracting.adapters.orm import collection, status_change
from contracting.adapters.sql import new_id, now
from contracting.domain.commands import Actor, CopyCollection
from contracting.domain.events import CollectionCreated
from contracting.domain.exceptions import Conflict, NotFound
from contracting.domain.model import Level, check_collection_fields
from contracting.service_layer.collections import _name_taken
from servicekit.db import UnitOfWork


def copy_collection(cmd: CopyCollection, actor: Actor, uow: UnitOfWork) -> dict[str, Any]:
    """R4: copy a collection of the login year (statuses at all levels; remarks if asked) under a new name."""
    with uow:
        session = uow.session
        source = get_collection(session, actor, cmd.source_collection_id)
        check_collection_fields(name=cmd.name, care_type=source["care_type"], collection_type=cmd.collection_type)
        ensure_year_open(session, actor.insurer_id, actor.year)
        if _name_taken(session, actor.insurer_id, actor.year, cmd.name):
            raise Conflict(
                f"Er bestaat al een collectie '{cmd.name.strip()}' in {actor.year}.", field="name", rule="R4"
            )
        copy_id, at = new_id(), now()
        session.execute(
            collection.insert().values(
                id=copy_id,
                insurer_id=actor.insurer_id,
                year=actor.year,
                name=cmd.name.strip(),
                care_type=source["care_type"],
                collection_type=cmd.collection_type,
                description=cmd.description,
                created_at=at,
                created_by=actor.user_name,
            )
        )
        written = copy_statuses(session, str(source["id"]), copy_id, with_remarks=cmd.with_remarks)
        _record_copy(session, actor, copy_id, source, sum(written.values()), cmd.with_remarks)
        row = get_collection(session, actor, copy_id)
        uow.emit(CollectionCreated(collection_ref(row)))
        uow.commit()
        return dict(row) | {"copied": written}


def _record_copy(session: Session, actor: Actor, copy_id: str, source: Any, count: int, with_remarks: bool) -> None:
    scope = {
        "kind": "copy",
        "from_collection_id": str(source["id"]),
        "from_name": source["name"],
        "with_remarks": with_remarks,
        "description": f"gekopieerd uit '{source['name']}'",
    }
    session.execute(
        status_change.insert().values(
            id=new_id(),
            insurer_id=actor.insurer_id,
            year=actor.year,
            collection_id=copy_id,
            level=Level.INSTITUTION.value,
            kind="copy",
            status=None,
            cascade=True,
            scope=json.dumps(scope),
            count=count,
            actor_id=actor.user_id,
            actor_name=actor.user_name,
            at=now(),
        )
    )


def compare_collections(
    session: Session, actor: Actor, collection_id: str, other_id: str | None, args: dict[str, Any]
) -> dict[str, Any]:
    """Per level the rows whose status differs, with counts per pair of statuses.

    Without ``other_id`` the collection is compared with its predecessor of last year (the rollover's source).
    """
    this = get_collection(session, actor, collection_id)
    if other_id is not None:
        other = get_collection(session, actor, other_id)
    else:
        other = predecessor_of(session, actor.insurer_id, this)
        if other is None:
            raise NotFound(
                f"De collectie '{this['name']}' heeft geen voorganger in {this['year'] - 1}; kies een collectie "
                "om mee te vergelijken.",
                field="other_collection_id",
            )
    levels = [Level(args["level"])] if args.get("level") else list(Level)
    result: dict[str, Any] = {}
    for level in levels:
        rows = differences(session, level, str(this["id"]), str(other["id"]), args)
        result[level.value] = {"counts": counts_per_pair(rows), "items": rows}
    return {
        "collection": _side(this),
        "other_collection": _side(other),
        "levels": result,
    }


def compare_product(session: Session, actor: Actor, product_id: str, args: dict[str, Any]) -> dict[str, Any]:
    """For a product: the differences of its linked collection against last year's predecessor.

    What a policy holder's contracted care changed. Contracting knows which product links which collection
    from products' events (its own copy of the links), so no call to the products service is needed; a
    product of another insurer, or one linking nothing this year, is not found (404).
    """
    linked = linked_collection(session, actor.insurer_id, actor.year, product_id)
    if linked is None:
        raise NotFound(
            f"Dit product is in {actor.year} niet gekoppeld aan een collectie van uw verzekeraar "
            "(Producten > Koppel producten).",
            field="product_id",
            rule="R13",
        )
    return compare_collections(session, actor, str(linked["id"]), None, args) | {"product_id": product_id}


def _side(row: Any) -> dict[str, Any]:
    return {"collection_id": str(row["id"]), "name": row["name"], "contract_year": row["year"]}


#: The status shown for the side of a comparison that has no row (the row is in one collection only).
NO_ROW = "geen rij"

COMPARE_CSV_HEADER = [
    "niveau",
    "instelling_id",
    "instelling",
    "agb_code",
    "onderdeel_id",
    "onderdeel",
    "status",
    "status_vergeleken",
    "gewijzigd_door",
    "gewijzigd_door_vergeleken",
]


def compare_rows(comparison: dict[str, Any]) -> list[list[Any]]:
    """The differences as spreadsheet lines (header first) for the CSV/XLSX export."""
    lines: list[list[Any]] = [COMPARE_CSV_HEADER]
    for level, answer in comparison["levels"].items():
        for item in answer["items"]:
            lines.append(
                [
                    level,
                    item["institution_id"],
                    item["institution_name"],
                    item["agb_code"],
                    item["subject_id"] or "",
                    item["subject_name"] or "",
                    item["status"] or NO_ROW,
                    item["other_status"] or NO_ROW,
                    item["changed_by"] or "",
                    item["other_changed_by"] or "",
                ]
            )
    return lines
