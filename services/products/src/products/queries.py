"""Read side of the products API: plain SELECTs returning dicts."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from products.adapters.orm import collection_copy, company, product, product_link, publication_date
from products.domain.model import default_publication_date

#: A company as the API names it.
_COMPANY_COLUMNS = (
    company.c.id.label("company_id"),
    company.c.insurer_id,
    company.c.name,
    company.c.uzovi_code,
)


def companies(session: Session, insurer_id: str | None = None) -> list[dict[str, Any]]:
    query = select(*_COMPANY_COLUMNS).order_by(company.c.name)
    if insurer_id:
        query = query.where(company.c.insurer_id == insurer_id)
    return [dict(row) for row in session.execute(query).mappings()]


def company_view(session: Session, company_id: str) -> dict[str, Any] | None:
    row = session.execute(select(*_COMPANY_COLUMNS).where(company.c.id == company_id)).mappings().first()
    return dict(row) if row else None


def products(
    session: Session, *, year: int | None = None, insurer_id: str | None = None, company_id: str | None = None
) -> list[dict[str, Any]]:
    """Products with their company names and their linked collection (R13's listing)."""
    query = (
        select(
            product.c.id.label("product_id"),
            product.c.company_id,
            company.c.name.label("company_name"),
            company.c.uzovi_code,
            product.c.insurer_id,
            product.c.year,
            product.c.name,
            product.c.code,
            product.c.kind,
            product.c.carried_from_id,
            product_link.c.collection_id,
            collection_copy.c.name.label("collection_name"),
        )
        .join(company, company.c.id == product.c.company_id)
        .outerjoin(product_link, product_link.c.product_id == product.c.id)
        .outerjoin(collection_copy, collection_copy.c.id == product_link.c.collection_id)
        .order_by(company.c.name, product.c.name)
    )
    if year is not None:
        query = query.where(product.c.year == year)
    if insurer_id:
        query = query.where(product.c.insurer_id == insurer_id)
    if company_id:
        query = query.where(product.c.company_id == company_id)
    return [dict(row) for row in session.execute(query).mappings()]


def collections(session: Session, insurer_id: str, year: int) -> list[dict[str, Any]]:
    """R13: the collections a product of this insurer and year may be linked to."""
    query = (
        select(
            collection_copy.c.id.label("collection_id"),
            collection_copy.c.insurer_id,
            collection_copy.c.year,
            collection_copy.c.name,
            collection_copy.c.collection_type,
        )
        .where(collection_copy.c.insurer_id == insurer_id, collection_copy.c.year == year)
        .order_by(collection_copy.c.name)
    )
    return [dict(row) for row in session.execute(query).mappings()]


def publication_dates(session: Session, insurer_id: str, year: int) -> dict[str, Any]:
    stored = session.execute(
        select(publication_date.c.publish_from).where(
            publication_date.c.insurer_id == insurer_id, publication_date.c.year == year
        )
    ).scalar()
    return {
        "insurer_id": insurer_id,
        "year": year,
        "publish_from": stored or default_publication_date(year),
        "is_default": stored is None,
    }
