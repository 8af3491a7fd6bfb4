"""Read side (CQRS-lite): plain SELECTs returning dicts. Every query is scoped by insurer and year."""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Callable
from typing import Any

from sqlalchemy import Select, and_, func, select
from sqlalchemy.orm import Session

from contracting.adapters import orm
from contracting.adapters.access import check_target, get_collection
from contracting.adapters.scopes import filter_where, shown, status_table, target_where
from contracting.domain.commands import Actor, InstitutionFilter, SubFilter, Target
from contracting.domain.exceptions import NotFound
from contracting.domain.model import STATUS_LABELS, Level, Status

ROW_COLUMNS = ("status", "remark", "is_new", "version", "changed_by", "changed_at")


def _status_fields(row: Any) -> dict[str, Any]:
    out = {c: row[c] for c in ROW_COLUMNS}
    out["status_label"] = STATUS_LABELS[Status(row["status"])]
    return out


def collection_view(row: Any, links: int = 0) -> dict[str, Any]:
    return {
        "collection_id": str(row["id"]),
        "insurer_id": str(row["insurer_id"]),
        "contract_year": row["year"],
        "name": row["name"],
        "care_type": row["care_type"],
        "collection_type": row["collection_type"],
        "description": row["description"],
        "version": row["version"],
        "status_version": row["status_version"],
        "source_collection_id": str(row["source_collection_id"]) if row["source_collection_id"] else None,
        "linked_products": links,
        "created_at": row["created_at"],
        "created_by": row["created_by"],
    }


def _links(session: Session, ids: list[str]) -> dict[str, int]:
    if not ids:
        return {}
    rows = session.execute(
        select(orm.collection_link.c.collection_id, func.count())
        .where(orm.collection_link.c.collection_id.in_(ids))
        .group_by(orm.collection_link.c.collection_id)
    )
    return {str(k): n for k, n in rows}


def list_collections(session: Session, actor: Actor) -> list[dict[str, Any]]:
    rows = list(
        session.execute(
            select(orm.collection)
            .where(orm.collection.c.insurer_id == actor.insurer_id, orm.collection.c.year == actor.year)
            .order_by(orm.collection.c.name)
        ).mappings()
    )
    ids = [r["id"] for r in rows]
    links = _links(session, ids)
    institution_counts = _institution_counts(session, ids)
    views = []
    for r in rows:
        view = collection_view(r, links.get(str(r["id"]), 0))
        # the list shows institution-level counts only: the deeper levels hold ~35,000 rows per collection
        found = institution_counts.get(str(r["id"]), {})
        view["counts"] = {Level.INSTITUTION.value: {s.value: found.get(s.value, 0) for s in Status}}
        views.append(view)
    return views


def _institution_counts(session: Session, ids: list[str]) -> dict[str, dict[str, int]]:
    counts: dict[str, dict[str, int]] = defaultdict(dict)
    if ids:
        table = status_table(Level.INSTITUTION)
        rows = session.execute(
            select(table.c.collection_id, table.c.status, func.count())
            .where(table.c.collection_id.in_(ids))
            .group_by(table.c.collection_id, table.c.status)
        )
        for collection_id, status, count in rows:
            counts[str(collection_id)][status] = int(count)
    return counts


def get_collection_view(session: Session, actor: Actor, collection_id: str) -> dict[str, Any]:
    row = get_collection(session, actor, collection_id)
    view = collection_view(row, _links(session, [collection_id]).get(collection_id, 0))
    view["counts"] = {}
    for level in Level:
        table = status_table(level)
        counts: dict[str, int] = dict(
            session.execute(
                select(table.c.status, func.count())
                .where(table.c.collection_id == collection_id)
                .group_by(table.c.status)
            ).all()
        )
        view["counts"][level.value] = {s.value: int(counts.get(s.value, 0)) for s in Status}
    return view


def _counts(session: Session, table: Any, where: list[Any]) -> dict[str, int]:
    counts: dict[str, int] = dict(
        session.execute(select(table.c.status, func.count()).where(*where).group_by(table.c.status)).all()
    )
    return {s.value: int(counts.get(s.value, 0)) for s in Status}


