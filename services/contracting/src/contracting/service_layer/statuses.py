"""Saving contract statuses (R5-R12): batch saves, apply-to-all-shown, cascades, concurrency.

A save is: load the collection (locked, so saves of one collection are serialised), check the
rules once (``domain.model``), change the rows set-based, deepest level first, so that a filter
on status still sees the rows as they were shown (``adapters.status_rows``), and end with one
:class:`StatusesChanged`: recorded as the save's ``status_change`` row and emitted (the
``contracting.statuses.changed`` event). A save that changes nothing records nothing.

Concurrency: a batch save carries each row's ``version`` as read; a mismatch refuses the whole
save (409) and says who changed what. "Apply to all shown" must carry ``If-Match`` with the
collection's ``status_version`` the listing showed (428 without it); a mismatch refuses it (412)
and names the last change.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import replace
from typing import Any

from sqlalchemy.orm import Session

from contracting.adapters import status_rows
from contracting.adapters.access import check_target, collection_ref, get_collection
from contracting.adapters.scopes import WhereOn, below_where, filter_summary, keyed, shown, status_table
from contracting.adapters.sql import new_id, now
from contracting.domain import commands
from contracting.domain.events import Change, StatusesChanged
from contracting.domain.exceptions import InvalidInput, PreconditionFailed, PreconditionRequired, StaleData
from contracting.domain.model import (
    LEVEL_LABELS,
    STATUS_LABELS,
    Level,
    Status,
    check_cascade,
    check_rows,
    check_status_allowed,
)
from contracting.service_layer import publication
from servicekit.db import UnitOfWork


def new_change(actor: commands.Actor) -> Change:
    return Change(id=new_id(), actor=actor, at=now())


def cascade(
    session: Session, target: commands.Target, source: WhereOn, status: Status, below: tuple[Level, ...], change: Change
) -> dict[str, int]:
    """R7/R9: set ``status`` on every row below the source rows, deepest level first (``below`` is checked)."""
    return {
        level.value: status_rows.set_status_where(
            session, level, below_where(target, source, level, status_table(level)), status, change
        )[0]
        for level in below
    }


def finish(uow: UnitOfWork, collection_row: Any, event: StatusesChanged) -> dict[str, Any]:
    """Record and emit the save, unless it changed nothing: then the collection's version stays."""
    version = int(collection_row["status_version"])
    result: dict[str, Any] = {"level": event.level.value, "count": event.count, "cascaded": dict(event.cascaded)}
    if not event.changed_anything:
        return result | {"status_version": version}
    status_rows.record_change(uow.session, event)
    uow.emit(event)
    publication.publish_save(uow, event.collection, event.change_id, version + 1, event.change.at)  # R17
    return result | {"change_id": event.change_id, "status_version": version + 1}


def _target_scope(target: commands.Target) -> dict[str, Any]:
    scope: dict[str, Any] = {}
    if target.institution_id:
        scope["institution_id"] = target.institution_id
    if target.specialism_id:
        scope["specialism_id"] = target.specialism_id
    return scope


def _stale(session: Session, level: Level, stale: list[commands.RowChange], current: dict[str, Any]) -> StaleData:
    """409 for rows changed since they were read: who changed what, and nothing was saved."""
    names = status_rows.labels(session, level, [row.key for row in stale])
    details = []
    for row in stale:
        now_ = current[row.key]
        details.append(
            {
                "key": row.key,
                "name": names.get(row.key, row.key),
                "your_version": row.version,
                "current_version": now_["version"],
                "current_status": now_["status"],
                "changed_by": now_["changed_by"],
                "changed_at": now_["changed_at"].isoformat() if now_["changed_at"] else None,
            }
        )
    what = "; ".join(
        f"{d['name']}: nu '{STATUS_LABELS[Status(d['current_status'])]}'"
        + (f", gewijzigd door {d['changed_by']} om {d['changed_at']}" if d["changed_by"] else "")
        for d in details[:5]
    )
    return StaleData(
        f"{len(stale)} rij(en) zijn gewijzigd sinds u ze opende ({what}). Er is niets opgeslagen; "
        "laad de lijst opnieuw en sla dan op.",
        field="rows",
        details=details,
    )


def _locked_current_rows(session: Session, cmd: commands.SaveRows) -> dict[str, Any]:
    """The saved rows as they are now, locked; every row must exist and be unchanged since it was read."""
    level = cmd.target.level
    current = status_rows.lock_rows(session, cmd.target, [row.key for row in cmd.rows])
    for i, row in enumerate(cmd.rows):
        if row.key not in current:
            raise InvalidInput(
                f"Deze {LEVEL_LABELS[level]} komt niet voor in deze collectie.", field=f"rows.{i}", rule="R6"
            )
    stale = [row for row in cmd.rows if current[row.key]["version"] != row.version]
    if stale:
        raise _stale(session, level, stale, current)
    return current


def _row_updates(cmd: commands.SaveRows, current: dict[str, Any]) -> list[status_rows.RowUpdate]:
    updates = []
    for row in cmd.rows:
        was = current[row.key]
        remark_changed = row.remark_given and row.remark != was["remark"]
        if row.status.value != was["status"] or remark_changed:
            remark = row.remark if row.remark_given else was["remark"]
            updates.append(status_rows.RowUpdate(row.key, row.status, remark, was["status"], remark_changed))
    return updates


