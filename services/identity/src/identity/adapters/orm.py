"""SQLAlchemy 2 tables of the identity service (its own database; no other service reads them).

The domain classes are mapped imperatively (:func:`start_mappers`), so ``domain/`` stays free of
SQLAlchemy. Only hashes of passwords (argon2id), session tokens and API keys (SHA-256 of 256 random
bits) are stored.
"""

from __future__ import annotations

from sqlalchemy import Boolean, CheckConstraint, Column, ForeignKey, Index, Integer, String, Table
from sqlalchemy.orm import registry

from identity.domain import model, throttle
from servicekit.db import UtcDateTime, service_metadata
from servicekit.messaging.tables import messaging_tables

metadata = service_metadata()
outbox_message, inbox_message = messaging_tables(metadata)


#: Every id column (and every column holding an id): a UUID as text; an insurer's is derived from its code.
ID = String(36)

_ROLES = ", ".join(f"'{role}'" for role in model.USER_ROLES)

insurer = Table(
    "insurer",
    metadata,
    Column("id", ID, primary_key=True),
    Column("slug", String(64), nullable=False, unique=True),
    Column("name", String(200), nullable=False, unique=True),
    Column("created_at", UtcDateTime, nullable=False),
    Column("updated_at", UtcDateTime, nullable=False),
)

user_account = Table(
    "user_account",
    metadata,
    Column("id", ID, primary_key=True),
    Column("username", String(64), nullable=False, unique=True),
    Column("display_name", String(200), nullable=False),
    Column("role", String(32), nullable=False),
    Column("insurer_id", ID, ForeignKey("insurer.id"), nullable=True, index=True),
    Column("password_hash", String(255), nullable=False),
    Column("must_change_password", Boolean, nullable=False),
    Column("active", Boolean, nullable=False),
    Column("created_at", UtcDateTime, nullable=False),
    Column("password_changed_at", UtcDateTime, nullable=False),
    Column("deactivated_at", UtcDateTime, nullable=True),
    CheckConstraint(f"role IN ({_ROLES})", name="role"),
)

user_session = Table(
    "user_session",
    metadata,
    Column("id", ID, primary_key=True),
    Column("token_hash", String(64), nullable=False, unique=True),
    Column("user_id", ID, ForeignKey("user_account.id"), nullable=False),
    Column("contract_year", Integer, nullable=False),
    Column("created_at", UtcDateTime, nullable=False),
    Column("last_seen_at", UtcDateTime, nullable=False),
    Column("ended_at", UtcDateTime, nullable=True),
    Column("end_reason", String(32), nullable=True),
    Index("ix_user_session_user_id_live", "user_id", "ended_at"),
    Index("ix_user_session_created_at", "created_at"),  # the purge (migration 0003_edge_session_purge)
)

api_key = Table(
    "api_key",
    metadata,
    Column("id", ID, primary_key=True),
    Column("name", String(200), nullable=False),
    Column("prefix", String(16), nullable=False),
    Column("key_hash", String(64), nullable=False, unique=True),
    Column("created_by", ID, nullable=False),
    Column("created_at", UtcDateTime, nullable=False),
    Column("revoked_at", UtcDateTime, nullable=True),
    Column("last_used_at", UtcDateTime, nullable=True),
)

login_throttle = Table(
    "login_throttle",
    metadata,
    Column("key", String(310), primary_key=True),
    Column("failures", Integer, nullable=False),
    Column("last_failure_at", UtcDateTime, nullable=True),
    Column("blocked_until", UtcDateTime, nullable=True),
)

mapper_registry = registry(metadata=metadata)
_mapped = False


def start_mappers() -> None:
    """Map the domain classes onto the tables, once per process (idempotent)."""
    global _mapped
    if _mapped:
        return
    mapper_registry.map_imperatively(model.Insurer, insurer)
    mapper_registry.map_imperatively(model.User, user_account)
    mapper_registry.map_imperatively(model.Session, user_session)
    mapper_registry.map_imperatively(model.ApiKey, api_key)
    mapper_registry.map_imperatively(throttle.LoginThrottle, login_throttle)
    _mapped = True
