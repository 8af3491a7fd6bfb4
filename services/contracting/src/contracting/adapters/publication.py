"""The SQL of R17's publication feed: which institutions a save changed, and what may be published of them.

Three set-based SELECTs per chunk of institutions (institution, department and condition level,
each joined to the local catalogue copy for names and codes). The ``remark`` column is never
selected, and IN_NEGOTIATION rows are filtered out in SQL, so neither can reach an event.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator, Sequence
from typing import Any

from sqlalchemy import Table, and_, select
from sqlalchemy.orm import Session

from contracting.adapters import orm
from contracting.domain.events import PublishedInstitution

IN_NEGOTIATION = "IN_NEGOTIATION"
#: Institutions per round of SELECTs (keeps IN lists and memory bounded on a whole-collection cascade).
CHUNK = 500


def institutions_changed(session: Session, change_id: str) -> list[str]:
    """Institutions with at least one status (any level) changed by this save; remark-only changes do not count."""
    query = (
        select(orm.status_history.c.institution_id)
        .distinct()
        .where(
            orm.status_history.c.change_id == change_id,
            orm.status_history.c.from_status.is_distinct_from(orm.status_history.c.to_status),
        )
    )
    return sorted(str(i) for i in session.execute(query).scalars())


def is_linked(session: Session, collection_id: str) -> bool:
    """Does a product link this collection (R13)? Only linked collections are published."""
    query = (
        select(orm.collection_link.c.product_id).where(orm.collection_link.c.collection_id == collection_id).limit(1)
    )
    return session.execute(query).first() is not None


def institutions_of(session: Session, collection_id: str) -> list[str]:
    """Every institution of a collection (a rollover copy, a resync)."""
    query = select(orm.institution_status.c.institution_id).where(
        orm.institution_status.c.collection_id == collection_id
    )
    return sorted(str(i) for i in session.execute(query).scalars())


def chunks(ids: Sequence[str], size: int = CHUNK) -> Iterator[Sequence[str]]:
    for start in range(0, len(ids), size):
        yield ids[start : start + size]


def _published_rows(
    session: Session,
    rows: Table,
    join: Any,
    columns: dict[str, Any],
    order: Any,
    collection_id: str,
    ids: Sequence[str],
) -> dict[str, list[dict[str, Any]]]:
    """Per institution, the published rows of one level below it (``columns`` named as published, ids as text)."""
    query = (
        select(rows.c.institution_id, *(column.label(name) for name, column in columns.items()), rows.c.status)
        .join(*join)
        .where(rows.c.collection_id == collection_id, rows.c.institution_id.in_(ids), rows.c.status != IN_NEGOTIATION)
        .order_by(rows.c.institution_id, order)
    )
    found: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for row in session.execute(query):
        item = {name: str(value) if name.endswith("_id") else value for name, value in row._mapping.items()}
        found[item.pop("institution_id")].append(item)
    return found


def _departments(session: Session, collection_id: str, ids: Sequence[str]) -> dict[str, list[dict[str, Any]]]:
    dst, spec = orm.department_status, orm.specialism
    columns = {"specialism_id": dst.c.specialism_id, "code": spec.c.code, "name": spec.c.name}
    join = (spec, spec.c.id == dst.c.specialism_id)
    return _published_rows(session, dst, join, columns, spec.c.code, collection_id, ids)


def _conditions(session: Session, collection_id: str, ids: Sequence[str]) -> dict[str, list[dict[str, Any]]]:
    cst, cond = orm.condition_status, orm.condition
    columns = {"condition_id": cst.c.condition_id, "specialism_id": cond.c.specialism_id, "name": cond.c.name}
    join = (cond, cond.c.id == cst.c.condition_id)
    return _published_rows(session, cst, join, columns, cond.c.name, collection_id, ids)


def published_institutions(session: Session, collection_id: str, ids: Sequence[str]) -> list[PublishedInstitution]:
    """What may be published of these institutions of the collection (no remarks, no IN_NEGOTIATION)."""
    query = (
        select(
            orm.institution.c.id,
            *orm.INSTITUTION_DESCRIPTION,
            orm.institution_status.c.status,
        )
        .join(orm.institution_status, orm.institution_status.c.institution_id == orm.institution.c.id)
        .where(orm.institution_status.c.collection_id == collection_id, orm.institution.c.id.in_(ids))
        .order_by(orm.institution.c.id)
    )
    rows = session.execute(query).all()
    departments = _departments(session, collection_id, ids)
    conditions = _conditions(session, collection_id, ids)
    return [
        PublishedInstitution(
            institution_id=str(row.id),
            agb_code=row.agb_code,
            name=row.name,
            type=row.type,
            country=row.country,
            city=row.city,
            status=None if row.status == IN_NEGOTIATION else row.status,
            departments=tuple(departments.get(str(row.id), ())),
            conditions=tuple(conditions.get(str(row.id), ())),
        )
        for row in rows
    ]


def open_collections_holding(session: Session, institution_id: str) -> list[Any]:
    """The open years' collections that list this institution and that a product links (R13): only those are read.

    A collection linked later is sent whole when the link arrives (``collections.collection_linked``).
    """
    linked = select(orm.collection_link.c.collection_id)
    query = (
        select(orm.collection)
        .join(
            orm.contract_year,
            and_(
                orm.contract_year.c.insurer_id == orm.collection.c.insurer_id,
                orm.contract_year.c.year == orm.collection.c.year,
            ),
        )
        .join(orm.institution_status, orm.institution_status.c.collection_id == orm.collection.c.id)
        .where(
            orm.contract_year.c.state == "open",
            orm.institution_status.c.institution_id == institution_id,
            orm.collection.c.id.in_(linked),
        )
        .order_by(orm.collection.c.id)
    )
    return list(session.execute(query).mappings())


def withdrawn(session: Session, institution_id: str) -> PublishedInstitution:
    """An institution that left a collection (closed, merged): nothing of it is published there any more."""
    row = session.execute(select(orm.institution).where(orm.institution.c.id == institution_id)).mappings().one()
    return PublishedInstitution(
        institution_id=str(row["id"]),
        agb_code=row["agb_code"],
        name=row["name"],
        type=row["type"],
        country=row["country"],
        city=row["city"],
        status=None,
    )
