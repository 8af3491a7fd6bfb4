"""SQLAlchemy 2 tables of the catalogue service (its own database; no other service reads them).

Core tables, mapped to the domain's frozen dataclasses by ``adapters/repository.py``; the schema
itself is created by the Alembic migrations (``migrations/versions``), never by ``create_all``.
"""

from typing import Any

from sqlalchemy import (
    Boolean,
    CheckConstraint,
    Column,
    Date,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    String,
    Table,
    UniqueConstraint,
    func,
    text,
)

from servicekit.db import service_metadata
from servicekit.messaging.tables import messaging_tables
from servicekit.search import fold

metadata = service_metadata()
outbox_message, inbox_message = messaging_tables(metadata)


def _timestamps() -> list[Column]:  # type: ignore[type-arg]
    return [
        Column("created_at", DateTime(timezone=True), nullable=False, server_default=func.current_timestamp()),
        Column("updated_at", DateTime(timezone=True), nullable=False, server_default=func.current_timestamp()),
    ]


def _table(name: str, *items: Any) -> Table:
    """A table keyed by ``id`` (a UUID), with ``items`` (columns, constraints, indexes) and the timestamps."""
    return Table(name, metadata, Column("id", String(36), primary_key=True), *items, *_timestamps())


def _folded_name(context: Any) -> str:
    """Insert default: an insert that names no ``name_folded`` gets the folded ``name``."""
    return fold(context.get_current_parameters()["name"])


institution_group = _table(
    "institution_group",
    Column("name", String(200), nullable=False, unique=True),
    Column("kind", String(40), nullable=False),
    Column("revision", Integer, nullable=False),
    Column("retired", Boolean, nullable=False, server_default=text("false")),
)

#: The CSV import's progress (the portal's bar polls it): written beside the import's own transaction,
#: so any API worker can answer how far an import on another worker is. Not business data.
import_progress = _table(
    "import_progress",
    Column("started_by", String(200), nullable=False),
    Column("phase", String(20), nullable=False),
    Column("done", Integer, nullable=False),
    Column("total", Integer, nullable=False),
)

specialism = _table(
    "specialism",
    Column("code", String(4), nullable=False, unique=True),
    Column("name", String(200), nullable=False),
    Column("retired", Boolean, nullable=False, server_default=text("false")),
    Column("revision", Integer, nullable=False),
)

condition = _table(
    "condition",
    Column("specialism_id", String(36), ForeignKey("specialism.id"), nullable=False),
    Column("name", String(200), nullable=False),
    Column("retired", Boolean, nullable=False, server_default=text("false")),
    Column("is_demo", Boolean, nullable=False, server_default=text("false")),
    Column("revision", Integer, nullable=False),
    UniqueConstraint("specialism_id", "name", name="uq_condition_specialism_id_name"),
)

institution = _table(
    "institution",
    Column("agb_code", String(8), nullable=False, unique=True),
    Column("name", String(200), nullable=False),
    # fold(name) (servicekit.search), written with every name: the accent-free search column (R8).
    Column("name_folded", String(200), nullable=False, default=_folded_name),
    Column("type", String(40), nullable=False),
    Column("country", String(2), nullable=False),
    Column("address", String(200)),
    Column("postcode", String(12)),
    Column("city", String(200)),
    Column("email", String(200)),
    Column("phone", String(32)),
    Column("group_id", String(36), ForeignKey("institution_group.id")),
    Column("opened_on", Date),
    Column("closed_on", Date),
    Column("merged_into_id", String(36), ForeignKey("institution.id")),
    Column("revision", Integer, nullable=False),
    Column("offering_revision", Integer, nullable=False, server_default=text("0")),
    CheckConstraint("length(agb_code) = 8", name="agb_code_length"),
    CheckConstraint("country IN ('NL', 'BE', 'DE')", name="country"),
    Index("ix_institution_name", "name"),
    Index("ix_institution_city", "city"),
    Index("ix_institution_type_name", "type", "name"),
    Index("ix_institution_country", "country"),
    Index("ix_institution_group_id", "group_id"),
)


def _offering_link(item: str) -> Table:
    """``offering_<item>``: one row per institution and offered ``item`` (specialism or condition); the index
    on the item finds the offerings a retirement touches."""
    return Table(
        f"offering_{item}",
        metadata,
        Column("institution_id", String(36), ForeignKey("institution.id"), primary_key=True),
        Column(f"{item}_id", String(36), ForeignKey(f"{item}.id"), primary_key=True),
        Index(f"ix_offering_{item}_{item}_id", f"{item}_id"),
    )


offering_specialism = _offering_link("specialism")
offering_condition = _offering_link("condition")
