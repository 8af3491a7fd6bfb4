"""Saving contract statuses (R5-R12): batch saves, apply-to-all-shown, cascades, history, concurrency.

Every change is a few set-based statements per level:

1. ``INSERT INTO status_history SELECT ...`` the rows that will change (their old and new status),
2. ``UPDATE`` those rows (status, version + 1, who/when, "new" mark cleared),

deepest level first, so a filter on status still sees the rows as they were shown. A save then
writes one ``status_change`` row (who, when, level, scope, count), bumps the collection's
``status_version`` (its ETag) and puts one ``contracting.statuses.changed`` event in the outbox.
The collection row is locked for the save, so saves of one collection are serialised.

Concurrency: a batch save carries each row's ``version`` as read; a mismatch refuses the whole
save (409) and says who changed what. "Apply to all shown" must carry ``If-Match`` with the
collection's ``status_version`` the listing showed (428 without it); a mismatch refuses it (412)
and names the last change.
"""

from __future__ import annotations

import json
from collections import defaultdict
from typing import Any

from sqlalchemy import bindparam, literal, select, update
from sqlalchemy.orm import Session

from contracting.adapters.orm import (
    STATUS_HISTORY_COLUMNS,
    collection,
    condition,
    institution,
    specialism,
    status_change,
    status_history,
)
from contracting.adapters.sql import new_id, now
from contracting.domain.commands import (
    Actor,
    ApplyToShown,
    RowChange,
    SaveInstitutionAcrossCollections,
    SaveRows,
    Target,
)
from contracting.domain.exceptions import InvalidInput, NotFound, PreconditionFailed, PreconditionRequired, StaleData
from contracting.domain.model import (
    LEVEL_LABELS,
    STATUS_LABELS,
    Level,
    Status,
    check_cascade,
    check_level_for_institution,
    check_status_allowed,
)
from contracting.integration import outbound
from contracting.service_layer.access import get_collection, get_institution_in_collection
from contracting.service_layer.scopes import (
    WhereOn,
    below_where,
    filter_summary,
    key_column,
    keyed,
    shown,
    status_table,
    subject_column,
    target_where,
)
from servicekit.db import UnitOfWork


class Change:
    """The bookkeeping of one save: its id, who, when."""

    def __init__(self, actor: Actor) -> None:
        self.id = new_id()
        self.actor = actor
        self.at = now()


def set_status_where(session: Session, level: Level, where: list[Any], status: Status, change: Change) -> int:
    """Set ``status`` on the rows of ``level`` matching ``where``: history rows, then one UPDATE. Returns rows changed."""
    table = status_table(level)
    subject = subject_column(level, table)
    differs = table.c.status != status.value
    history = select(
        literal(change.id, status_history.c.change_id.type),
        table.c.collection_id,
        literal(level.value),
        table.c.institution_id,
        subject if subject is not None else literal(None, status_history.c.subject_id.type),
        table.c.status,
        literal(status.value),
        literal(False),
    ).where(*where, differs)
    changed = session.execute(
        status_history.insert().from_select(STATUS_HISTORY_COLUMNS, history),
        execution_options={"preserve_rowcount": True},
    ).rowcount
    session.execute(
        update(table)
        .where(*where, differs | table.c.is_new)
        .values(
            status=status.value,
            is_new=False,
            version=table.c.version + 1,
            change_id=change.id,
            changed_by=change.actor.user_name,
            changed_at=change.at,
        )
    )
    return int(changed or 0)


def cascade(session: Session, target: Target, source: WhereOn, status: Status, change: Change) -> dict[str, int]:
    """R7/R9: set ``status`` on every row below the source rows, deepest level first."""
    counts: dict[str, int] = {}
    for below in check_cascade(target.level, status):
        table = status_table(below)
        counts[below.value] = set_status_where(
            session, below, below_where(target, source, below, table), status, change
        )
    return counts


def record_change(
    uow: UnitOfWork,
    collection_row: Any,
    change: Change,
    *,
    level: Level,
    kind: str,
    status: Status | None,
    cascaded: dict[str, int],
    count: int,
    scope: dict[str, Any],
    cascade_flag: bool,
) -> dict[str, Any]:
    session = uow.session
    session.execute(
        status_change.insert().values(
            id=change.id,
            insurer_id=collection_row["insurer_id"],
            year=collection_row["year"],
            collection_id=collection_row["id"],
            level=level.value,
            kind=kind,
            status=status.value if status else None,
            cascade=cascade_flag,
            scope=json.dumps(scope | {"cascaded": cascaded}, ensure_ascii=False),
            count=count,
            actor_id=change.actor.user_id,
            actor_name=change.actor.user_name,
            at=change.at,
        )
    )
    session.execute(
        update(collection)
        .where(collection.c.id == collection_row["id"])
        .values(status_version=collection.c.status_version + 1)
    )
    outbound.statuses_changed(
        uow,
        collection=collection_row,
        change_id=change.id,
        level=level.value,
        kind=kind,
        status=status.value if status else None,
        cascade=cascade_flag,
        count=count,
        cascaded=cascaded,
        scope=scope,
    )
    return {
        "change_id": change.id,
        "level": level.value,
        "count": count,
        "cascaded": cascaded,
        "status_version": int(collection_row["status_version"]) + 1,
    }


