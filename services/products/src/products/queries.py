"""Read side of the products API: plain SELECTs returning dicts."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from products.adapters.orm import collection_copy, company, product, product_link, publication_date
from products.domain.model import default_publication_date


def companies(session: Session, insurer_id: str | None = None) -> list[dict[str, Any]]:
    query = select(company).order_by(company.c.name)
    if insurer_id:
        query = query.where(company.c.insurer_id == insurer_id)
    return [_company(row) for row in session.execute(query).mappings()]


def _company(row: Any) -> dict[str, Any]:
    return {
        "company_id": str(row["id"]),
        "insurer_id": str(row["insurer_id"]),
        "name": row["name"],
        "uzovi_code": row["uzovi_code"],
    }


def company_view(session: Session, company_id: str) -> dict[str, Any] | None:
    row = session.execute(select(company).where(company.c.id == company_id)).mappings().first()
    return _company(row) if row else None


def products(
    session: Session, *, year: int | None = None, insurer_id: str | None = None, company_id: str | None = None
) -> list[dict[str, Any]]:
    """Products with their company names and their linked collection (R13's listing)."""
    query = (
        select(
            product,
            company.c.name.label("company_name"),
            company.c.uzovi_code,
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
    return [product_view(row) for row in session.execute(query).mappings()]


def product_view(row: Any) -> dict[str, Any]:
    return {
        "product_id": str(row["id"]),
        "company_id": str(row["company_id"]),
        "company_name": row["company_name"],
        "uzovi_code": row["uzovi_code"],
        "insurer_id": str(row["insurer_id"]),
        "year": row["year"],
        "name": row["name"],
        "code": row["code"],
        "kind": row["kind"],
        "carried_from_id": str(row["carried_from_id"]) if row["carried_from_id"] else None,
        "collection_id": str(row["collection_id"]) if row["collection_id"] else None,
        "collection_name": row["collection_name"],
    }


def collections(session: Session, insurer_id: str, year: int) -> list[dict[str, Any]]:
    """R13: the collections a product of this insurer and year may be linked to."""
    query = (
        select(collection_copy)
        .where(collection_copy.c.insurer_id == insurer_id, collection_copy.c.year == year)
        .order_by(collection_copy.c.name)
    )
    return [
        {
            "collection_id": str(row["id"]),
            "insurer_id": str(row["insurer_id"]),
            "year": row["year"],
            "name": row["name"],
            "collection_type": row["collection_type"],
        }
        for row in session.execute(query).mappings()
    ]


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
