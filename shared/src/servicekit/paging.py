"""One page of a listing: the read side's ``{items, total, page}`` (the response shape of ``PageSchema``)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from sqlalchemy import Row, Select, func, select
from sqlalchemy.orm import Session


def page_of(query: Select[Any], page: int, page_size: int) -> Select[Any]:
    """``query`` limited to page ``page`` (from 1) of ``page_size`` rows."""
    return query.limit(page_size).offset((page - 1) * page_size)


def count(session: Session, query: Select[Any]) -> int:
    """How many rows ``query`` gives, whatever its order or limit."""
    return int(session.execute(select(func.count()).select_from(query.order_by(None).subquery())).scalar_one())


def paged(
    session: Session,
    query: Select[Any],
    *,
    page: int,
    page_size: int,
    item: Callable[[Row[Any]], dict[str, Any]] = lambda row: dict(row._mapping),
) -> dict[str, Any]:
    """``{"items": [item(row), …], "total": n, "page": page}`` for one page of ``query``."""
    rows = session.execute(page_of(query, page, page_size)).all()
    return {"items": [item(row) for row in rows], "total": count(session, query), "page": page}
