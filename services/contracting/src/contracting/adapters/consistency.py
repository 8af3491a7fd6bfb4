"""The SQL of the consistency check (issue 15): one ``SELECT ... JOIN`` per kind of finding.

Every query answers ``(institution_id, subject_id, fingerprint parts...)``; the fingerprint parts are
the versions (or a change id) of the rows involved, so that a finding marked "bewust zo" shows again
once one of its rows is saved.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from sqlalchemy import Select, String, and_, case, cast, func, null, or_, select
from sqlalchemy.orm import Session

from contracting.adapters.orm import (
    condition,
    condition_status,
    department_status,
    institution,
    institution_status,
    specialism,
    status_change,
)

CONTRACTED = ("FULL", "PARTIAL")
NOT_YET = ("NOT_CONTRACTED", "IN_NEGOTIATION")
USER_SAVES = ("rows", "filter", "import")

inst, dep, cond = institution_status, department_status, condition_status


def _dep_join() -> Any:
    return dep.join(
        inst, and_(inst.c.collection_id == dep.c.collection_id, inst.c.institution_id == dep.c.institution_id)
    )


def full_institution_department_not_contracted(collection_id: str) -> Select[Any]:
    return (
        select(dep.c.institution_id, dep.c.specialism_id, inst.c.version, dep.c.version)
        .select_from(_dep_join())
        .where(dep.c.collection_id == collection_id, inst.c.status == "FULL", dep.c.status.in_(NOT_YET))
    )


def not_contracted_institution_department_contracted(collection_id: str) -> Select[Any]:
    return (
        select(dep.c.institution_id, dep.c.specialism_id, inst.c.version, dep.c.version)
        .select_from(_dep_join())
        .where(dep.c.collection_id == collection_id, inst.c.status == "NOT_CONTRACTED", dep.c.status.in_(CONTRACTED))
    )


def not_contracted_institution_condition_contracted(collection_id: str) -> Select[Any]:
    joined = cond.join(
        inst, and_(inst.c.collection_id == cond.c.collection_id, inst.c.institution_id == cond.c.institution_id)
    )
    return (
        select(cond.c.institution_id, cond.c.condition_id, inst.c.version, cond.c.version)
        .select_from(joined)
        .where(cond.c.collection_id == collection_id, inst.c.status == "NOT_CONTRACTED", cond.c.status == "FULL")
    )


def _below_summary(collection_id: str, table: Any, contracted: tuple[str, ...]) -> Any:
    """Per institution: rows below, rows contracted, rows fully contracted, and the sum of their versions."""
    return (
        select(
            table.c.institution_id,
            func.count().label("rows"),
            func.sum(case((table.c.status.in_(contracted), 1), else_=0)).label("contracted"),
            func.sum(case((table.c.status == "FULL", 1), else_=0)).label("full"),
            func.sum(table.c.version).label("versions"),
        )
        .where(table.c.collection_id == collection_id)
        .group_by(table.c.institution_id)
        .subquery()
    )


def _partial_institutions(collection_id: str, nothing: bool) -> Select[Any]:
    d, c = _below_summary(collection_id, dep, CONTRACTED), _below_summary(collection_id, cond, ("FULL",))
    c_contracted, c_full = func.coalesce(c.c.contracted, 0), func.coalesce(c.c.full, 0)
    c_rows = func.coalesce(c.c.rows, 0)
    if nothing:
        condition_ok = and_(d.c.contracted == 0, c_contracted == 0)
    else:
        condition_ok = and_(d.c.full == d.c.rows, c_full == c_rows)
    return (
        select(inst.c.institution_id, null(), inst.c.version, d.c.versions, func.coalesce(c.c.versions, 0))
        .select_from(inst)
        .join(d, d.c.institution_id == inst.c.institution_id)
        .outerjoin(c, c.c.institution_id == inst.c.institution_id)
        .where(inst.c.collection_id == collection_id, inst.c.status == "PARTIAL", condition_ok)
    )


def partial_institution_nothing_contracted(collection_id: str) -> Select[Any]:
    return _partial_institutions(collection_id, nothing=True)


def partial_institution_everything_contracted(collection_id: str) -> Select[Any]:
    return _partial_institutions(collection_id, nothing=False)


def full_department_condition_not_contracted(collection_id: str) -> Select[Any]:
    joined = cond.join(condition, condition.c.id == cond.c.condition_id).join(
        dep,
        and_(
            dep.c.collection_id == cond.c.collection_id,
            dep.c.institution_id == cond.c.institution_id,
            dep.c.specialism_id == condition.c.specialism_id,
        ),
    )
    return (
        select(cond.c.institution_id, cond.c.condition_id, dep.c.version, cond.c.version)
        .select_from(joined)
        .where(cond.c.collection_id == collection_id, dep.c.status == "FULL", cond.c.status.in_(NOT_YET))
    )


def _new_undecided(table: Any, subject: str | None) -> Callable[[str], Select[Any]]:
    def query(collection_id: str) -> Select[Any]:
        return select(table.c.institution_id, table.c[subject] if subject else null(), table.c.version).where(
            table.c.collection_id == collection_id, table.c.is_new
        )

    return query


def closed_since_last_save(collection_id: str) -> Select[Any]:
    """Institutions the catalogue closed (their rows left the collection) after the last save of a user."""
    last_save = (
        select(func.max(status_change.c.at))
        .where(status_change.c.collection_id == collection_id, status_change.c.kind.in_(USER_SAVES))
        .scalar_subquery()
    )
    return select(status_change.c.scope, null(), status_change.c.id).where(
        status_change.c.collection_id == collection_id,
        status_change.c.kind == "catalogue",
        status_change.c.scope.contains('"kind": "removed"'),
        or_(last_save.is_(None), status_change.c.at > last_save),
    )


#: kind -> (level, query builder). The order is the order of the report.
KINDS: dict[str, tuple[str, Callable[[str], Select[Any]]]] = {
    "full_institution_department_not_contracted": ("department", full_institution_department_not_contracted),
    "not_contracted_institution_department_contracted": (
        "department",
        not_contracted_institution_department_contracted,
    ),
    "not_contracted_institution_condition_contracted": ("condition", not_contracted_institution_condition_contracted),
    "partial_institution_nothing_contracted": ("institution", partial_institution_nothing_contracted),
    "partial_institution_everything_contracted": ("institution", partial_institution_everything_contracted),
    "full_department_condition_not_contracted": ("condition", full_department_condition_not_contracted),
    "new_institution_undecided": ("institution", _new_undecided(inst, None)),
    "new_department_undecided": ("department", _new_undecided(dep, "specialism_id")),
    "new_condition_undecided": ("condition", _new_undecided(cond, "condition_id")),
    "closed_since_last_save": ("institution", closed_since_last_save),
}


def names(session: Session, collection_id: str) -> tuple[dict[str, str], dict[str, str]]:
    """Names by id of the collection's institutions and of all specialisms and conditions (small lists),
    and each condition's specialism (for the link to its listing). Ids come as text: no per-row conversion."""
    label: dict[str, str] = {}
    held = select(cast(institution.c.id, String), institution.c.name).join(
        institution_status, institution_status.c.institution_id == institution.c.id
    )
    for query in (
        held.where(institution_status.c.collection_id == collection_id),
        select(cast(specialism.c.id, String), specialism.c.name),
        select(cast(condition.c.id, String), condition.c.name),
    ):
        label.update({row[0]: row[1] for row in session.execute(query).all()})
    parents = select(cast(condition.c.id, String), cast(condition.c.specialism_id, String))
    specialism_of: dict[str, str] = {row[0]: row[1] for row in session.execute(parents).all()}
    return label, specialism_of
