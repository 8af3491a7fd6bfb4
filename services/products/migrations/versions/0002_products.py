"""Companies, products, links to collections (R13), the local copy of collections, the publication read model (R17).

Revision ID: 0002_products
Revises: 0001
"""

import sqlalchemy as sa
from alembic import op

revision = "0002_products"
down_revision = "0001"
branch_labels = None
depends_on = None

ID = sa.Uuid(as_uuid=False)
STATUS = sa.String(16)
WHEN = sa.DateTime(timezone=True)


def _catalogue_tables() -> None:
    op.create_table(
        "company",
        sa.Column("id", ID, nullable=False),
        sa.Column("insurer_id", ID, nullable=False),
        sa.Column("name", sa.String(200), nullable=False),
        sa.Column("uzovi_code", sa.String(4), nullable=False),
        sa.Column("created_at", WHEN, nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_company"),
        sa.UniqueConstraint("uzovi_code", name="uq_company_uzovi_code"),
    )
    op.create_index("ix_company_insurer_id", "company", ["insurer_id"])
    op.create_table(
        "product",
        sa.Column("id", ID, nullable=False),
        sa.Column("company_id", ID, nullable=False),
        sa.Column("insurer_id", ID, nullable=False),
        sa.Column("year", sa.Integer, nullable=False),
        sa.Column("name", sa.String(200), nullable=False),
        sa.Column("code", sa.String(40), nullable=False),
        sa.Column("kind", sa.String(20), nullable=False),
        sa.Column("carried_from_id", ID, nullable=True),
        sa.Column("created_at", WHEN, nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_product"),
        sa.UniqueConstraint("company_id", "year", "code", name="uq_product_company_year_code"),
    )
    op.create_index("ix_product_insurer_year", "product", ["insurer_id", "year"])
    op.create_table(
        "collection_copy",
        sa.Column("id", ID, nullable=False),
        sa.Column("insurer_id", ID, nullable=False),
        sa.Column("year", sa.Integer, nullable=False),
        sa.Column("name", sa.String(200), nullable=False),
        sa.Column("collection_type", sa.String(40), nullable=True),
        sa.PrimaryKeyConstraint("id", name="pk_collection_copy"),
    )
    op.create_index("ix_collection_copy_insurer_year", "collection_copy", ["insurer_id", "year"])
    op.create_table(
        "product_link",
        sa.Column("product_id", ID, nullable=False),
        sa.Column("collection_id", ID, nullable=False),
        sa.Column("linked_by", sa.String(200), nullable=False),
        sa.Column("linked_at", WHEN, nullable=False),
        sa.PrimaryKeyConstraint("product_id", name="pk_product_link"),
    )
    op.create_index("ix_product_link_collection_id", "product_link", ["collection_id"])
    op.create_table(
        "publication_date",
        sa.Column("insurer_id", ID, nullable=False),
        sa.Column("year", sa.Integer, nullable=False),
        sa.Column("publish_from", sa.Date, nullable=False),
        sa.PrimaryKeyConstraint("insurer_id", "year", name="pk_publication_date"),
    )


def _publication_tables() -> None:
    op.create_table(
        "published_institution",
        sa.Column("collection_id", ID, nullable=False),
        sa.Column("institution_id", ID, nullable=False),
        sa.Column("agb_code", sa.String(8), nullable=False),
        sa.Column("name", sa.String(300), nullable=False),
        sa.Column("type", sa.String(40), nullable=False),
        sa.Column("country", sa.String(2), nullable=False),
        sa.Column("city", sa.String(200), nullable=True),
        sa.Column("status", STATUS, nullable=True),
        sa.Column("version", sa.Integer, nullable=False),
        sa.Column("digest", sa.String(64), nullable=False),
        sa.Column("changed_at", WHEN, nullable=False),
        sa.PrimaryKeyConstraint("collection_id", "institution_id", name="pk_published_institution"),
    )
    op.create_index("ix_published_institution_agb_code", "published_institution", ["agb_code"])
    op.create_table(
        "published_department",
        sa.Column("collection_id", ID, nullable=False),
        sa.Column("institution_id", ID, nullable=False),
        sa.Column("specialism_id", ID, nullable=False),
        sa.Column("code", sa.String(20), nullable=False),
        sa.Column("name", sa.String(300), nullable=False),
        sa.Column("status", STATUS, nullable=False),
        sa.PrimaryKeyConstraint("collection_id", "institution_id", "specialism_id", name="pk_published_department"),
    )
    op.create_table(
        "published_condition",
        sa.Column("collection_id", ID, nullable=False),
        sa.Column("institution_id", ID, nullable=False),
        sa.Column("condition_id", ID, nullable=False),
        sa.Column("specialism_id", ID, nullable=False),
        sa.Column("name", sa.String(300), nullable=False),
        sa.Column("status", STATUS, nullable=False),
        sa.PrimaryKeyConstraint("collection_id", "institution_id", "condition_id", name="pk_published_condition"),
    )
    op.create_index("ix_published_condition_condition", "published_condition", ["condition_id"])
    op.create_table(
        "publication_change",
        sa.Column("position", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), autoincrement=True),
        sa.Column("collection_id", ID, nullable=False),
        sa.Column("institution_id", ID, nullable=False),
        sa.Column("changed_at", WHEN, nullable=False),
        sa.PrimaryKeyConstraint("position", name="pk_publication_change"),
    )
    op.create_index("ix_publication_change_collection_position", "publication_change", ["collection_id", "position"])


def upgrade() -> None:
    _catalogue_tables()
    _publication_tables()


def downgrade() -> None:
    for table in (
        "publication_change",
        "published_condition",
        "published_department",
        "published_institution",
        "publication_date",
        "product_link",
        "collection_copy",
        "product",
        "company",
    ):
        op.drop_table(table)
