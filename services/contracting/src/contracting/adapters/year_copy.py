"""The SQL of R3's year copy: which collections to copy, the copies, and one INSERT ... SELECT per level.

No status row ever passes through Python, so memory stays flat as the data grows.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import case, exists, func, literal, or_, select
from sqlalchemy.orm import Session

from contracting.adapters import orm
from contracting.adapters.sql import new_id, rows_written

#: Per level its table and key columns after ``collection_id``, in copy order.
LEVELS = (
    (orm.institution_status, ("institution_id",)),
    (orm.department_status, ("institution_id", "specialism_id")),
    (orm.condition_status, ("institution_id", "condition_id")),
)
STATUS_COLUMNS = ("status", "remark", "version", "change_id", "changed_by", "changed_at")


def insurers_with_collections(session: Session, year: int) -> list[str]:
    query = select(orm.collection.c.insurer_id).distinct().where(orm.collection.c.year == year)
    return [str(i) for i in session.execute(query).scalars()]


def lock_years(session: Session, insurer_ids: Sequence[str], year: int) -> None:
    """One rollover per source year at a time: lock its contract-year rows until commit."""
    session.execute(
        select(orm.contract_year.c.insurer_id)
        .where(orm.contract_year.c.insurer_id.in_(insurer_ids), orm.contract_year.c.year == year)
        .with_for_update()
    ).all()


def sources_without_copy(session: Session, insurer_ids: Sequence[str], from_year: int, to_year: int) -> list[Any]:
    """Collections of ``from_year`` with no copy (or namesake) in ``to_year`` yet: a second run copies nothing."""
    twin = orm.collection.alias("twin")
    already = exists().where(
        twin.c.insurer_id == orm.collection.c.insurer_id,
        twin.c.year == to_year,
        or_(
            twin.c.source_collection_id == orm.collection.c.id,
            func.lower(twin.c.name) == func.lower(orm.collection.c.name),
        ),
    )
    query = (
        select(orm.collection)
        .where(orm.collection.c.insurer_id.in_(insurer_ids), orm.collection.c.year == from_year, ~already)
        .order_by(orm.collection.c.insurer_id, orm.collection.c.name)
    )
    return list(session.execute(query).mappings())


def rows_per_collection(session: Session, collection_ids: Sequence[str]) -> dict[str, int]:
    """Status rows at all three levels per collection (the job's ``rows_total``)."""
    per_collection: dict[str, int] = {}
    for table, _ in LEVELS:
        counts = session.execute(
            select(table.c.collection_id, func.count())
            .where(table.c.collection_id.in_(collection_ids))
            .group_by(table.c.collection_id)
        )
        for collection_id, n in counts:
            per_collection[str(collection_id)] = per_collection.get(str(collection_id), 0) + int(n)
    return per_collection


def insert_copies(
    session: Session, sources: Sequence[Any], to_year: int, by: str, at: datetime
) -> list[dict[str, Any]]:
    """The new year's collections (name, types, description), each pointing at its source."""
    copies = [
        {
            "id": new_id(),
            "insurer_id": source["insurer_id"],
            "year": to_year,
            "name": source["name"],
            "care_type": source["care_type"],
            "collection_type": source["collection_type"],
            "description": source["description"],
            "source_collection_id": str(source["id"]),
            "created_at": at,
            "created_by": by,
        }
        for source in sources
    ]
    if copies:
        session.execute(orm.collection.insert(), copies)
    return copies


def copy_level(session: Session, table: Any, keys: tuple[str, ...], mapping: dict[str, str]) -> int:
    """One INSERT ... SELECT: one level's statuses of every source collection into its new copy.

    ``mapping`` is source collection id -> new collection id, applied as a CASE so that the source
    is read with one scan (``collection_id IN (...)``) and no join to the freshly inserted
    collections, whose statistics the planner does not know yet (a join there chose a nested loop
    of sequential scans). Remarks and who decided travel along; closed institutions stay behind.
    """
    target = case(
        *[
            (table.c.collection_id == source, literal(new, table.c.collection_id.type))
            for source, new in mapping.items()
        ]
    )
    rows = (
        select(target, *[table.c[c] for c in keys])
        .add_columns(
            table.c.status, table.c.remark, literal(1), table.c.change_id, table.c.changed_by, table.c.changed_at
        )
        .select_from(table)
        .join(orm.institution, orm.institution.c.id == table.c.institution_id)
        .where(table.c.collection_id.in_(list(mapping)), orm.institution.c.closed_on.is_(None))
    )
    statement = table.insert().from_select(["collection_id", *keys, *STATUS_COLUMNS], rows)
    return rows_written(session, statement)


def record_copies(
    session: Session, copies: Sequence[dict[str, Any]], rows: dict[str, int], from_year: int, by: str
) -> None:
    """Per copy one ``rollover`` change in its history: where it came from and how many rows."""
    if not copies:
        return
    session.execute(
        orm.status_change.insert(),
        [
            {
                "id": new_id(),
                "insurer_id": copy["insurer_id"],
                "year": copy["year"],
                "collection_id": copy["id"],
                "level": "institution",
                "kind": "rollover",
                "status": None,
                "cascade": True,
                "scope": json.dumps(
                    {"kind": "rollover", "from_collection_id": copy["source_collection_id"], "from_year": from_year}
                ),
                "count": rows.get(copy["source_collection_id"], 0),
                "actor_id": by,
                "actor_name": by,
                "at": copy["created_at"],
            }
            for copy in copies
        ],
    )
