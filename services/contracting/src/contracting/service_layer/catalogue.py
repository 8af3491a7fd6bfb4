"""R16: keep the local catalogue copy current and make every open year's collections follow it.

Each handler receives an event's full state; a revision not newer than the stored one is ignored,
so redeliveries and reordering change nothing. New rows are added with one ``INSERT ... SELECT
... ON CONFLICT DO NOTHING`` per level (nothing is ever entered twice); rows of what the catalogue
no longer offers leave the open years with one ``DELETE`` per level. Closed (past) years are left
as they were: they are history.
"""

from __future__ import annotations

import json
from datetime import date
from typing import Any

from sqlalchemy import and_, case, delete, false, func, literal, select, true, update
from sqlalchemy.orm import Session

from contracting.adapters import publication as published
from contracting.adapters.orm import (
    STATUS_HISTORY_COLUMNS,
    collection,
    condition,
    condition_status,
    contract_year,
    department_status,
    institution,
    institution_group,
    institution_status,
    offering_condition,
    offering_department,
    specialism,
    status_change,
    status_history,
)
from contracting.adapters.scopes import foreign_clause
from contracting.adapters.sql import insert_ignoring_duplicates, new_id, now
from contracting.domain.exceptions import UnknownReference
from contracting.domain.model import DEFAULT_STATUS, Status
from contracting.service_layer.publication import publish_institution
from servicekit.db import UnitOfWork


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
    full, default = Status.FULL.value, DEFAULT_STATUS.value

    # institutions
    where = [collection.c.id.in_(scope), institution.c.closed_on.is_(None)]
    if institution_id:
        where.append(institution.c.id == institution_id)
    rows = (
        select(collection.c.id, institution.c.id, literal(default), literal(mark_new))
        .select_from(collection)
        .join(institution, true())
        .where(*where)
    )
    session.execute(
        insert_ignoring_duplicates(session, institution_status)
        .from_select(["collection_id", "institution_id", "status", "is_new"], rows)
        .on_conflict_do_nothing()
    )

    # departments under institutions
    ist = institution_status
    where = [ist.c.collection_id.in_(scope), ~foreign_clause(), specialism.c.retired == false()]
    if institution_id:
        where.append(ist.c.institution_id == institution_id)
    rows = (
        select(
            ist.c.collection_id,
            ist.c.institution_id,
            offering_department.c.specialism_id,
            case((ist.c.status == full, full), else_=default),
            literal(mark_new),
        )
        .select_from(ist)
        .join(offering_department, offering_department.c.institution_id == ist.c.institution_id)
        .join(institution, institution.c.id == ist.c.institution_id)
        .join(specialism, specialism.c.id == offering_department.c.specialism_id)
        .where(*where)
    )
    session.execute(
        insert_ignoring_duplicates(session, department_status)
        .from_select(["collection_id", "institution_id", "specialism_id", "status", "is_new"], rows)
        .on_conflict_do_nothing()
    )

    # conditions under departments
    dst = department_status
    where = [dst.c.collection_id.in_(scope), condition.c.retired == false()]
    if institution_id:
        where.append(dst.c.institution_id == institution_id)
    rows = (
        select(
            dst.c.collection_id,
            dst.c.institution_id,
            offering_condition.c.condition_id,
            case((dst.c.status == full, full), else_=default),
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
    session.execute(
        insert_ignoring_duplicates(session, condition_status)
        .from_select(["collection_id", "institution_id", "condition_id", "status", "is_new"], rows)
        .on_conflict_do_nothing()
    )


def remove_unoffered_rows(session: Session, *, institution_id: str | None = None) -> None:
    """Open years only: drop rows of departments/conditions the institution no longer offers (or retired)."""
    scope = open_collection_ids()
    dst, cst = department_status, condition_status
    offered_dept = select(offering_department.c.specialism_id).where(
        offering_department.c.institution_id == dst.c.institution_id
    )
    live_specialisms = select(specialism.c.id).where(specialism.c.retired == false())
    where = [dst.c.collection_id.in_(scope)]
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


REMOVED_BY = ("catalogue", "Catalogus")  # actor id and name of a removal the catalogue caused


def remove_institution_from_open_years(session: Session, institution_id: str, *, reason: dict[str, Any]) -> None:
    """A closed institution leaves the open years' listings; closed years keep it (R16).

    The removal is history like any save: per collection one ``catalogue`` change, and per removed
    row its last status, so "what was this institution's status before it closed?" stays answerable.
    Removals write no ``statuses.changed`` event: consumers learn of closures from the catalogue.
    """
    scope = open_collection_ids()
    holding = session.execute(
        select(collection.c.id, collection.c.insurer_id, collection.c.year)
        .join(institution_status, institution_status.c.collection_id == collection.c.id)
        .where(collection.c.id.in_(scope), institution_status.c.institution_id == institution_id)
    ).all()
    if holding:
        at, summary = now(), json.dumps({"kind": "removed", "institution_id": institution_id, **reason})
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
                "count": 0,
                "actor_id": REMOVED_BY[0],
                "actor_name": REMOVED_BY[1],
                "at": at,
            }
            for collection_id, insurer_id, year in holding
        ]
        session.execute(status_change.insert(), changes)
        change_ids = [change["id"] for change in changes]
        # per level one INSERT ... SELECT for every collection: each row joins its collection's change
        for table, level, subject in (
            (institution_status, "institution", None),
            (department_status, "department", "specialism_id"),
            (condition_status, "condition", "condition_id"),
        ):
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
        removed = (
            select(func.count())
            .select_from(status_history)
            .where(status_history.c.change_id == status_change.c.id)
            .scalar_subquery()
        )
        session.execute(update(status_change).where(status_change.c.id.in_(change_ids)).values(count=removed))
        # the listings changed under anyone who has them open: their "apply to shown" must re-read them
        session.execute(
            update(collection)
            .where(collection.c.id.in_([change["collection_id"] for change in changes]))
            .values(status_version=collection.c.status_version + 1)
        )
    for table in (condition_status, department_status, institution_status):
        session.execute(delete(table).where(table.c.collection_id.in_(scope), table.c.institution_id == institution_id))