def _check_target(session: Session, target: Target) -> Any:
    """Below institution level: the institution must be in the collection and Dutch (R11)."""
    if target.level is Level.INSTITUTION:
        return None
    inst = get_institution_in_collection(session, target.collection_id, target.institution_id or "")
    check_level_for_institution(target.level, country=inst["country"], institution_type=inst["type"], name=inst["name"])
    if target.level is Level.CONDITION:
        found = session.execute(select(specialism.c.id).where(specialism.c.id == target.specialism_id)).first()
        if found is None:
            raise NotFound("Deze afdeling bestaat niet.", field="specialism_id")
    return inst


def _labels(session: Session, level: Level, keys: list[str]) -> dict[str, str]:
    """Display names of rows, for messages."""
    if not keys:
        return {}
    table = {Level.INSTITUTION: institution, Level.DEPARTMENT: specialism, Level.CONDITION: condition}[level]
    rows = session.execute(select(table.c.id, table.c.name).where(table.c.id.in_(keys)))
    return {str(k): v for k, v in rows}


def save_rows_in(uow: UnitOfWork, actor: Actor, collection_row: Any, cmd: SaveRows) -> dict[str, Any]:
    """R6: a batch save inside an open unit of work; only the level saved changes unless ``cascade`` (R7/R9)."""
    session = uow.session
    target, level = cmd.target, cmd.target.level
    _check_target(session, target)
    if not cmd.rows:
        raise InvalidInput("Geen rijen om op te slaan.", field="rows", rule="R6")
    seen: set[str] = set()
    for i, row in enumerate(cmd.rows):
        check_status_allowed(level, row.status, field=f"rows.{i}.status")
        if cmd.cascade:
            check_cascade(level, row.status, field="cascade")
        if row.key in seen:
            raise InvalidInput("Deze rij komt twee keer voor in dezelfde opslag.", field=f"rows.{i}", rule="R6")
        seen.add(row.key)

    table = status_table(level)
    key = key_column(level, table)
    keys = [row.key for row in cmd.rows]
    current = {
        str(r["key"]): r
        for r in session.execute(
            select(
                key.label("key"),
                table.c.status,
                table.c.remark,
                table.c.version,
                table.c.changed_by,
                table.c.changed_at,
            )
            .where(*keyed(target, keys)(table))
            .with_for_update()
        ).mappings()
    }
    for i, row in enumerate(cmd.rows):
        if row.key not in current:
            raise InvalidInput(
                f"Deze {LEVEL_LABELS[level]} komt niet voor in deze collectie.", field=f"rows.{i}", rule="R6"
            )
    stale = [row for row in cmd.rows if current[row.key]["version"] != row.version]
    if stale:
        names = _labels(session, level, [row.key for row in stale])
        details = [
            {
                "key": row.key,
                "name": names.get(row.key, row.key),
                "your_version": row.version,
                "current_version": current[row.key]["version"],
                "current_status": current[row.key]["status"],
                "changed_by": current[row.key]["changed_by"],
                "changed_at": current[row.key]["changed_at"].isoformat() if current[row.key]["changed_at"] else None,
            }
            for row in stale
        ]
        what = "; ".join(
            f"{d['name']}: nu '{STATUS_LABELS[Status(d['current_status'])]}'"
            + (f", gewijzigd door {d['changed_by']} om {d['changed_at']}" if d["changed_by"] else "")
            for d in details[:5]
        )
        raise StaleData(
            f"{len(stale)} rij(en) zijn gewijzigd sinds u ze opende ({what}). Er is niets opgeslagen; "
            "laad de lijst opnieuw en sla dan op.",
            field="rows",
            details=details,
        )

    change = Change(actor)
    cascaded: dict[str, int] = defaultdict(int)
    if cmd.cascade:
        by_status: dict[Status, list[str]] = defaultdict(list)
        for row in cmd.rows:
            by_status[row.status].append(row.key)
        for status, group in by_status.items():
            for lvl, n in cascade(session, target, keyed(target, group), status, change).items():
                cascaded[lvl] += n

    changed = [
        row
        for row in cmd.rows
        if row.status.value != current[row.key]["status"]
        or (row.remark_given and row.remark != current[row.key]["remark"])
    ]
    if changed:
        stmt = (
            update(table)
            .where(*target_where(target, table), key == bindparam("b_key"))
            .values(
                status=bindparam("b_status"),
                remark=bindparam("b_remark"),
                is_new=False,
                version=table.c.version + 1,
                change_id=change.id,
                changed_by=actor.user_name,
                changed_at=change.at,
            )
        )
        session.execute(
            stmt,
            [
                {
                    "b_key": row.key,
                    "b_status": row.status.value,
                    "b_remark": row.remark if row.remark_given else current[row.key]["remark"],
                }
                for row in changed
            ],
        )
        session.execute(
            status_history.insert(),
            [
                {
                    "change_id": change.id,
                    "collection_id": target.collection_id,
                    "level": level.value,
                    "institution_id": row.key if level is Level.INSTITUTION else target.institution_id,
                    "subject_id": None if level is Level.INSTITUTION else row.key,
                    "from_status": current[row.key]["status"],
                    "to_status": row.status.value,
                    "remark_changed": row.remark_given and row.remark != current[row.key]["remark"],
                }
                for row in changed
            ],
        )
    statuses = {row.status for row in cmd.rows}
    scope: dict[str, Any] = {"kind": "rows", "rows": len(cmd.rows)}
    if len(cmd.rows) <= 20:
        scope["keys"] = keys
    if target.institution_id:
        scope["institution_id"] = target.institution_id
    if target.specialism_id:
        scope["specialism_id"] = target.specialism_id
    return record_change(
        uow,
        collection_row,
        change,
        level=level,
        kind="rows",
        status=statuses.pop() if len(statuses) == 1 else None,
        cascaded=dict(cascaded),
        count=len(changed),
        scope=scope,
        cascade_flag=cmd.cascade,
    )


