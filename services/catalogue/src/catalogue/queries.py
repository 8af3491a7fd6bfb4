"""Read side (CQRS-lite): plain SELECTs returning dicts, no domain objects, no writes."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from functools import partial
from typing import Any

from sqlalchemy import Column, Row, Select, Table, func, select
from sqlalchemy.orm import Session

from catalogue.adapters import orm
from servicekit.search import contains_pattern, folded_contains

SORTS = ("name", "agb_code", "city")
MAX_PAGE_SIZE = 200

#: An institution's own data, in the CSV's column order (the export adds its group and dates).
_DATA_COLUMNS = orm.institution.c[
    "agb_code", "name", "type", "country", "address", "postcode", "city", "email", "phone"
]
_INSTITUTION_COLUMNS = (
    orm.institution.c.id,
    *_DATA_COLUMNS,
    orm.institution.c.group_id,
    orm.institution_group.c.name.label("group_name"),
    orm.institution.c.opened_on,
    orm.institution.c.closed_on,
    orm.institution.c.merged_into_id,
    orm.institution.c.revision,
    orm.institution.c.offering_revision,
)


#: Every institution with its group, if it has one.
_WITH_GROUP = orm.institution.outerjoin(orm.institution_group, orm.institution.c.group_id == orm.institution_group.c.id)
_SPECIALISM_COLUMNS = orm.specialism.c["id", "code", "name", "retired", "revision"]


def _first(session: Session, query: Select[Any]) -> dict[str, Any] | None:
    """The first row of ``query`` as a dict, or None when there is none."""
    row = session.execute(query).first()
    return dict(row._mapping) if row else None


def _escape_like(text: str) -> str:
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


@dataclass(frozen=True)
class InstitutionSearch:
    """R8: filters combine (AND); ``types`` is an OR within the filter. ``agb_code`` is already normalised."""

    name: str | None = None
    types: tuple[str, ...] = ()
    agb_code: str | None = None
    group_id: str | None = None
    country: str | None = None
    status: str | None = None  # "open", "closed" or None for both
    sort: str = "name"
    descending: bool = False
    page: int = 1
    page_size: int = 50

    def where(self) -> list[Any]:
        conditions: list[Any] = []
        if self.name:
            # Case and accents folded ("Maxima" finds "Máxima"): the column the service keeps folded,
            # trigram-indexed on PostgreSQL (migration 0003_edge_name_search).
            conditions.append(orm.institution.c.name_folded.contains(contains_pattern(self.name), autoescape=True))
        if self.types:
            conditions.append(orm.institution.c.type.in_(self.types))
        if self.agb_code:
            conditions.append(orm.institution.c.agb_code == self.agb_code)
        if self.group_id:
            conditions.append(orm.institution.c.group_id == self.group_id)
        if self.country:
            conditions.append(orm.institution.c.country == self.country)
        if self.status == "open":
            conditions.append(orm.institution.c.closed_on.is_(None))
        elif self.status == "closed":
            conditions.append(orm.institution.c.closed_on.is_not(None))
        return conditions


def _institution_select() -> Select[Any]:
    return select(*_INSTITUTION_COLUMNS).select_from(_WITH_GROUP)


def _institution_dict(row: Any) -> dict[str, Any]:
    item = dict(row._mapping)
    item["status"] = "closed" if item["closed_on"] else "open"
    return item


def search_institutions(session: Session, search: InstitutionSearch) -> dict[str, Any]:
    """One page of institutions plus the total count of all matches."""
    conditions = search.where()
    total = session.execute(select(func.count()).select_from(orm.institution).where(*conditions)).scalar_one()
    column = orm.institution.c[search.sort]
    order = column.desc() if search.descending else column.asc()
    if search.sort == "city":
        order = order.nulls_last()
    query = (
        _institution_select()
        .where(*conditions)
        .order_by(order, orm.institution.c.agb_code)
        .limit(search.page_size)
        .offset((search.page - 1) * search.page_size)
    )
    items = [_institution_dict(row) for row in session.execute(query)]
    return {"items": items, "total": total, "page": search.page, "page_size": search.page_size}


def get_institution(session: Session, institution_id: str) -> dict[str, Any] | None:
    row = session.execute(_institution_select().where(orm.institution.c.id == institution_id)).first()
    return _institution_dict(row) if row else None


def _offered(
    session: Session, institution_id: str, item: Table, item_id: Column[str], columns: tuple[str, ...], order_by: str
) -> Sequence[Row[Any]]:
    """The ``columns`` of the items of ``item`` (specialisms or conditions) an institution offers, ordered by
    ``order_by``; ``item_id`` is the offering link table's column that names them."""
    link = item_id.table
    query = select(*item.c[columns]).join(link, item_id == item.c.id).where(link.c.institution_id == institution_id)
    return session.execute(query.order_by(item.c[order_by])).all()


