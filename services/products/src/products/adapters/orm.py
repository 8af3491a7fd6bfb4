"""SQLAlchemy 2 tables of the products service (its own database; no other service reads them).

Three groups:

- companies (labels with their UZOVI code, kept by the platform admin), products (a basic policy
  of a company for one year) and each product's link to one hospital collection (R13);
- a local copy of contracting's collections (id, insurer, year, name), fed by its events, so that
  a link is checked without asking contracting;
- the publication read model (R17): per collection and institution its published state, as the
  last ``contracting.publication.changed`` snapshot left it, plus a change log whose position is
  the change feed's cursor. Publication is read per product: product -> link -> collection.
"""

from sqlalchemy import (
    BigInteger,
    Column,
    Date,
    Index,
    Integer,
    PrimaryKeyConstraint,
    String,
    Table,
    UniqueConstraint,
    Uuid,
)
from sqlalchemy.schema import SchemaItem

from servicekit.db import UtcDateTime, service_metadata
from servicekit.messaging.tables import messaging_tables

metadata = service_metadata()
outbox_message, inbox_message = messaging_tables(metadata)

ID = Uuid(as_uuid=False)
STATUS = String(16)
WHEN = UtcDateTime()


def _insurer_year() -> tuple[Column[str], Column[int]]:
    """The insurer and contract year a row belongs to: products, collections and publication dates are read by both."""
    return Column("insurer_id", ID, nullable=False), Column("year", Integer, nullable=False)


company = Table(
    "company",
    metadata,
    Column("id", ID, primary_key=True),
    Column("insurer_id", ID, nullable=False, index=True),
    Column("name", String(200), nullable=False),
    Column("uzovi_code", String(4), nullable=False, unique=True),
    Column("created_at", WHEN, nullable=False),
)

product = Table(
    "product",
    metadata,
    Column("id", ID, primary_key=True),
    Column("company_id", ID, nullable=False),
    *_insurer_year(),  # the company's insurer, kept for tenant scoping
    Column("name", String(200), nullable=False),
    Column("code", String(40), nullable=False),
    Column("kind", String(20), nullable=False),  # natura | restitutie | combinatie
    Column("carried_from_id", ID, nullable=True),  # R3: last year's product it continues
    Column("created_at", WHEN, nullable=False),
    UniqueConstraint("company_id", "year", "code", name="uq_product_company_year_code"),
    Index("ix_product_insurer_year", "insurer_id", "year"),
)

collection_copy = Table(
    "collection_copy",
    metadata,
    Column("id", ID, primary_key=True),
    *_insurer_year(),
    Column("name", String(200), nullable=False),
    Column("collection_type", String(40), nullable=True),
    Index("ix_collection_copy_insurer_year", "insurer_id", "year"),
)

product_link = Table(
    "product_link",
    metadata,
    Column("product_id", ID, primary_key=True),
    Column("collection_id", ID, nullable=False, index=True),
    Column("linked_by", String(200), nullable=False),
    Column("linked_at", WHEN, nullable=False),
)

publication_date = Table(
    "publication_date",
    metadata,
    *_insurer_year(),
    Column("publish_from", Date, nullable=False),
    PrimaryKeyConstraint("insurer_id", "year"),
)


def _published_table(name: str, *items: SchemaItem, subject_id: str | None = None) -> Table:
    """A publication read-model table, keyed by (collection, institution[, subject]) like the statuses it mirrors."""
    keys = ["collection_id", "institution_id", *([subject_id] if subject_id else [])]
    return Table(
        name, metadata, *(Column(key, ID, nullable=False) for key in keys), *items, PrimaryKeyConstraint(*keys)
    )


published_institution = _published_table(
    "published_institution",
    Column("agb_code", String(8), nullable=False, index=True),
    Column("name", String(300), nullable=False),
    Column("type", String(40), nullable=False),
    Column("country", String(2), nullable=False),
    Column("city", String(200), nullable=True),
    Column("status", STATUS, nullable=True),  # None: IN_NEGOTIATION, not published
    Column("version", Integer, nullable=False),
    Column("digest", String(64), nullable=False),
    Column("changed_at", WHEN, nullable=False),
)

published_department = _published_table(
    "published_department",
    Column("code", String(20), nullable=False),
    Column("name", String(300), nullable=False),
    Column("status", STATUS, nullable=False),
    subject_id="specialism_id",
)

published_condition = _published_table(
    "published_condition",
    Column("specialism_id", ID, nullable=False),
    Column("name", String(300), nullable=False),
    Column("status", STATUS, nullable=False),
    Index("ix_published_condition_condition", "condition_id"),
    subject_id="condition_id",
)

publication_change = Table(
    "publication_change",
    metadata,
    # SQLite only auto-increments an INTEGER PRIMARY KEY, PostgreSQL wants a BIGINT identity.
    Column("position", BigInteger().with_variant(Integer(), "sqlite"), primary_key=True, autoincrement=True),
    Column("collection_id", ID, nullable=False),
    Column("institution_id", ID, nullable=False),
    Column("changed_at", WHEN, nullable=False),
    Index("ix_publication_change_collection_position", "collection_id", "position"),
)
