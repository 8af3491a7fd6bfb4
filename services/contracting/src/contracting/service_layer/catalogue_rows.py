"""R16's status-row maintenance: the open years' rows follow the local catalogue copy.

Used by the catalogue's event handlers (``catalogue.py``) and by whatever else creates rows
(collections, rollover). New rows are added with one ``INSERT ... SELECT ... ON CONFLICT DO
NOTHING`` per level (nothing is ever entered twice); rows of what the catalogue no longer offers
leave the open years with one ``DELETE`` per level. Closed (past) years are left as they were:
they are history. Every statement is bounded by one institution, specialism or condition (or an
explicit list of collections), so none of them grows with the whole table or the history.
"""

from __future__ import annotations

import json
from typing import Any

from sqlalchemy import ColumnElement, and_, delete, false, func, literal, select, true, update
from sqlalchemy.orm import Session

from contracting.adapters.orm import (
    STATUS_HISTORY_COLUMNS,
    collection,
    condition,
    condition_status,
    contract_year,
    department_status,
    institution,
    institution_status,
    offering_condition,
    offering_department,
    specialism,
    status_change,
    status_history,
)
from contracting.adapters.scopes import default_status_below_clause, foreign_clause
from contracting.adapters.sql import insert_ignoring_duplicates, new_id, now, rows_written
from contracting.domain.model import DEFAULT_STATUS


def open_collection_ids() -> Any:
    """Collections of open contract years (the ones R16 keeps in step with the catalogue)."""
    return (
        select(collection.c.id)
        .join(
            contract_year,
            and_(contract_year.c.insurer_id == collection.c.insurer_id, contract_year.c.year == collection.c.year),
        )
        .where(contract_year.c.state == "open")
    )


def ensure_status_rows(
    session: Session,
    *,
    collection_ids: list[str] | None = None,
    institution_id: str | None = None,
    mark_new: bool = True,
) -> None:
    """Add the missing status rows for what the catalogue offers: three set-based statements.

    R16 defaults: an institution starts NOT_CONTRACTED; a department or condition is FULL where its
    parent is FULL, else NOT_CONTRACTED. R11: foreign hospitals get no rows below institution level.
    """
    scope = collection_ids if collection_ids is not None else open_collection_ids()
    _add_institution_rows(session, scope, institution_id, mark_new)
    _add_department_rows(session, scope, institution_id, mark_new)
    _add_condition_rows(session, scope, institution_id, mark_new)


def _insert_missing(session: Session, table: Any, columns: list[str], rows: Any) -> None:
    session.execute(insert_ignoring_duplicates(session, table).from_select(columns, rows).on_conflict_do_nothing())


def _add_institution_rows(session: Session, scope: Any, institution_id: str | None, mark_new: bool) -> None:
    where: list[ColumnElement[bool]] = [collection.c.id.in_(scope), institution.c.closed_on.is_(None)]
    if institution_id:
        where.append(institution.c.id == institution_id)
    rows = (
        select(collection.c.id, institution.c.id, literal(DEFAULT_STATUS.value), literal(mark_new))
        .select_from(collection)
        .join(institution, true())
        .where(*where)
    )
    _insert_missing(session, institution_status, ["collection_id", "institution_id", "status", "is_new"], rows)


def _add_department_rows(session: Session, scope: Any, institution_id: str | None, mark_new: bool) -> None:
    ist = institution_status
    where = [ist.c.collection_id.in_(scope), ~foreign_clause(), specialism.c.retired == false()]
    if institution_id:
        where.append(ist.c.institution_id == institution_id)
    rows = (
        select(
            ist.c.collection_id,
            ist.c.institution_id,
            offering_department.c.specialism_id,
            default_status_below_clause(ist.c.status),
            literal(mark_new),
        )
        .select_from(ist)
        .join(offering_department, offering_department.c.institution_id == ist.c.institution_id)
        .join(institution, institution.c.id == ist.c.institution_id)
        .join(specialism, specialism.c.id == offering_department.c.specialism_id)
        .where(*where)
    )
    columns = ["collection_id", "institution_id", "specialism_id", "status", "is_new"]
    _insert_missing(session, department_status, columns, rows)


def _add_condition_rows(session: Session, scope: Any, institution_id: str | None, mark_new: bool) -> None:
    dst = department_status
    where = [dst.c.collection_id.in_(scope), condition.c.retired == false()]
    if institution_id:
        where.append(dst.c.institution_id == institution_id)
    rows = (
        select(
            dst.c.collection_id,
            dst.c.institution_id,
            offering_condition.c.condition_id,
            default_status_below_clause(dst.c.status),
            literal(mark_new),
        )
        .select_from(dst)
        .join(offering_condition, offering_condition.c.institution_id == dst.c.institution_id)
        .join(
            condition,
            and_(condition.c.id == offering_condition.c.condition_id, condition.c.specialism_id == dst.c.specialism_id),
        )
        .where(*where)
    )
    columns = ["collection_id", "institution_id", "condition_id", "status", "is_new"]
    _insert_missing(session, condition_status, columns, rows)


