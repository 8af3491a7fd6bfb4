"""The SQL of the purchasing teams' tools: copy a collection, compare two collections.

Set-based like the year copy (``adapters.year_copy``): one ``INSERT ... SELECT`` per level for a copy,
one ``SELECT ... FULL JOIN`` per level for a comparison. No status row passes through Python on a copy.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Sequence
from typing import Any

from sqlalchemy import ColumnElement, RowMapping, Select, and_, func, literal, null, select
from sqlalchemy.orm import Session

from contracting.adapters import orm
from contracting.adapters.sql import id_text, rows_written
from contracting.domain.model import Level
from servicekit.search import folded_contains

#: Per level its table and its key columns after ``collection_id``.
LEVEL_TABLES: dict[Level, tuple[Any, tuple[str, ...]]] = {
    Level.INSTITUTION: (orm.institution_status, ("institution_id",)),
    Level.DEPARTMENT: (orm.department_status, ("institution_id", "specialism_id")),
    Level.CONDITION: (orm.condition_status, ("institution_id", "condition_id")),
}
COPIED_COLUMNS = ("status", "remark", "is_new", "version", "change_id", "changed_by", "changed_at")


def copy_statuses(
    session: Session,
    source_id: str,
    target_id: str,
    *,
    with_remarks: bool,
    progress: Callable[[int], Any] | None = None,
) -> dict[str, int]:
    """One ``INSERT ... SELECT`` per level: the source's rows under the new collection id.

    Statuses, "new" marks and who decided last travel along; remarks only when asked. Versions restart
    at 1, as in a new collection. ``progress`` hears the rows written so far after each level (a job's bar).
    """
    written: dict[str, int] = {}
    for level, (table, keys) in LEVEL_TABLES.items():
        rows = select(
            literal(target_id, table.c.collection_id.type),
            *[table.c[k] for k in keys],
            table.c.status,
            table.c.remark if with_remarks else null(),
            table.c.is_new,
            literal(1),
            table.c.change_id,
            table.c.changed_by,
            table.c.changed_at,
        ).where(table.c.collection_id == source_id)
        statement = table.insert().from_select(["collection_id", *keys, *COPIED_COLUMNS], rows)
        written[level.value] = rows_written(session, statement)
        if progress is not None:
            progress(sum(written.values()))
    return written


def predecessor_of(session: Session, insurer_id: str, collection_row: Any) -> Any:
    """The collection of the year before that the rollover copied this one from (same insurer), or None."""
    source_id = collection_row["source_collection_id"]
    if source_id is None:
        return None
    return (
        session.execute(
            select(orm.collection).where(
                orm.collection.c.id == source_id,
                orm.collection.c.insurer_id == insurer_id,
                orm.collection.c.year == collection_row["year"] - 1,
            )
        )
        .mappings()
        .one_or_none()
    )


def linked_collection(session: Session, insurer_id: str, year: int, product_id: str) -> Any:
    """The insurer's collection of the year that the product links (contracting's copy of products' links,
    kept by ``products.collection.linked|unlinked``), or None. A product links one hospital collection
    (R13); should it link several, the first by name answers."""
    linked = select(orm.collection_link.c.collection_id).where(orm.collection_link.c.product_id == product_id)
    return (
        session.execute(
            select(orm.collection)
            .where(
                orm.collection.c.id.in_(linked),
                orm.collection.c.insurer_id == insurer_id,
                orm.collection.c.year == year,
            )
            .order_by(orm.collection.c.name)
            .limit(1)
        )
        .mappings()
        .one_or_none()
    )


def _filters(level: Level, args: dict[str, Any], subject: Any) -> list[ColumnElement[bool]]:
    """The listings' filters (R8): group, type, name part, AGB code, specialism."""
    where: list[ColumnElement[bool]] = []
    if args.get("group_id"):
        where.append(orm.institution.c.group_id == args["group_id"])
    if args.get("type"):
        where.append(orm.institution.c.type == args["type"])
    if args.get("name"):
        where.append(folded_contains(orm.institution.c.name, args["name"]))
    if args.get("agb_code"):
        where.append(orm.institution.c.agb_code == args["agb_code"])
    if args.get("specialism_id"):
        if level is Level.DEPARTMENT:
            where.append(subject == args["specialism_id"])
        elif level is Level.CONDITION:
            where.append(orm.condition.c.specialism_id == args["specialism_id"])
    return where