def get_offering(session: Session, institution_id: str) -> dict[str, Any] | None:
    revision = session.execute(
        select(orm.institution.c.offering_revision).where(orm.institution.c.id == institution_id)
    ).scalar()
    if revision is None:
        return None
    offered = partial(_offered, session, institution_id)
    specs = offered(orm.specialism, orm.offering_specialism.c.specialism_id, ("id", "code", "name"), "code")
    conds = offered(orm.condition, orm.offering_condition.c.condition_id, ("id", "specialism_id", "name"), "name")
    by_specialism: dict[str, list[dict[str, Any]]] = {s.id: [] for s in specs}
    for c in conds:
        by_specialism.setdefault(c.specialism_id, []).append({"id": c.id, "name": c.name})
    return {
        "institution_id": institution_id,
        "revision": revision,
        "specialism_ids": [s.id for s in specs],
        "condition_ids": [c.id for c in conds],
        "specialisms": [{"id": s.id, "code": s.code, "name": s.name, "conditions": by_specialism[s.id]} for s in specs],
    }


def export_rows(session: Session) -> list[dict[str, Any]]:
    """Every institution in CSV column order, by AGB code (closed ones included)."""
    query = (
        select(
            *_DATA_COLUMNS,
            orm.institution_group.c.name.label("group"),
            orm.institution.c.opened_on,
            orm.institution.c.closed_on,
        )
        .select_from(_WITH_GROUP)
        .order_by(orm.institution.c.agb_code)
    )
    return [dict(row._mapping) for row in session.execute(query)]


def _group_select() -> Select[Any]:
    count = (
        select(func.count())
        .where(orm.institution.c.group_id == orm.institution_group.c.id, orm.institution.c.closed_on.is_(None))
        .correlate(orm.institution_group)
        .scalar_subquery()
    )
    return select(
        orm.institution_group.c.id,
        orm.institution_group.c.name,
        orm.institution_group.c.kind,
        orm.institution_group.c.revision,
        orm.institution_group.c.retired,
        count.label("open_institution_count"),
    )


def list_groups(session: Session, name: str | None = None, include_retired: bool = False) -> list[dict[str, Any]]:
    query = _group_select().order_by(orm.institution_group.c.retired, orm.institution_group.c.name)
    if not include_retired:
        query = query.where(orm.institution_group.c.retired.is_(False))
    if name:
        query = query.where(folded_contains(orm.institution_group.c.name, name))
    return [dict(row._mapping) for row in session.execute(query)]


def get_group(session: Session, group_id: str) -> dict[str, Any] | None:
    return _first(session, _group_select().where(orm.institution_group.c.id == group_id))


def list_specialisms(session: Session, include_retired: bool = False) -> list[dict[str, Any]]:
    query = select(*_SPECIALISM_COLUMNS)
    if not include_retired:
        query = query.where(orm.specialism.c.retired.is_(False))
    return [dict(row._mapping) for row in session.execute(query.order_by(orm.specialism.c.code))]


def get_specialism(session: Session, specialism_id: str) -> dict[str, Any] | None:
    return _first(session, select(*_SPECIALISM_COLUMNS).where(orm.specialism.c.id == specialism_id))


_CONDITION_COLUMNS = orm.condition.c["id", "specialism_id", "name", "retired", "is_demo", "revision"]


def list_conditions(
    session: Session, specialism_id: str | None = None, name: str | None = None, include_retired: bool = False
) -> list[dict[str, Any]]:
    query = select(*_CONDITION_COLUMNS).order_by(orm.condition.c.name)
    if specialism_id:
        query = query.where(orm.condition.c.specialism_id == specialism_id)
    if name:
        query = query.where(folded_contains(orm.condition.c.name, name))
    if not include_retired:
        query = query.where(orm.condition.c.retired.is_(False))
    return [dict(row._mapping) for row in session.execute(query)]


def get_condition(session: Session, condition_id: str) -> dict[str, Any] | None:
    return _first(session, select(*_CONDITION_COLUMNS).where(orm.condition.c.id == condition_id))