def remove_unoffered_rows(session: Session, *, institution_id: str | None = None) -> None:
    """Open years only: drop rows of departments/conditions the institution no longer offers (or retired).

    Without ``institution_id`` this checks every open row (rollover); the catalogue's handlers
    always name the institution, or use :func:`remove_condition_rows` / :func:`remove_specialism_rows`.
    """
    scope = open_collection_ids()
    dst, cst = department_status, condition_status
    offered_dept = select(offering_department.c.specialism_id).where(
        offering_department.c.institution_id == dst.c.institution_id
    )
    live_specialisms = select(specialism.c.id).where(specialism.c.retired == false())
    where: list[ColumnElement[bool]] = [dst.c.collection_id.in_(scope)]
    if institution_id:
        where.append(dst.c.institution_id == institution_id)
    session.execute(
        delete(dst)
        .where(*where)
        .where(~dst.c.specialism_id.in_(offered_dept) | ~dst.c.specialism_id.in_(live_specialisms))
    )
    offered_cond = select(offering_condition.c.condition_id).where(
        offering_condition.c.institution_id == cst.c.institution_id
    )
    live_conditions = select(condition.c.id).where(condition.c.retired == false())
    where = [cst.c.collection_id.in_(scope)]
    if institution_id:
        where.append(cst.c.institution_id == institution_id)
    session.execute(
        delete(cst)
        .where(*where)
        .where(~cst.c.condition_id.in_(offered_cond) | ~cst.c.condition_id.in_(live_conditions))
    )


def remove_condition_rows(session: Session, condition_id: str) -> int:
    """A retired condition leaves the open years: only its own rows (read through their index)."""
    cst = condition_status
    return rows_written(
        session, delete(cst).where(cst.c.condition_id == condition_id, cst.c.collection_id.in_(open_collection_ids()))
    )


def remove_specialism_rows(session: Session, specialism_id: str) -> int:
    """A retired specialism leaves the open years: its departments and their conditions' rows."""
    dst, cst = department_status, condition_status
    its_conditions = select(condition.c.id).where(condition.c.specialism_id == specialism_id)
    scope = open_collection_ids()
    removed = rows_written(
        session, delete(cst).where(cst.c.condition_id.in_(its_conditions), cst.c.collection_id.in_(scope))
    )
    return removed + rows_written(
        session, delete(dst).where(dst.c.specialism_id == specialism_id, dst.c.collection_id.in_(scope))
    )


REMOVED_BY = ("catalogue", "Catalogus")  # actor id and name of a removal the catalogue caused
_LEVELS = (
    (institution_status, "institution", None),
    (department_status, "department", "specialism_id"),
    (condition_status, "condition", "condition_id"),
)


def remove_institution_from_open_years(session: Session, institution_id: str, *, reason: dict[str, Any]) -> None:
    """A closed institution leaves the open years' listings; closed years keep it (R16).

    The removal is history like any save: per collection one ``catalogue`` change, and per removed
    row its last status, so "what was this institution's status before it closed?" stays answerable.
    Removals write no ``statuses.changed`` event: consumers learn of closures from the catalogue.
    Every statement reads only this institution's rows, never the history: a closure takes the
    same time with ten thousand or ten million history rows.
    """
    scope = open_collection_ids()
    holding = session.execute(
        select(collection.c.id, collection.c.insurer_id, collection.c.year)
        .join(institution_status, institution_status.c.collection_id == collection.c.id)
        .where(collection.c.id.in_(scope), institution_status.c.institution_id == institution_id)
    ).all()
    if holding:
        changes = _record_removal_changes(session, institution_id, holding, reason)
        _copy_removed_rows_to_history(session, institution_id, [change["id"] for change in changes])
        # the listings changed under anyone who has them open: their "apply to shown" must re-read them
        session.execute(
            update(collection)
            .where(collection.c.id.in_([change["collection_id"] for change in changes]))
            .values(status_version=collection.c.status_version + 1)
        )
    for table, _, _ in reversed(_LEVELS):
        session.execute(delete(table).where(table.c.collection_id.in_(scope), table.c.institution_id == institution_id))


def _rows_per_collection(session: Session, institution_id: str, collection_ids: list[str]) -> dict[str, int]:
    """How many rows the institution has per collection, all levels: counted where they are, by key."""
    counts = dict.fromkeys(collection_ids, 0)
    for table, _, _ in _LEVELS:
        query = (
            select(table.c.collection_id, func.count())
            .where(table.c.collection_id.in_(collection_ids), table.c.institution_id == institution_id)
            .group_by(table.c.collection_id)
        )
        for collection_id, count in session.execute(query):
            counts[collection_id] += int(count)
    return counts


def _record_removal_changes(
    session: Session, institution_id: str, holding: Any, reason: dict[str, Any]
) -> list[dict[str, Any]]:
    at, summary = now(), json.dumps({"kind": "removed", "institution_id": institution_id, **reason})
    counts = _rows_per_collection(session, institution_id, [collection_id for collection_id, _, _ in holding])
    changes = [
        {
            "id": new_id(),
            "insurer_id": insurer_id,
            "year": year,
            "collection_id": collection_id,
            "level": "institution",
            "kind": "catalogue",
            "status": None,
            "cascade": True,
            "scope": summary,
            "count": counts[collection_id],
            "actor_id": REMOVED_BY[0],
            "actor_name": REMOVED_BY[1],
            "at": at,
        }
        for collection_id, insurer_id, year in holding
    ]
    session.execute(status_change.insert(), changes)
    return changes


def _copy_removed_rows_to_history(session: Session, institution_id: str, change_ids: list[str]) -> None:
    """Per level one INSERT ... SELECT for every collection: each row joins its collection's change."""
    for table, level, subject in _LEVELS:
        rows = (
            select(
                status_change.c.id,
                table.c.collection_id,
                literal(level),
                table.c.institution_id,
                table.c[subject] if subject else literal(None, status_history.c.subject_id.type),
                table.c.status,
                literal(None, status_history.c.to_status.type),
                literal(False),
            )
            .join(status_change, status_change.c.collection_id == table.c.collection_id)
            .where(status_change.c.id.in_(change_ids), table.c.institution_id == institution_id)
        )
        session.execute(status_history.insert().from_select(STATUS_HISTORY_COLUMNS, rows))
