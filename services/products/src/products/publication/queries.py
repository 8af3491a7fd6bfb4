"""R17's read side: what comparison sites and care finders may see, per product and year.

A product is published when it is linked to a collection and its insurer's publication date for
its year has come (default 12 November of the year before). The read model holds only published
statuses (IN_NEGOTIATION arrives as an institution status of None, and not at all below it) and
never a remark: contracting's events never carry one.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from sqlalchemy import and_, func, select
from sqlalchemy.orm import Session

from products.adapters import orm
from products.domain.model import CONTRACTED, default_publication_date, is_published


@dataclass(frozen=True)
class PublishedProduct:
    """A product whose year is published, with the collection it is linked to (None: not linked)."""

    id: str
    company_name: str
    uzovi_code: str
    insurer_id: str
    year: int
    name: str
    code: str
    kind: str
    collection_id: str | None

    def view(self, last_changed_at: datetime | None) -> dict[str, Any]:
        return {
            "product_id": self.id,
            "company_name": self.company_name,
            "uzovi_code": self.uzovi_code,
            "year": self.year,
            "name": self.name,
            "code": self.code,
            "kind": self.kind,
            "last_changed_at": last_changed_at,
        }


def _product_query() -> Any:
    publish_from = (
        select(orm.publication_date.c.publish_from)
        .where(
            orm.publication_date.c.insurer_id == orm.product.c.insurer_id,
            orm.publication_date.c.year == orm.product.c.year,
        )
        .scalar_subquery()
    )
    return (
        select(
            orm.product,
            orm.company.c.name.label("company_name"),
            orm.company.c.uzovi_code,
            orm.product_link.c.collection_id,
            publish_from.label("publish_from"),
        )
        .join(orm.company, orm.company.c.id == orm.product.c.company_id)
        .outerjoin(orm.product_link, orm.product_link.c.product_id == orm.product.c.id)
    )


def _published(row: Any, today: date) -> PublishedProduct | None:
    publish_from = row["publish_from"] or default_publication_date(int(row["year"]))
    if not is_published(publish_from, today):
        return None  # R17: hidden until the insurer's publication date, as if it did not exist
    return PublishedProduct(
        id=str(row["id"]),
        company_name=row["company_name"],
        uzovi_code=row["uzovi_code"],
        insurer_id=str(row["insurer_id"]),
        year=int(row["year"]),
        name=row["name"],
        code=row["code"],
        kind=row["kind"],
        collection_id=str(row["collection_id"]) if row["collection_id"] else None,
    )


def product_by_id(session: Session, product_id: str, today: date) -> PublishedProduct | None:
    row = session.execute(_product_query().where(orm.product.c.id == product_id)).mappings().first()
    return _published(row, today) if row else None


def product_by_code(session: Session, uzovi_code: str, code: str, year: int, today: date) -> PublishedProduct | None:
    query = _product_query().where(
        orm.company.c.uzovi_code == uzovi_code, orm.product.c.code == code, orm.product.c.year == year
    )
    row = session.execute(query).mappings().first()
    return _published(row, today) if row else None


def published_products(session: Session, today: date, *, year: int | None, uzovi_code: str | None) -> list[Any]:
    query = _product_query().order_by(orm.company.c.name, orm.product.c.name)
    if year is not None:
        query = query.where(orm.product.c.year == year)
    if uzovi_code:
        query = query.where(orm.company.c.uzovi_code == uzovi_code)
    found = [_published(row, today) for row in session.execute(query).mappings()]
    return [p for p in found if p is not None]


def last_changed(session: Session, collection_id: str | None) -> tuple[datetime | None, int]:
    """When the collection's published contracting last changed, and the change feed's position then."""
    if collection_id is None:
        return None, 0
    row = session.execute(
        select(orm.publication_change.c.changed_at, orm.publication_change.c.position)
        .where(orm.publication_change.c.collection_id == collection_id)
        .order_by(orm.publication_change.c.position.desc())
        .limit(1)
    ).first()
    return (row.changed_at, int(row.position)) if row else (None, 0)


@dataclass(frozen=True)
class InstitutionFilter:
    type: str | None = None
    agb_code: str | None = None
    specialism_code: str | None = None
    condition_id: str | None = None


def _the_condition_of(pi: Any, condition_id: str) -> Any:
    """The published row of ``condition_id`` below the institution row ``pi`` (same collection)."""
    con = orm.published_condition
    return and_(
        con.c.collection_id == pi.c.collection_id,
        con.c.institution_id == pi.c.institution_id,
        con.c.condition_id == condition_id,
    )


def _has_row(rows: Any, *match: Any) -> Any:
    """EXISTS a published row below the outer institution (of its collection) that meets ``match``."""
    pi = orm.published_institution
    return (
        select(rows.c.institution_id)
        .where(rows.c.collection_id == pi.c.collection_id, rows.c.institution_id == pi.c.institution_id, *match)
        .exists()
    )


def _filtered(collection_id: str, wanted: InstitutionFilter) -> Any:
    """The collection's contracted institutions (FULL, PARTIAL) that match the filter."""
    pi = orm.published_institution
    query = select(pi).where(pi.c.collection_id == collection_id, pi.c.status.in_(sorted(CONTRACTED)))
    if wanted.type:
        query = query.where(pi.c.type == wanted.type)
    if wanted.agb_code:
        query = query.where(pi.c.agb_code == wanted.agb_code)
    if wanted.specialism_code:
        dep = orm.published_department
        query = query.where(_has_row(dep, dep.c.code == wanted.specialism_code, dep.c.status.in_(sorted(CONTRACTED))))
    if wanted.condition_id:
        con = orm.published_condition
        query = query.where(_has_row(con, con.c.condition_id == wanted.condition_id, con.c.status == "FULL"))
    return query