# -- revision-guarded upserts ------------------------------------------------------------------------


def _stored_revision(session: Session, table: Any, entity_id: str, column: str = "revision") -> int | None:
    return session.execute(select(table.c[column]).where(table.c.id == entity_id)).scalar_one_or_none()


def _upsert(session: Session, table: Any, entity_id: str, revision: int, values: dict[str, Any]) -> bool:
    """Store the full state if ``revision`` is newer than ours; False for a stale or repeated event."""
    stored = _stored_revision(session, table, entity_id)
    if stored is not None and stored >= revision:
        return False
    if stored is None:
        session.execute(table.insert().values(id=entity_id, revision=revision, **values))
    else:
        session.execute(update(table).where(table.c.id == entity_id).values(revision=revision, **values))
    return True


def _date(value: str | None) -> date | None:
    return date.fromisoformat(value) if value else None


# -- handlers, one per event type ---------------------------------------------------------------------


def institution_registered(data: dict[str, Any], uow: UnitOfWork) -> None:
    """``catalogue.institution.registered``/``.changed``: store it; a live institution appears in open years."""
    session = uow.session
    institution_id = data["institution_id"]
    _upsert(
        session,
        institution,
        institution_id,
        int(data["revision"]),
        {
            "agb_code": data["agb_code"],
            "name": data["name"],
            "type": data["type"],
            "country": data.get("country") or "NL",
            "city": data.get("city"),
            "group_id": data.get("group_id"),
            "opened_on": _date(data.get("opened_on")),
        },
    )
    closed = session.execute(select(institution.c.closed_on).where(institution.c.id == institution_id)).scalar_one()
    if closed is None:
        ensure_status_rows(session, institution_id=institution_id, mark_new=True)
        publish_institution(uow, institution_id, published.open_collections_holding(session, institution_id))  # R17


def institution_closed(data: dict[str, Any], uow: UnitOfWork) -> None:
    """``catalogue.institution.closed``/``.merged``: it leaves the open years, stays in closed ones."""
    session = uow.session
    institution_id = data["institution_id"]
    stored = _stored_revision(session, institution, institution_id)
    if stored is None:
        raise UnknownReference(f"institution {institution_id} not known yet")
    if stored < int(data["revision"]):
        session.execute(
            update(institution)
            .where(institution.c.id == institution_id)
            .values(
                revision=int(data["revision"]),
                closed_on=_date(data.get("closed_on")) or date.today(),
                merged_into_id=data.get("into_institution_id"),
            )
        )
    merged_into = data.get("into_institution_id")
    reason = {"reason": "merged", "into_institution_id": merged_into} if merged_into else {"reason": "closed"}
    holders = published.open_collections_holding(session, institution_id)
    remove_institution_from_open_years(session, institution_id, reason=reason)
    publish_institution(uow, institution_id, holders)  # R17: withdrawn from the publication


