"""Read side (CQRS-lite): plain SELECTs returning dicts. Scoping decisions come from the domain."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Engine, select

from identity.adapters.orm import api_key, insurer, user_account
from identity.domain.model import TOKEN_ROLES


def _user_row(row: Any) -> dict[str, Any]:
    return {
        "id": row.id,
        "username": row.username,
        "display_name": row.display_name,
        "role": row.role,
        "roles": sorted(TOKEN_ROLES[row.role]),
        "insurer": {"id": row.insurer_id, "name": row.insurer_name} if row.insurer_id else None,
        "active": row.active,
        "must_change_password": row.must_change_password,
        "created_at": row.created_at,
        "deactivated_at": row.deactivated_at,
    }


def _users_query():  # type: ignore[no-untyped-def]
    return select(
        user_account.c.id,
        user_account.c.username,
        user_account.c.display_name,
        user_account.c.role,
        user_account.c.insurer_id,
        insurer.c.name.label("insurer_name"),
        user_account.c.active,
        user_account.c.must_change_password,
        user_account.c.created_at,
        user_account.c.deactivated_at,
    ).select_from(user_account.outerjoin(insurer, insurer.c.id == user_account.c.insurer_id))


def users(engine: Engine, insurer_id: str | None, *, include_inactive: bool = True) -> list[dict[str, Any]]:
    """Users of one insurer, or of all (``insurer_id=None``), by username."""
    query = _users_query().order_by(user_account.c.username)
    if insurer_id is not None:
        query = query.where(user_account.c.insurer_id == insurer_id)
    if not include_inactive:
        query = query.where(user_account.c.active.is_(True))
    with engine.connect() as connection:
        return [_user_row(row) for row in connection.execute(query)]


def user(engine: Engine, user_id: str) -> dict[str, Any] | None:
    with engine.connect() as connection:
        row = connection.execute(_users_query().where(user_account.c.id == user_id)).one_or_none()
    return _user_row(row) if row else None


def insurers(engine: Engine) -> list[dict[str, Any]]:
    query = select(insurer.c.id, insurer.c.slug, insurer.c.name).order_by(insurer.c.name)
    with engine.connect() as connection:
        return [dict(row._mapping) for row in connection.execute(query)]


def insurer_by_id(engine: Engine, insurer_id: str) -> dict[str, Any] | None:
    query = select(insurer.c.id, insurer.c.slug, insurer.c.name).where(insurer.c.id == insurer_id)
    with engine.connect() as connection:
        row = connection.execute(query).one_or_none()
    return dict(row._mapping) if row else None


def api_keys(engine: Engine) -> list[dict[str, Any]]:
    query = select(
        api_key.c.id,
        api_key.c.name,
        api_key.c.prefix,
        api_key.c.created_at,
        api_key.c.revoked_at,
        api_key.c.last_used_at,
    ).order_by(api_key.c.created_at, api_key.c.name)
    with engine.connect() as connection:
        return [dict(row._mapping) for row in connection.execute(query)]