Rows = list[dict[str, Any]]


def _rows_below(
    session: Session, rows: Any, columns: tuple[str, ...], order: Any, collection_id: str, ids: Sequence[str]
) -> dict[str, Rows]:
    """Per institution, its published rows of one level below (``columns``, ids as text), in ``order``."""
    found: dict[str, list[dict[str, Any]]] = {i: [] for i in ids}
    query = select(rows).where(rows.c.collection_id == collection_id, rows.c.institution_id.in_(ids)).order_by(order)
    for row in session.execute(query).mappings():
        found[str(row["institution_id"])].append(
            {name: str(row[name]) if name.endswith("_id") else row[name] for name in columns}
        )
    return found


def _below(
    session: Session, collection_id: str, institution_ids: Sequence[str]
) -> tuple[dict[str, Rows], dict[str, Rows]]:
    if not institution_ids:
        return {}, {}
    dep, con = orm.published_department, orm.published_condition
    return (
        _rows_below(
            session, dep, ("specialism_id", "code", "name", "status"), dep.c.code, collection_id, institution_ids
        ),
        _rows_below(
            session,
            con,
            ("condition_id", "specialism_id", "name", "status"),
            con.c.name,
            collection_id,
            institution_ids,
        ),
    )


def institution_view(row: Any, departments: list[Any], conditions: list[Any]) -> dict[str, Any]:
    return {
        "institution_id": str(row["institution_id"]),
        "agb_code": row["agb_code"],
        "name": row["name"],
        "type": row["type"],
        "country": row["country"],
        "city": row["city"],
        "status": row["status"],
        "changed_at": row["changed_at"],
        "departments": departments,
        "conditions": conditions,
    }


def contracted_institutions(
    session: Session, collection_id: str | None, wanted: InstitutionFilter, page: int, page_size: int
) -> tuple[int, list[dict[str, Any]]]:
    """R17: per product and year the contracted institutions, with departments and conditions and their status."""
    if collection_id is None:
        return 0, []
    query = _filtered(collection_id, wanted)
    total = int(session.execute(select(func.count()).select_from(query.subquery())).scalar_one())
    rows = list(
        session.execute(
            query.order_by(orm.published_institution.c.agb_code).offset((page - 1) * page_size).limit(page_size)
        ).mappings()
    )
    ids = [str(r["institution_id"]) for r in rows]
    departments, conditions = _below(session, collection_id, ids)
    return total, [
        institution_view(r, departments[str(r["institution_id"])], conditions[str(r["institution_id"])]) for r in rows
    ]


def lookup_in_one_query(
    session: Session, product_id: str, agb_code: str, condition_id: str | None, today: date
) -> tuple[PublishedProduct | None, dict[str, Any], datetime | None]:
    """Point lookup, the hot path of R17: is this institution (for this condition) contracted under the product?

    The product (None: unknown or not yet published), the answer (``published: False`` and
    ``contracted: None`` when nothing is published, e.g. IN_NEGOTIATION) and the last-changed date,
    in one round trip.
    """
    pi, con, pc = orm.published_institution, orm.published_condition, orm.publication_change
    last = (
        select(pc.c.changed_at)
        .where(pc.c.collection_id == orm.product_link.c.collection_id)
        .order_by(pc.c.position.desc())
        .limit(1)
        .scalar_subquery()
    )
    query = (
        _product_query()
        .outerjoin(pi, and_(pi.c.collection_id == orm.product_link.c.collection_id, pi.c.agb_code == agb_code))
        .add_columns(
            pi.c.institution_id,
            pi.c.agb_code,
            pi.c.name.label("institution_name"),
            pi.c.type.label("institution_type"),
            pi.c.city,
            pi.c.status.label("institution_status"),
            last.label("last_changed_at"),
        )
        .where(orm.product.c.id == product_id)
    )
    if condition_id is not None:
        query = query.outerjoin(con, _the_condition_of(pi, condition_id)).add_columns(
            con.c.status.label("condition_status"), con.c.name.label("condition_name")
        )
    row = session.execute(query).mappings().first()
    found = _published(row, today) if row else None
    if row is None or found is None:
        return None, {}, None
    return found, _answer(row, condition_id), row["last_changed_at"]