def _cascade_rows(session: Session, cmd: commands.SaveRows, below: tuple[Level, ...], change: Change) -> dict[str, int]:
    """A batch save's cascade: the rows saved with one status cascade that status, one group at a time."""
    cascaded: dict[str, int] = defaultdict(int)
    by_status: dict[Status, list[str]] = defaultdict(list)
    for row in cmd.rows:
        by_status[row.status].append(row.key)
    for status, keys in by_status.items():
        for level, count in cascade(session, cmd.target, keyed(cmd.target, keys), status, below, change).items():
            cascaded[level] += count
    return dict(cascaded)


def save_rows_in(uow: UnitOfWork, actor: commands.Actor, collection_row: Any, cmd: commands.SaveRows) -> dict[str, Any]:
    """R6: a batch save inside an open unit of work; only the level saved changes unless ``cascade`` (R7/R9)."""
    session, target = uow.session, cmd.target
    below = check_rows(target.level, [r.key for r in cmd.rows], [r.status for r in cmd.rows], cascade=cmd.cascade)
    check_target(session, target)
    current = _locked_current_rows(session, cmd)
    change = new_change(actor)
    cascaded = _cascade_rows(session, cmd, below, change) if below else {}
    updates = _row_updates(cmd, current)
    status_rows.update_rows(session, target, updates, change)
    statuses = {row.status for row in cmd.rows}
    scope: dict[str, Any] = {"kind": "rows", "rows": len(cmd.rows)}
    if len(cmd.rows) <= 20:
        scope["keys"] = [row.key for row in cmd.rows]
    event = StatusesChanged(
        change=change,
        collection=collection_ref(collection_row),
        level=target.level,
        kind="rows",
        status=statuses.pop() if len(statuses) == 1 else None,
        cascade=cmd.cascade,
        count=len(updates),
        cascaded=cascaded,
        scope=scope | _target_scope(target),
    )
    return finish(uow, collection_row, event)


def save_rows(
    cmd: commands.SaveRows, actor: commands.Actor, uow: UnitOfWork, *, dry_run: bool = False
) -> dict[str, Any]:
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


def check_if_match(session: Session, collection_row: Any, if_match: int | None) -> None:
    """R5's optimistic lock: the listing's ``status_version`` must be sent (428) and still current (412)."""
    if if_match is None:
        raise PreconditionRequired(
            "Stuur de versie van de lijst mee (If-Match: status_version uit de lijst), zodat een wijziging "
            "van een collega niet ongemerkt wordt overschreven.",
            field="If-Match",
        )
    if if_match == collection_row["status_version"]:
        return
    last = status_rows.last_change(session, collection_row["id"])
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


def apply_to_shown(cmd: commands.ApplyToShown, actor: commands.Actor, uow: UnitOfWork) -> dict[str, Any]:
    """R5: set one status on every row the listing's filter shows, server-side; R7/R9 cascade when asked."""
    target = cmd.target
    check_status_allowed(target.level, cmd.status)
    below = check_cascade(target.level, cmd.status) if cmd.cascade else ()
    with uow:
        session = uow.session
        collection_row = get_collection(session, actor, target.collection_id, for_write=True)
        check_if_match(session, collection_row, cmd.if_match)
        check_target(session, target)
        change = new_change(actor)
        source = shown(target, cmd.filter)
        cascaded = cascade(session, target, source, cmd.status, below, change)
        count, touched = status_rows.set_status_where(
            session, target.level, source(status_table(target.level)), cmd.status, change
        )
        event = StatusesChanged(
            change=change,
            collection=collection_ref(collection_row),
            level=target.level,
            kind="filter",
            status=cmd.status,
            cascade=cmd.cascade,
            count=count,
            cascaded=cascaded,
            scope={"kind": "filter", "filter": filter_summary(cmd.filter)} | _target_scope(target),
            touched=touched,
        )
        result = finish(uow, collection_row, event)
        uow.commit()
        return result


def save_institution_across_collections(
    cmd: commands.SaveInstitutionAcrossCollections, actor: commands.Actor, uow: UnitOfWork
) -> list[dict[str, Any]]:
    """R12: change one institution's status in several collections of the year at once, all or nothing.

    Each row's ``key`` is a collection's id; saved in it, the same row is keyed by the institution.
    """
    if not cmd.rows:
        raise InvalidInput("Geen collecties om op te slaan.", field="rows", rule="R12")
    if len({r.key for r in cmd.rows}) != len(cmd.rows):
        raise InvalidInput("Een collectie komt twee keer voor.", field="rows", rule="R12")
    results = []
    position = {row.key: i for i, row in enumerate(cmd.rows)}
    with uow:
        for row in sorted(cmd.rows, key=lambda r: r.key):  # one lock order: no deadlocks
            collection_row = get_collection(uow.session, actor, row.key, for_write=True)
            target = commands.Target(collection_id=row.key, level=Level.INSTITUTION)
            save = commands.SaveRows(
                target=target,
                rows=(replace(row, key=cmd.institution_id),),
                cascade=cmd.cascade,
            )
            try:
                saved = save_rows_in(uow, actor, collection_row, save)
            except StaleData as exc:
                raise _stale_in_collection(exc, collection_row, position[row.key]) from exc
            results.append({"collection_id": row.key} | saved)
        uow.commit()
    return results


def _stale_in_collection(exc: StaleData, collection_row: Any, index: int) -> StaleData:
    """R12: the 409 names the collection whose row was stale (the institution is the same in all)."""
    name = collection_row["name"]
    message = f"In collectie '{name}': {exc.message}"
    details = [{**d, "collection_id": str(collection_row["id"]), "collection_name": name} for d in exc.details or []]
    return StaleData(message, field=f"rows.{index}.version", rule="R12", details=details)
