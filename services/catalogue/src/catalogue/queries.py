"""Read side (CQRS-lite): plain SELECTs returning dicts, no domain objects, no writes."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import Select, func, select
from sqlalchemy.orm import Session

from catalogue.adapters.orm import (
    condition,
    institution,
    institution_group,
    offering_condition,
    offering_specialism,
    specialism,
)
from servicekit.search import contains_pattern, folded_contains

SORTS = ("name", "agb_code", "city")
MAX_PAGE_SIZE = 200

#: An institution's own data, in the CSV's column order (the export adds its group and dates).
_DATA_COLUMNS = tuple(
    institution.c[name]
    for name in ("agb_code", "name", "type", "country", "address", "postcode", "city", "email", "phone")
)
_INSTITUTION_COLUMNS = (
    institution.c.id,
    *_DATA_COLUMNS,
    institution.c.group_id,
    institution_group.c.name.label("group_name"),
    institution.c.opened_on,
    institution.c.closed_on,
    institution.c.merged_into_id,
    institution.c.revision,
    institution.c.offering_revision,
)


#: Every institution with its group, if it has one.
_WITH_GROUP = institution.outerjoin(institution_group, institution.c.group_id == institution_group.c.id)
_SPECIALISM_COLUMNS = (
    specialism.c.id,
    specialism.c.code,
    specialism.c.name,
    specialism.c.retired,
    specialism.c.revision,
)


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
            conditions.append(institution.c.name_folded.contains(contains_pattern(self.name), autoescape=True))
        if self.types:
            conditions.append(institution.c.type.in_(self.types))
        if self.agb_code:
            conditions.append(institution.c.agb_code == self.agb_code)
        if self.group_id:
            conditions.append(institution.c.group_id == self.group_id)
        if self.country:
            conditions.append(institution.c.country == self.country)
        if self.status == "open":
            conditions.append(institution.c.closed_on.is_(None))
        elif self.status == "closed":
            conditions.append(institution.c.closed_on.is_not(None))
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
    total = session.execute(select(func.count()).select_from(institution).where(*conditions)).scalar_one()
    column = institution.c[search.sort]
    order = column.desc() if search.descending else column.asc()
    if search.sort == "city":
        order = order.nulls_last()
    query = (
        _institution_select()
        .where(*conditions)
        .order_by(order, institution.c.agb_code)
        .limit(search.page_size)
        .offset((search.page - 1) * search.page_size)
    )
    items = [_institution_dict(row) for row in session.execute(query)]
    return {"items": items, "total": total, "page": search.page, "page_size": search.page_size}


def get_institution(session: Session, institution_id: str) -> dict[str, Any] | None:
    row = session.execute(_institution_select().where(institution.c.id == institution_id)).first()
    return _institution_dict(row) if row else None


def get_offering(session: Session, institution_id: str) -> dict[str, Any] | None:
    revision = session.execute(
        select(institution.c.offering_revision).where(institution.c.id == institution_id)
    ).scalar()
    if revision is None:
        return None
    specs = session.execute(
        select(specialism.c.id, specialism.c.code, specialism.c.name)
        .join(offering_specialism, offering_specialism.c.specialism_id == specialism.c.id)
        .where(offering_specialism.c.institution_id == institution_id)
        .order_by(specialism.c.code)
    ).all()
    conds = session.execute(
        select(condition.c.id, condition.c.specialism_id, condition.c.name)
        .join(offering_condition, offering_condition.c.condition_id == condition.c.id)
        .where(offering_condition.c.institution_id == institution_id)
        .order_by(condition.c.name)
    ).all()
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
            institution_group.c.name.label("group"),
            institution.c.opened_on,
            institution.c.closed_on,
        )
        .select_from(_WITH_GROUP)
        .order_by(institution.c.agb_code)
    )
    return [dict(row._mapping) for row in session.execute(query)]


def _group_select() -> Select[Any]:
    count = (
        select(func.count())
        .where(institution.c.group_id == institution_group.c.id, institution.c.closed_on.is_(None))
        .correlate(institution_group)
        .scalar_subquery()
    )
    return select(
        institution_group.c.id,
        institution_group.c.name,
        institution_group.c.kind,
        institution_group.c.revision,
        institution_group.c.retired,
        count.label("open_institution_count"),
    )


def list_groups(session: Session, name: str | None = None, include_retired: bool = False) -> list[dict[str, Any]]:
    query = _group_select().order_by(institution_group.c.retired, institution_group.c.name)
    if not include_retired:
        query = query.where(institution_group.c.retired.is_(False))
    if name:
        query = query.where(folded_contains(institution_group.c.name, name))
    return [dict(row._mapping) for row in session.execute(query)]


def get_group(session: Session, group_id: str) -> dict[str, Any] | None:
    return _first(session, _group_select().where(institution_group.c.id == group_id))


def list_specialisms(session: Session, include_retired: bool = False) -> list[dict[str, Any]]:
    query = select(*_SPECIALISM_COLUMNS)
    if not include_retired:
        query = query.where(specialism.c.retired.is_(False))
    return [dict(row._mapping) for row in session.execute(query.order_by(specialism.c.code))]


def get_specialism(session: Session, specialism_id: str) -> dict[str, Any] | None:
    return _first(session, select(*_SPECIALISM_COLUMNS).where(specialism.c.id == specialism_id))


_CONDITION_COLUMNS = (
    condition.c.id,
    condition.c.specialism_id,
    condition.c.name,
    condition.c.retired,
    condition.c.is_demo,
    condition.c.revision,
)


def list_conditions(
    session: Session, specialism_id: str | None = None, name: str | None = None, include_retired: bool = False
) -> list[dict[str, Any]]:
    query = select(*_CONDITION_COLUMNS).order_by(condition.c.name)
    if specialism_id:
        query = query.where(condition.c.specialism_id == specialism_id)
    if name:
        query = query.where(folded_contains(condition.c.name, name))
    if not include_retired:
        query = query.where(condition.c.retired.is_(False))
    return [dict(row._mapping) for row in session.execute(query)]


def get_condition(session: Session, condition_id: str) -> dict[str, Any] | None:
    return _first(session, select(*_CONDITION_COLUMNS).where(condition.c.id == condition_id))