def _answer(row: Any, condition_id: str | None) -> dict[str, Any]:
    if row["institution_id"] is None:
        return {"published": False, "contracted": None, "status": None, "institution": None, "condition": None}
    institution = {
        "agb_code": row["agb_code"],
        "name": row["institution_name"],
        "type": row["institution_type"],
        "city": row["city"],
    }
    if condition_id is None:
        status, condition = row["institution_status"], None
    else:
        status = row["condition_status"]
        condition = {"condition_id": condition_id, "name": row["condition_name"]} if status else None
    return {
        "published": status is not None,
        "contracted": None if status is None else status in CONTRACTED,
        "status": status,
        "institution": institution,
        "condition": condition,
    }


def products_contracting(
    session: Session, agb_code: str, year: int, condition_id: str | None, today: date
) -> list[dict[str, Any]]:
    """Which published products of ``year`` contract this institution (for this condition)."""
    pi, con = orm.published_institution, orm.published_condition
    query = _product_query().join(
        pi, and_(pi.c.collection_id == orm.product_link.c.collection_id, pi.c.agb_code == agb_code)
    )
    if condition_id:
        query = query.join(
            con,
            and_(_the_condition_of(pi, condition_id), con.c.status == "FULL"),
        )
    else:
        query = query.where(pi.c.status.in_(sorted(CONTRACTED)))
    query = query.add_columns(pi.c.status.label("institution_status")).where(orm.product.c.year == year)
    answer = []
    for row in session.execute(query.order_by(orm.company.c.name, orm.product.c.name)).mappings():
        published = _published(row, today)
        if published is not None:
            answer.append(
                published.view(last_changed(session, published.collection_id)[0])
                | {"status": row["institution_status"]}
            )
    return answer


FEED_COLUMNS = (
    "level",
    "agb_code",
    "institution_name",
    "institution_type",
    "city",
    "specialism_code",
    "specialism_name",
    "condition_id",
    "condition_name",
    "status",
)


def feed_rows(session: Session, collection_id: str, chunk: int = 2000) -> Iterator[dict[str, Any]]:
    """The bulk feed's flat rows (institution, department, condition), streamed: memory stays flat."""
    pi, dep, con = orm.published_institution, orm.published_department, orm.published_condition
    base: dict[str, Any] = {c: None for c in FEED_COLUMNS}
    levels: tuple[tuple[str, Any, Callable[[Any], dict[str, Any]]], ...] = (
        (
            "institution",
            select(pi.c.agb_code, pi.c.name, pi.c.type, pi.c.city, pi.c.status)
            .where(pi.c.collection_id == collection_id, pi.c.status.is_not(None))
            .order_by(pi.c.agb_code),
            lambda r: {},
        ),
        (
            "department",
            select(pi.c.agb_code, pi.c.name, pi.c.type, pi.c.city, dep.c.code, dep.c.name.label("sname"), dep.c.status)
            .join(pi, and_(pi.c.collection_id == dep.c.collection_id, pi.c.institution_id == dep.c.institution_id))
            .where(dep.c.collection_id == collection_id)
            .order_by(pi.c.agb_code, dep.c.code),
            lambda r: {"specialism_code": r.code, "specialism_name": r.sname},
        ),
        (
            "condition",
            select(
                pi.c.agb_code,
                pi.c.name,
                pi.c.type,
                pi.c.city,
                con.c.condition_id,
                con.c.name.label("cname"),
                con.c.status,
            )
            .join(pi, and_(pi.c.collection_id == con.c.collection_id, pi.c.institution_id == con.c.institution_id))
            .where(con.c.collection_id == collection_id)
            .order_by(pi.c.agb_code, con.c.name),
            lambda r: {"condition_id": str(r.condition_id), "condition_name": r.cname},
        ),
    )
    for level, query, extra in levels:
        result = session.execute(query, execution_options={"stream_results": True, "yield_per": chunk})
        for r in result:
            yield (
                base
                | {
                    "level": level,
                    "agb_code": r.agb_code,
                    "institution_name": r.name,
                    "institution_type": r.type,
                    "city": r.city,
                    "status": r.status,
                }
                | extra(r)
            )


def changes_since(
    session: Session, collection_id: str | None, since: int, limit: int
) -> tuple[int, bool, list[dict[str, Any]]]:
    """The change feed: institutions whose published state changed after position ``since``, as they are now."""
    if collection_id is None:
        return since, False, []
    pc = orm.publication_change
    entries = list(
        session.execute(
            select(pc.c.position, pc.c.institution_id)
            .where(pc.c.collection_id == collection_id, pc.c.position > since)
            .order_by(pc.c.position)
            .limit(limit + 1)
        )
    )
    more = len(entries) > limit
    entries = entries[:limit]
    if not entries:
        return since, False, []
    latest = {str(e.institution_id): int(e.position) for e in entries}
    ids = list(latest)
    rows = session.execute(
        select(orm.published_institution).where(
            orm.published_institution.c.collection_id == collection_id,
            orm.published_institution.c.institution_id.in_(ids),
        )
    ).mappings()
    departments, conditions = _below(session, collection_id, ids)
    changes = [
        {"position": latest[str(r["institution_id"])]}
        | institution_view(r, departments[str(r["institution_id"])], conditions[str(r["institution_id"])])
        for r in rows
    ]
    changes.sort(key=lambda c: c["position"])
    return int(entries[-1].position), more, changes
