"""The SQL of a save: lock the rows, write history and new statuses set-based, record the change.

Every change is a few statements per level: ``INSERT INTO status_history SELECT`` the rows that
will change (old and new status), then one ``UPDATE`` of those rows (status, version + 1, who and
when, "new" mark cleared). :func:`record_change` then writes the save's one ``status_change`` row
and moves the collection's ``status_version`` (the ETag of "apply to all shown").
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any, NamedTuple

from sqlalchemy import ColumnElement, FromClause, bindparam, case, literal, select, update
from sqlalchemy.orm import Session

from contracting.adapters import orm
from contracting.adapters.scopes import Where, key_column, status_table, subject_column, target_where
from contracting.adapters.sql import rows_written
from contracting.domain.commands import Target
from contracting.domain.events import Change, StatusesChanged
from contracting.domain.model import Level, Status


class RowUpdate(NamedTuple):
    """One row of a batch save that changes: its key, new status and remark, and what it was."""

    key: str
    status: Status
    remark: str | None
    from_status: str
    remark_changed: bool


def lock_rows(session: Session, target: Target, keys: Sequence[str]) -> dict[str, Any]:
    """The rows with these keys at the target's level, locked until commit, by key."""
    table = status_table(target.level)
    key = key_column(target.level, table)
    rows = session.execute(
        select(
            key.label("key"),
            table.c.status,
            table.c.remark,
            table.c.version,
            table.c.changed_by,
            table.c.changed_at,
        )
        .where(*target_where(target, table), key.in_(keys))
        .with_for_update()
    ).mappings()
    return {str(row["key"]): row for row in rows}


def labels(session: Session, level: Level, keys: Sequence[str]) -> dict[str, str]:
    """Display names of rows, for messages."""
    if not keys:
        return {}
    table = {Level.INSTITUTION: orm.institution, Level.DEPARTMENT: orm.specialism, Level.CONDITION: orm.condition}[
        level
    ]
    return {str(k): v for k, v in session.execute(select(table.c.id, table.c.name).where(table.c.id.in_(keys)))}


def history_select(change: Change, level: Level, table: FromClause, to_status: Any, remark_changed: Any = False) -> Any:
    """The history columns (``STATUS_HISTORY_COLUMNS`` order) of rows of ``table``; add the ``where``."""
    subject = subject_column(level, table)
    return select(
        literal(change.id, orm.status_history.c.change_id.type),
        table.c.collection_id,
        literal(level.value),
        table.c.institution_id,
        subject if subject is not None else literal(None, orm.status_history.c.subject_id.type),
        table.c.status,
        to_status,
        remark_changed if isinstance(remark_changed, ColumnElement) else literal(remark_changed),
    )


def insert_history(session: Session, rows: Any) -> int:
    """``INSERT INTO status_history SELECT ...``; returns the rows written."""
    return rows_written(session, orm.status_history.insert().from_select(orm.STATUS_HISTORY_COLUMNS, rows))


def stamp(change: Change) -> dict[str, Any]:
    """The bookkeeping columns every changed status row gets."""
    return {"is_new": False, "change_id": change.id, "changed_by": change.actor.user_name, "changed_at": change.at}


def set_status_where(session: Session, level: Level, where: Where, status: Status, change: Change) -> tuple[int, int]:
    """Set ``status`` on the rows of ``level`` matching ``where``: history, then one UPDATE.

    Returns (rows whose status changed, rows updated: also those that only lose their "new" mark).
    """
    table = status_table(level)
    differs = table.c.status != status.value
    changed = insert_history(
        session, history_select(change, level, table, literal(status.value)).where(*where, differs)
    )
    touched = rows_written(
        session,
        update(table)
        .where(*where, differs | table.c.is_new)
        .values(status=status.value, version=table.c.version + 1, **stamp(change)),
    )
    return changed, touched


def update_rows(session: Session, target: Target, rows: Sequence[RowUpdate], change: Change) -> None:
    """A batch save's changed rows: one executemany UPDATE and one history INSERT."""
    if not rows:
        return
    level = target.level
    table = status_table(level)
    session.execute(
        update(table)
        .where(*target_where(target, table), key_column(level, table) == bindparam("b_key"))
        .values(
            status=bindparam("b_status"), remark=bindparam("b_remark"), version=table.c.version + 1, **stamp(change)
        ),
        [{"b_key": r.key, "b_status": r.status.value, "b_remark": r.remark} for r in rows],
    )
    at_institution = level is Level.INSTITUTION
    session.execute(
        orm.status_history.insert(),
        [
            {
                "change_id": change.id,
                "collection_id": target.collection_id,
                "level": level.value,
                "institution_id": r.key if at_institution else target.institution_id,
                "subject_id": None if at_institution else r.key,
                "from_status": r.from_status,
                "to_status": r.status.value,
                "remark_changed": r.remark_changed,
            }
            for r in rows
        ],
    )


def record_change(session: Session, event: StatusesChanged) -> None:
    """The save's one ``status_change`` row, and the collection's ``status_version`` + 1."""
    change = event.change
    session.execute(
        orm.status_change.insert().values(
            id=change.id,
            insurer_id=event.collection.insurer_id,
            year=event.collection.year,
            collection_id=event.collection.id,
            level=event.level.value,
            kind=event.kind,
            status=event.status.value if event.status else None,
            cascade=event.cascade,
            scope=json.dumps(dict(event.scope) | {"cascaded": dict(event.cascaded)}, ensure_ascii=False),
            count=event.count,
            actor_id=change.actor.user_id,
            actor_name=change.actor.user_name,
            at=change.at,
        )
    )
    session.execute(
        update(orm.collection)
        .where(orm.collection.c.id == event.collection.id)
        .values(status_version=orm.collection.c.status_version + 1)
    )


def last_change(session: Session, collection_id: str) -> Any:
    """The collection's latest save (for a 412's message), or None."""
    query = (
        select(orm.status_change)
        .where(orm.status_change.c.collection_id == collection_id)
        .order_by(orm.status_change.c.at.desc())
        .limit(1)
    )
    return session.execute(query).mappings().first()


def flag(condition_: ColumnElement[bool]) -> Any:
    """A boolean column from a condition, portable (``CASE WHEN ... THEN true ELSE false``)."""
    return case((condition_, True), else_=False)