def differences_query(level: Level, left_id: str, right_id: str, args: dict[str, Any]) -> Select[Any]:
    """``SELECT ... FULL JOIN``: the rows of one level whose status differs between two collections.

    A row present in only one of the two collections (an institution, department or condition the other
    one has no row for) differs too: the missing side's status and changer are NULL ("geen rij").
    Each side is filtered on its collection first, so the planner hash-joins two index scans.
    """
    table, keys = LEVEL_TABLES[level]
    columns = [table.c[k] for k in keys] + [table.c.status, table.c.changed_by]
    left = select(*columns).where(table.c.collection_id == left_id).subquery("l")
    right = select(*columns).where(table.c.collection_id == right_id).subquery("r")
    on = and_(*[left.c[k] == right.c[k] for k in keys])
    institution_id = func.coalesce(left.c.institution_id, right.c.institution_id)
    subject = func.coalesce(left.c[keys[1]], right.c[keys[1]]) if len(keys) > 1 else None
    # ids as text from the database: no per-row UUID conversion in Python (the answer goes out as JSON/CSV)
    query = (
        select(
            id_text(institution_id).label("institution_id"),
            orm.institution.c.name.label("institution_name"),
            orm.institution.c.agb_code,
            (id_text(subject) if subject is not None else null()).label("subject_id"),
            left.c.status.label("status"),
            right.c.status.label("other_status"),
            left.c.changed_by.label("changed_by"),
            right.c.changed_by.label("other_changed_by"),
        )
        .select_from(left.join(right, on, full=True))
        .join(orm.institution, orm.institution.c.id == institution_id)
        .where(left.c.status.is_distinct_from(right.c.status))
    )
    if level is Level.DEPARTMENT:
        query = query.join(orm.specialism, orm.specialism.c.id == subject).add_columns(
            orm.specialism.c.name.label("subject_name")
        )
    elif level is Level.CONDITION:
        query = query.join(orm.condition, orm.condition.c.id == subject).add_columns(
            orm.condition.c.name.label("subject_name")
        )
    else:
        query = query.add_columns(null().label("subject_name"))
    order = [orm.institution.c.name, institution_id] + ([subject] if subject is not None else [])
    return query.where(*_filters(level, args, subject)).order_by(*order)


def differences(
    session: Session, level: Level, left_id: str, right_id: str, args: dict[str, Any]
) -> Sequence[RowMapping]:
    """The differing rows as read-only mappings (one fetchall; the columns are the answer's fields).

    Run on the session's connection: a Core statement needs none of the ORM's per-row result handling.
    """
    return session.connection().execute(differences_query(level, left_id, right_id, args)).mappings().all()


def counts_per_pair(rows: Sequence[Any]) -> list[dict[str, Any]]:
    """How many rows went from which status to which (None: no row on that side), most frequent first."""
    pairs = Counter((row["status"], row["other_status"]) for row in rows)
    # a missing side (None, "geen rij") sorts after every status
    ordered = sorted(pairs.items(), key=lambda item: (-item[1], [s or "~" for s in item[0]]))
    return [{"status": a, "other_status": b, "count": n} for (a, b), n in ordered]


def count_rows(session: Session, collection_id: str) -> int:
    return sum(
        session.execute(select(func.count()).where(table.c.collection_id == collection_id)).scalar_one()
        for table, _ in LEVEL_TABLES.values()
    )