def offering_changed(data: dict[str, Any], uow: UnitOfWork) -> None:
    """``catalogue.offering.changed``: the whole offering; new departments/conditions appear, dropped ones leave."""
    session = uow.session
    institution_id = data["institution_id"]
    stored = _stored_revision(session, institution, institution_id, "offering_revision")
    if stored is None:
        raise UnknownReference(f"institution {institution_id} not known yet")
    if stored >= int(data["revision"]):
        return
    specialism_ids = sorted(set(data.get("specialism_ids") or []))
    condition_ids = sorted(set(data.get("condition_ids") or []))
    known = set(session.execute(select(specialism.c.id).where(specialism.c.id.in_(specialism_ids))).scalars())
    if missing := set(specialism_ids) - known:
        raise UnknownReference(f"specialisms not known yet: {sorted(missing)}")
    known = set(session.execute(select(condition.c.id).where(condition.c.id.in_(condition_ids))).scalars())
    if missing := set(condition_ids) - known:
        raise UnknownReference(f"conditions not known yet: {sorted(missing)}")
    session.execute(
        update(institution).where(institution.c.id == institution_id).values(offering_revision=int(data["revision"]))
    )
    session.execute(delete(offering_department).where(offering_department.c.institution_id == institution_id))
    session.execute(delete(offering_condition).where(offering_condition.c.institution_id == institution_id))
    if specialism_ids:
        session.execute(
            offering_department.insert(),
            [{"institution_id": institution_id, "specialism_id": s} for s in specialism_ids],
        )
    if condition_ids:
        session.execute(
            offering_condition.insert(), [{"institution_id": institution_id, "condition_id": c} for c in condition_ids]
        )
    remove_unoffered_rows(session, institution_id=institution_id)
    ensure_status_rows(session, institution_id=institution_id, mark_new=True)
    publish_institution(uow, institution_id, published.open_collections_holding(session, institution_id))  # R17


def specialism_added(data: dict[str, Any], uow: UnitOfWork) -> None:
    """``catalogue.specialism.added``/``.renamed``: store code and name (rows follow the offering)."""
    _upsert(
        uow.session,
        specialism,
        data["specialism_id"],
        int(data["revision"]),
        {"code": data["code"], "name": data["name"], "retired": False},
    )


def specialism_retired(data: dict[str, Any], uow: UnitOfWork) -> None:
    """``catalogue.specialism.retired``: it leaves the open years' collections."""
    session = uow.session
    stored = _stored_revision(session, specialism, data["specialism_id"])
    if stored is None:
        raise UnknownReference(f"specialism {data['specialism_id']} not known yet")
    if stored < int(data["revision"]):
        session.execute(
            update(specialism)
            .where(specialism.c.id == data["specialism_id"])
            .values(revision=int(data["revision"]), retired=True)
        )
    remove_unoffered_rows(session)


def condition_added(data: dict[str, Any], uow: UnitOfWork) -> None:
    """``catalogue.condition.added``/``.renamed``: store it (rows appear when an offering includes it)."""
    session = uow.session
    if _stored_revision(session, specialism, data["specialism_id"]) is None:
        raise UnknownReference(f"specialism {data['specialism_id']} not known yet")
    _upsert(
        session,
        condition,
        data["condition_id"],
        int(data["revision"]),
        {"specialism_id": data["specialism_id"], "name": data["name"], "retired": False},
    )


def condition_retired(data: dict[str, Any], uow: UnitOfWork) -> None:
    """``catalogue.condition.retired``: it leaves the open years' collections."""
    session = uow.session
    stored = _stored_revision(session, condition, data["condition_id"])
    if stored is None:
        raise UnknownReference(f"condition {data['condition_id']} not known yet")
    if stored < int(data["revision"]):
        session.execute(
            update(condition)
            .where(condition.c.id == data["condition_id"])
            .values(revision=int(data["revision"]), retired=True)
        )
    remove_unoffered_rows(session)


def group_changed(data: dict[str, Any], uow: UnitOfWork) -> None:
    """``catalogue.group.changed``: name and kind of an institution group (R8 group filter)."""
    _upsert(
        uow.session,
        institution_group,
        data["group_id"],
        int(data["revision"]),
        {"name": data["name"], "kind": data.get("kind")},
    )