def save_rows(cmd: SaveRows, actor: Actor, uow: UnitOfWork, *, dry_run: bool = False) -> dict[str, Any]:
    """R6/R7/R9/R10: save a batch of rows at one level, all or nothing.

    ``dry_run`` does the whole save and rolls it back: the answer says how many rows it would change at
    each level (what a user sees before confirming a cascade), and nothing is written.
    """
    with uow:
        collection_row = get_collection(uow.session, actor, cmd.target.collection_id, for_write=True)
        result = save_rows_in(uow, actor, collection_row, cmd)
        if dry_run:
            return result | {"dry_run": True, "status_version": int(collection_row["status_version"])}
        uow.commit()
        return result


def apply_to_shown(cmd: ApplyToShown, actor: Actor, uow: UnitOfWork) -> dict[str, Any]:
    """R5: set one status on every row the listing's filter shows, server-side; R7/R9 cascade when asked."""
    target, level = cmd.target, cmd.target.level
    check_status_allowed(level, cmd.status)
    if cmd.cascade:
        check_cascade(level, cmd.status)
    with uow:
        session = uow.session
        collection_row = get_collection(session, actor, target.collection_id, for_write=True)
        if cmd.if_match is None:
            raise PreconditionRequired(
                "Stuur de versie van de lijst mee (If-Match: status_version uit de lijst), zodat een wijziging "
                "van een collega niet ongemerkt wordt overschreven.",
                field="If-Match",
            )
        if cmd.if_match != collection_row["status_version"]:
            last = (
                session.execute(
                    select(status_change)
                    .where(status_change.c.collection_id == target.collection_id)
                    .order_by(status_change.c.at.desc())
                    .limit(1)
                )
                .mappings()
                .first()
            )
            since = (
                f" Laatste wijziging: {last['count']} rij(en) op {LEVEL_LABELS[Level(last['level'])]}sniveau door "
                f"{last['actor_name']} om {last['at'].isoformat()}."
                if last
                else ""
            )
            raise PreconditionFailed(
                "De collectie is gewijzigd sinds u de lijst opende; er is niets opgeslagen."
                + since
                + " Laad de lijst opnieuw.",
                field="If-Match",
            )
        _check_target(session, target)
        change = Change(actor)
        source = shown(target, cmd.filter)
        cascaded = cascade(session, target, source, cmd.status, change) if cmd.cascade else {}
        table = status_table(level)
        count = set_status_where(session, level, source(table), cmd.status, change)
        scope: dict[str, Any] = {"kind": "filter", "filter": filter_summary(cmd.filter)}
        if target.institution_id:
            scope["institution_id"] = target.institution_id
        if target.specialism_id:
            scope["specialism_id"] = target.specialism_id
        result = record_change(
            uow,
            collection_row,
            change,
            level=level,
            kind="filter",
            status=cmd.status,
            cascaded=cascaded,
            count=count,
            scope=scope,
            cascade_flag=cmd.cascade,
        )
        uow.commit()
        return result


def save_institution_across_collections(
    cmd: SaveInstitutionAcrossCollections, actor: Actor, uow: UnitOfWork
) -> list[dict[str, Any]]:
    """R12: change one institution's status in several collections of the year at once, all or nothing."""
    if not cmd.rows:
        raise InvalidInput("Geen collecties om op te slaan.", field="rows", rule="R12")
    if len({r.collection_id for r in cmd.rows}) != len(cmd.rows):
        raise InvalidInput("Een collectie komt twee keer voor.", field="rows", rule="R12")
    results = []
    with uow:
        for row in sorted(cmd.rows, key=lambda r: r.collection_id):  # one lock order: no deadlocks
            collection_row = get_collection(uow.session, actor, row.collection_id, for_write=True)
            target = Target(collection_id=row.collection_id, level=Level.INSTITUTION)
            save = SaveRows(
                target=target,
                rows=(RowChange(cmd.institution_id, row.status, row.version, row.remark, row.remark_given),),
                cascade=cmd.cascade,
            )
            results.append({"collection_id": row.collection_id} | save_rows_in(uow, actor, collection_row, save))
        uow.commit()
    return results
