"""The SQL of the consistency check (issue 15): one ``SELECT ... JOIN`` per kind of finding.

Every query answers ``(institution_id, subject_id, fingerprint parts...)``; the fingerprint parts are
the versions (or a change id) of the rows involved, so that a finding marked "bewust zo" shows again
once one of its rows is saved.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from operator import itemgetter
from typing import Any

from sqlalchemy import Select, String, and_, case, cast, func, literal, null, or_, select, text, union_all
from sqlalchemy.orm import Session

from contracting.adapters import orm
from contracting.adapters.sql import id_text, is_postgres

CONTRACTED = ("FULL", "PARTIAL")
NOT_YET = ("NOT_CONTRACTED", "IN_NEGOTIATION")
USER_SAVES = ("rows", "filter", "import")

inst, dep, cond = orm.institution_status, orm.department_status, orm.condition_status


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
    joined = cond.join(orm.condition, orm.condition.c.id == cond.c.condition_id).join(
        dep,
        and_(
            dep.c.collection_id == cond.c.collection_id,
            dep.c.institution_id == cond.c.institution_id,
            dep.c.specialism_id == orm.condition.c.specialism_id,
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
        select(func.max(orm.status_change.c.at))
        .where(orm.status_change.c.collection_id == collection_id, orm.status_change.c.kind.in_(USER_SAVES))
        .scalar_subquery()
    )
    return select(orm.status_change.c.scope, null(), orm.status_change.c.id).where(
        orm.status_change.c.collection_id == collection_id,
        orm.status_change.c.kind == "catalogue",
        orm.status_change.c.scope.contains('"kind": "removed"'),
        or_(last_save.is_(None), orm.status_change.c.at > last_save),
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


ROW_KINDS = [kind for kind in KINDS if kind != "closed_since_last_save"]


def _fingerprint_sql(parts: list[Any]) -> Any:
    """The parts joined with ``-`` by the database: the text ``"-".join(map(str, parts))`` gives in Python."""
    text: Any = cast(parts[0], String)
    for part in parts[1:]:
        text = text + literal("-") + cast(part, String)
    return text


def _named(collection_id: str, position: int, kind: str) -> Select[Any]:
    """One kind's rows with the names of its institution and subject and the subject's specialism."""
    level, build = KINDS[kind]
    found = build(collection_id).subquery()
    institution_id, subject_id, *parts = list(found.c)
    query = select(
        literal(position).label("position"),
        id_text(institution_id).label("institution_id"),
        (id_text(subject_id) if level != "institution" else null()).label("subject_id"),
        orm.institution.c.name.label("institution_name"),
        _fingerprint_sql(parts).label("fingerprint"),
    ).select_from(found.outerjoin(orm.institution, orm.institution.c.id == institution_id))
    if level == "department":
        query = query.outerjoin(orm.specialism, orm.specialism.c.id == subject_id)
        return query.add_columns(
            orm.specialism.c.name.label("subject_name"), id_text(subject_id).label("specialism_id")
        )
    if level == "condition":
        query = query.outerjoin(orm.condition, orm.condition.c.id == subject_id)
        return query.add_columns(orm.condition.c.name, id_text(orm.condition.c.specialism_id))
    return query.add_columns(null(), null())


def findings_query(collection_id: str) -> Any:
    """Every finding of the row kinds in one statement (``UNION ALL``): ``(position of the kind,
    institution id, subject id, institution name, fingerprint, subject name, specialism id)``, ids as
    text. One round trip instead of one per kind plus the names. No ORDER BY: a collation-aware sort
    of every finding by name costs more than the kinds' queries (see ``run_findings_query``)."""
    return union_all(*[_named(collection_id, n, kind) for n, kind in enumerate(ROW_KINDS)])


def closed_findings(session: Session, collection_id: str) -> list[tuple[str, str, str]]:
    """``closed_since_last_save``: (institution id, its name, fingerprint) per removal after the last save.

    The institution has left the collection; its name comes from the contracting copy of the catalogue
    (which keeps closed institutions), or the removal itself names it."""
    removals = [
        (json.loads(scope), str(change_id))
        for scope, _, change_id in session.execute(closed_since_last_save(collection_id)).all()
    ]
    if not removals:
        return []
    ids = [scope["institution_id"] for scope, _ in removals]
    known: dict[str, str] = dict(
        session.execute(
            select(id_text(orm.institution.c.id), orm.institution.c.name).where(orm.institution.c.id.in_(ids))
        ).all()
    )
    return [
        (
            scope["institution_id"],
            known.get(scope["institution_id"]) or scope.get("name") or scope["institution_id"],
            change_id,
        )
        for scope, change_id in removals
    ]


def run_findings_query(session: Session, collection_id: str) -> list[Any]:
    """``findings_query``'s rows (one fetchall), with PostgreSQL's JIT compilation off for it.

    The ``UNION ALL`` of nine kinds is estimated costly enough for JIT, which then spends longer
    compiling (~300 ms at scale 1) than the query runs; it is a short read, so it runs interpreted."""
    if is_postgres(session):
        session.execute(text("SET LOCAL jit = off"))
    rows = session.execute(findings_query(collection_id)).all()
    # the report lists kind after kind: a stable sort on the kind's position (nearly sorted already: O(n))
    return sorted(rows, key=itemgetter(0))
