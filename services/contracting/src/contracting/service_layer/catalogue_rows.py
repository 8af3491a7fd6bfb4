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

from sqlalchemy import ColumnElement, Table, and_, delete, false, func, literal, select, true, update
from sqlalchemy.orm import Session

from contracting.adapters import orm
from contracting.adapters.scopes import default_status_below_clause, foreign_clause
from contracting.adapters.sql import insert_ignoring_duplicates, new_id, now, rows_written
from contracting.domain.model import DEFAULT_STATUS


def open_collection_ids() -> Any:
    """Collections of open contract years (the ones R16 keeps in step with the catalogue)."""
    return (
        select(orm.collection.c.id)
        .join(
            orm.contract_year,
            and_(
                orm.contract_year.c.insurer_id == orm.collection.c.insurer_id,
                orm.contract_year.c.year == orm.collection.c.year,
            ),
        )
        .where(orm.contract_year.c.state == "open")
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
    where: list[ColumnElement[bool]] = [orm.collection.c.id.in_(scope), orm.institution.c.closed_on.is_(None)]
    if institution_id:
        where.append(orm.institution.c.id == institution_id)
    rows = (
        select(orm.collection.c.id, orm.institution.c.id, literal(DEFAULT_STATUS.value), literal(mark_new))
        .select_from(orm.collection)
        .join(orm.institution, true())
        .where(*where)
    )
    _insert_missing(session, orm.institution_status, ["collection_id", "institution_id", "status", "is_new"], rows)


def _add_department_rows(session: Session, scope: Any, institution_id: str | None, mark_new: bool) -> None:
    ist, offered = orm.institution_status, orm.offering_department
    joins = [
        (orm.institution, orm.institution.c.id == ist.c.institution_id),
        (orm.specialism, orm.specialism.c.id == offered.c.specialism_id),
    ]
    where = [ist.c.collection_id.in_(scope), ~foreign_clause(), orm.specialism.c.retired == false()]
    _add_offered_rows(
        session, ist, offered, "specialism_id", joins, where, institution_id, mark_new, orm.department_status
    )


def _add_condition_rows(session: Session, scope: Any, institution_id: str | None, mark_new: bool) -> None:
    dst, offered = orm.department_status, orm.offering_condition
    on = and_(orm.condition.c.id == offered.c.condition_id, orm.condition.c.specialism_id == dst.c.specialism_id)
    joins = [(orm.condition, on)]
    where = [dst.c.collection_id.in_(scope), orm.condition.c.retired == false()]
    _add_offered_rows(
        session, dst, offered, "condition_id", joins, where, institution_id, mark_new, orm.condition_status
    )


def _add_offered_rows(
    session: Session,
    parent: Table,
    offered: Table,
    subject: str,
    joins: list[tuple[Table, ColumnElement[bool]]],
    where: list[ColumnElement[bool]],
    institution_id: str | None,
    mark_new: bool,
    table: Table,
) -> None:
    """The missing rows of ``table``: one per row of the level above (``parent``) and subject it ``offered``.

    Their status is the default below the parent's (``default_status_below_clause``); ``joins`` and
    ``where`` keep out what may not have rows (foreign institutions, retired subjects).
    """
    if institution_id:
        where = [*where, parent.c.institution_id == institution_id]
    rows = (
        select(
            parent.c.collection_id,
            parent.c.institution_id,
            offered.c[subject],
            default_status_below_clause(parent.c.status),
            literal(mark_new),
        )
        .select_from(parent)
        .join(offered, offered.c.institution_id == parent.c.institution_id)
    )
    for joined, on in joins:
        rows = rows.join(joined, on)
    columns = ["collection_id", "institution_id", subject, "status", "is_new"]
    _insert_missing(session, table, columns, rows.where(*where))


def remove_unoffered_rows(session: Session, *, institution_id: str | None = None) -> None:
    """Open years only: drop rows of departments/conditions the institution no longer offers (or retired).

    Without ``institution_id`` this checks every open row (rollover); the catalogue's handlers
    always name the institution, or use :func:`remove_condition_rows` / :func:`remove_specialism_rows`.
    """
    scope = open_collection_ids()
    departments = (orm.department_status, "specialism_id", orm.offering_department, orm.specialism)
    conditions = (orm.condition_status, "condition_id", orm.offering_condition, orm.condition)
    for table, subject, offered, subjects in (departments, conditions):
        _remove_unoffered(session, table, subject, offered, subjects, scope, institution_id)


def _remove_unoffered(
    session: Session,
    table: Table,
    subject: str,
    offered: Table,
    subjects: Table,
    scope: Any,
    institution_id: str | None,
) -> None:
    """Delete the rows of ``table`` in ``scope`` whose ``subject`` is not ``offered`` (any more) or retired."""
    offered_ids = select(offered.c[subject]).where(offered.c.institution_id == table.c.institution_id)
    live = select(subjects.c.id).where(subjects.c.retired == false())
    where: list[ColumnElement[bool]] = [table.c.collection_id.in_(scope)]
    if institution_id:
        where.append(table.c.institution_id == institution_id)
    session.execute(delete(table).where(*where).where(~table.c[subject].in_(offered_ids) | ~table.c[subject].in_(live)))


def remove_condition_rows(session: Session, condition_id: str) -> int:
    """A retired condition leaves the open years: only its own rows (read through their index)."""
    cst = orm.condition_status
    return rows_written(
        session, delete(cst).where(cst.c.condition_id == condition_id, cst.c.collection_id.in_(open_collection_ids()))
    )


def remove_specialism_rows(session: Session, specialism_id: str) -> int:
    """A retired specialism leaves the open years: its departments and their conditions' rows."""
    dst, cst = orm.department_status, orm.condition_status
    its_conditions = select(orm.condition.c.id).where(orm.condition.c.specialism_id == specialism_id)
    scope = open_collection_ids()
    removed = rows_written(
        session, delete(cst).where(cst.c.condition_id.in_(its_conditions), cst.c.collection_id.in_(scope))
    )
    return removed + rows_written(
        session, delete(dst).where(dst.c.specialism_id == specialism_id, dst.c.collection_id.in_(scope))
    )


REMOVED_BY = ("catalogue", "Catalogus")  # actor id and name of a removal the catalogue caused
_LEVELS = (
    (orm.institution_status, "institution", None),
    (orm.department_status, "department", "specialism_id"),
    (orm.condition_status, "condition", "condition_id"),
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
        select(orm.collection.c.id, orm.collection.c.insurer_id, orm.collection.c.year)
        .join(orm.institution_status, orm.institution_status.c.collection_id == orm.collection.c.id)
        .where(orm.collection.c.id.in_(scope), orm.institution_status.c.institution_id == institution_id)
    ).all()
    if holding:
        changes = _record_removal_changes(session, institution_id, holding, reason)
        _copy_removed_rows_to_history(session, institution_id, [change["id"] for change in changes])
        # the listings changed under anyone who has them open: their "apply to shown" must re-read them
        session.execute(
            update(orm.collection)
            .where(orm.collection.c.id.in_([change["collection_id"] for change in changes]))
            .values(status_version=orm.collection.c.status_version + 1)
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
    session.execute(orm.status_change.insert(), changes)
    return changes


def _copy_removed_rows_to_history(session: Session, institution_id: str, change_ids: list[str]) -> None:
    """Per level one INSERT ... SELECT for every collection: each row joins its collection's change."""
    for table, level, subject in _LEVELS:
        rows = (
            select(
                orm.status_change.c.id,
                table.c.collection_id,
                literal(level),
                table.c.institution_id,
                table.c[subject] if subject else literal(None, orm.status_history.c.subject_id.type),
                table.c.status,
                literal(None, orm.status_history.c.to_status.type),
                literal(False),
            )
            .join(orm.status_change, orm.status_change.c.collection_id == table.c.collection_id)
            .where(orm.status_change.c.id.in_(change_ids), table.c.institution_id == institution_id)
        )
        session.execute(orm.status_history.insert().from_select(orm.STATUS_HISTORY_COLUMNS, rows))