def _page(total: int, page: int, page_size: int) -> dict[str, int]:
    return {"total": total, "page": page, "page_size": page_size, "pages": (total + page_size - 1) // page_size}


def _level_rows(
    session: Session,
    target: Target,
    flt: Any,
    without_status: Any,
    rows_of: Callable[[Any], Select[Any]],
    page: int,
    page_size: int,
) -> tuple[Any, dict[str, Any]]:
    """One page of the level's rows the filter shows (``rows_of(status table)`` adds the names), with the
    total, the counts per status (over the filter without its status: ``without_status``) and the paging."""
    t = status_table(target.level)
    where = shown(target, flt)(t)
    total = session.execute(select(func.count()).select_from(t).where(*where)).scalar_one()
    counts = _counts(session, t, [*target_where(target, t), *filter_where(target.level, without_status, t)])
    rows = session.execute(rows_of(t).where(*where).limit(page_size).offset((page - 1) * page_size)).mappings()
    return rows, {"counts": counts, **_page(total, page, page_size)}


def list_institutions(
    session: Session, actor: Actor, target: Target, flt: InstitutionFilter, page: int, page_size: int
) -> dict[str, Any]:
    """R8: the institutions of a collection, filtered, paginated, with counts per status."""
    row = get_collection(session, actor, target.collection_id)
    without_status = InstitutionFilter(**{**vars(flt), "status": None})
    rows, page_info = _level_rows(session, target, flt, without_status, _institution_rows, page, page_size)
    items = [
        {
            "institution_id": str(r["institution_id"]),
            "agb_code": r["agb_code"],
            "name": r["name"],
            "type": r["type"],
            "country": r["country"],
            "city": r["city"],
            "group_id": str(r["group_id"]) if r["group_id"] else None,
            "group_name": r["group_name"],
            **_status_fields(r),
        }
        for r in rows
    ]
    return {"items": items, "status_version": row["status_version"], **page_info}


def _institution_rows(t: Any) -> Select[Any]:
    return (
        select(
            t,
            *orm.INSTITUTION_DESCRIPTION,
            orm.institution.c.group_id,
            orm.institution_group.c.name.label("group_name"),
        )
        .join(orm.institution, orm.institution.c.id == t.c.institution_id)
        .outerjoin(orm.institution_group, orm.institution_group.c.id == orm.institution.c.group_id)
        .order_by(orm.institution.c.name, orm.institution.c.agb_code)
    )


def list_departments(
    session: Session, actor: Actor, target: Target, flt: SubFilter, page: int, page_size: int
) -> dict[str, Any]:
    """R9: the departments of one institution in a collection, filtered by name part and status."""
    row = get_collection(session, actor, target.collection_id)
    inst = check_target(session, target)

    def rows_of(t: Any) -> Select[Any]:
        return (
            select(t, orm.specialism.c.code, orm.specialism.c.name)
            .join(orm.specialism, orm.specialism.c.id == t.c.specialism_id)
            .order_by(orm.specialism.c.name)
        )

    without_status = SubFilter(name=flt.name, is_new=flt.is_new)
    rows, page_info = _level_rows(session, target, flt, without_status, rows_of, page, page_size)
    items = [
        {"specialism_id": str(r["specialism_id"]), "code": r["code"], "name": r["name"], **_status_fields(r)}
        for r in rows
    ]
    return {
        "institution": {"institution_id": str(inst["id"]), "name": inst["name"], "agb_code": inst["agb_code"]},
        "items": items,
        "status_version": row["status_version"],
        **page_info,
    }


def _has_department(session: Session, target: Target) -> bool:
    t = orm.department_status
    row = session.execute(
        select(t.c.specialism_id).where(
            t.c.collection_id == target.collection_id,
            t.c.institution_id == target.institution_id,
            t.c.specialism_id == target.specialism_id,
        )
    ).first()
    return row is not None


def list_conditions(
    session: Session, actor: Actor, target: Target, flt: SubFilter, page: int, page_size: int
) -> dict[str, Any]:
    """R10: the conditions of one department of one institution in a collection (404 if it has no such department)."""
    row = get_collection(session, actor, target.collection_id)
    inst = check_target(session, target)
    if not _has_department(session, target):
        raise NotFound("Deze instelling heeft deze afdeling niet (in deze collectie).", field="specialism_id")

    def rows_of(t: Any) -> Select[Any]:
        return (
            select(t, orm.condition.c.name)
            .join(orm.condition, orm.condition.c.id == t.c.condition_id)
            .order_by(orm.condition.c.name)
        )

    without_status = SubFilter(name=flt.name, is_new=flt.is_new)
    rows, page_info = _level_rows(session, target, flt, without_status, rows_of, page, page_size)
    items = [{"condition_id": str(r["condition_id"]), "name": r["name"], **_status_fields(r)} for r in rows]
    return {
        "institution": {"institution_id": str(inst["id"]), "name": inst["name"], "agb_code": inst["agb_code"]},
        "specialism_id": target.specialism_id,
        "items": items,
        "status_version": row["status_version"],
        **page_info,
    }


def institution_across_collections(session: Session, actor: Actor, institution_id: str) -> dict[str, Any]:
    """R12: one institution in every collection of the insurer's year."""
    inst = (
        session.execute(select(orm.institution).where(orm.institution.c.id == institution_id)).mappings().one_or_none()
    )
    if inst is None:
        raise NotFound("Deze instelling bestaat niet.", field="institution_id")
    rows = session.execute(
        select(orm.collection.c.id, orm.collection.c.name, orm.collection.c.collection_type, orm.institution_status)
        .join(
            orm.institution_status,
            and_(
                orm.institution_status.c.collection_id == orm.collection.c.id,
                orm.institution_status.c.institution_id == institution_id,
            ),
        )
        .where(orm.collection.c.insurer_id == actor.insurer_id, orm.collection.c.year == actor.year)
        .order_by(orm.collection.c.name)
    ).mappings()
    return {
        "institution_id": institution_id,
        "agb_code": inst["agb_code"],
        "name": inst["name"],
        "type": inst["type"],
        "country": inst["country"],
        "collections": [
            {
                "collection_id": str(r["id"]),
                "name": r["name"],
                "collection_type": r["collection_type"],
                **_status_fields(r),
            }
            for r in rows
        ],
    }


def _names(session: Session, rows: list[dict[str, Any]]) -> None:
    inst_ids = {r["institution_id"] for r in rows}
    subj = {r["subject_id"] for r in rows if r["subject_id"]}
    names = dict(
        session.execute(
            select(orm.institution.c.id, orm.institution.c.name).where(orm.institution.c.id.in_(inst_ids))
        ).all()
    )
    subjects = dict(
        session.execute(select(orm.specialism.c.id, orm.specialism.c.name).where(orm.specialism.c.id.in_(subj))).all()
    )
    subjects |= dict(
        session.execute(select(orm.condition.c.id, orm.condition.c.name).where(orm.condition.c.id.in_(subj))).all()
    )
    for r in rows:
        r["institution_name"] = names.get(r["institution_id"])
        r["subject_name"] = subjects.get(r["subject_id"]) if r["subject_id"] else None


def _history_entry(r: Any) -> dict[str, Any]:
    return {
        "change_id": str(r["change_id"]),
        "collection_id": str(r["collection_id"]),
        "level": r["level"],
        "institution_id": str(r["institution_id"]),
        "subject_id": str(r["subject_id"]) if r["subject_id"] else None,
        "from_status": r["from_status"],
        "to_status": r["to_status"],
        "remark_changed": r["remark_changed"],
        "changed_by": r["actor_name"],
        "changed_at": r["at"],
        "kind": r["kind"],
        "cascade": r["cascade"],
    }


def row_history(
    session: Session,
    actor: Actor,
    *,
    collection_id: str | None = None,
    institution_id: str | None = None,
    level: Level | None = None,
    subject_id: str | None = None,
    to_status: Status | None = None,
    page: int = 1,
    page_size: int = 50,
) -> dict[str, Any]:
    """Who changed which row when, from which status to which: per collection and/or per institution.

    The rows are limited by their collection, which is the actor's (checked) or one of the actor's
    collections of the year, not through the join with ``status_change``: so the count and the
    filters are answered from ``status_history``'s indexes alone, and the page walks a
    collection's changes newest first (``ix_status_change_collection_at``) instead of sorting
    its whole history. It stays flat as the history grows (``make bench-history``).
    """
    h, c = orm.status_history, orm.status_change
    if collection_id:
        get_collection(session, actor, collection_id)
        where = [h.c.collection_id == collection_id]
    else:
        mine = select(orm.collection.c.id).where(
            orm.collection.c.insurer_id == actor.insurer_id, orm.collection.c.year == actor.year
        )
        where = [h.c.collection_id.in_(mine)]
    if institution_id:
        where.append(h.c.institution_id == institution_id)
    if level:
        where.append(h.c.level == level.value)
    if subject_id:
        where.append(h.c.subject_id == subject_id)
    if to_status:
        where.append(h.c.to_status == to_status.value)
    total = session.execute(select(func.count()).select_from(h).where(*where)).scalar_one()
    changes_of = [c.c.collection_id == collection_id] if collection_id else [c.c.insurer_id == actor.insurer_id]
    base = (
        select(h, c.c.actor_id, c.c.actor_name, c.c.at, c.c.kind, c.c.cascade)
        .join(c, c.c.id == h.c.change_id)
        .where(*where, *changes_of)  # redundant, but lets the planner walk the changes by their index
    )
    page_rows = session.execute(base.order_by(c.c.at.desc()).limit(page_size).offset((page - 1) * page_size))
    rows = [_history_entry(r) for r in page_rows.mappings()]
    _names(session, rows)
    return {"items": rows, **_page(total, page, page_size)}


def changes(session: Session, actor: Actor, collection_id: str, page: int, page_size: int) -> dict[str, Any]:
    """The saves of a collection: one entry per save with its scope and count."""
    get_collection(session, actor, collection_id)  # the actor's: so its changes need no tenant filter of their own
    c = orm.status_change
    where = [c.c.collection_id == collection_id]  # answered from ix_status_change_collection_at alone
    total = session.execute(select(func.count()).select_from(c).where(*where)).scalar_one()
    rows = session.execute(
        select(c).where(*where).order_by(c.c.at.desc()).limit(page_size).offset((page - 1) * page_size)
    ).mappings()
    items = [
        {
            "change_id": str(r["id"]),
            "level": r["level"],
            "kind": r["kind"],
            "status": r["status"],
            "cascade": r["cascade"],
            "scope": json.loads(r["scope"]),
            "count": r["count"],
            "changed_by": r["actor_name"],
            "changed_at": r["at"],
        }
        for r in rows
    ]
    return {"items": items, **_page(total, page, page_size)}


def list_years(session: Session, insurer_id: str) -> list[dict[str, Any]]:
    rows = session.execute(
        select(
            orm.contract_year.c.year, orm.contract_year.c.state, func.count(orm.collection.c.id).label("collections")
        )
        .outerjoin(
            orm.collection,
            and_(
                orm.collection.c.insurer_id == orm.contract_year.c.insurer_id,
                orm.collection.c.year == orm.contract_year.c.year,
            ),
        )
        .where(orm.contract_year.c.insurer_id == insurer_id)
        .group_by(orm.contract_year.c.year, orm.contract_year.c.state)
        .order_by(orm.contract_year.c.year)
    ).mappings()
    return [dict(r) for r in rows]


def job_view(row: Any) -> dict[str, Any]:
    """A job (rollover or copy) as the API shows it: state and progress."""
    total, done = int(row["rows_total"]), int(row["rows_done"])
    return {
        "job_id": str(row["id"]),
        "kind": row["kind"],
        "source_collection_id": str(row["subject_id"]) if row["subject_id"] else None,
        "collection_id": str(row["result_id"]) if row["result_id"] else None,
        "insurer_id": str(row["insurer_id"]) if row["insurer_id"] else None,
        "from_year": row["from_year"],
        "to_year": row["to_year"],
        "state": row["state"],
        "rows_total": total,
        "rows_done": done,
        "percent": 100 if row["state"] == "done" else (round(100 * done / total, 1) if total else 0),
        "collections_copied": row["collections_copied"],
        "requested_by": row["requested_by"],
        "created_at": row["created_at"],
        "started_at": row["started_at"],
        "finished_at": row["finished_at"],
        "error": row["error"],
    }


def get_job(
    session: Session, job_id: str, insurer_id: str | None, kind: str = "rollover", subject_id: str | None = None
) -> dict[str, Any]:
    """A job of one kind; an insurer sees only its own jobs (``insurer_id`` None: platform admin); a copy
    job only under its source collection (``subject_id``)."""
    query = select(orm.rollover_job).where(orm.rollover_job.c.id == job_id, orm.rollover_job.c.kind == kind)
    if subject_id is not None:
        query = query.where(orm.rollover_job.c.subject_id == subject_id)
    if insurer_id is not None:
        query = query.where(orm.rollover_job.c.insurer_id == insurer_id)
    row = session.execute(query).mappings().one_or_none()
    if row is None:
        raise NotFound("Deze taak bestaat niet.", field="job_id")
    return job_view(row)
