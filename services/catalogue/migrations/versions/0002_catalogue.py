"""Catalogue tables: groups, specialisms, conditions, institutions, offerings; search indexes.

Works on SQLite (``make run``) and PostgreSQL. On PostgreSQL, when the pg_trgm extension is
available, a trigram GIN index serves the "(part of) name" search (``name ILIKE '%...%'``, R8).

Revision ID: 0002
Revises: 0001
"""

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def _timestamps() -> list[sa.Column]:  # type: ignore[type-arg]
    return [
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False, server_default=sa.func.current_timestamp()),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False, server_default=sa.func.current_timestamp()),
    ]


def upgrade() -> None:
    op.create_table(
        "institution_group",
        sa.Column("id", sa.String(36), nullable=False),
        sa.Column("name", sa.String(200), nullable=False),
        sa.Column("kind", sa.String(40), nullable=False),
        sa.Column("revision", sa.Integer, nullable=False),
        *_timestamps(),
        sa.PrimaryKeyConstraint("id", name="pk_institution_group"),
        sa.UniqueConstraint("name", name="uq_institution_group_name"),
    )
    op.create_table(
        "specialism",
        sa.Column("id", sa.String(36), nullable=False),
        sa.Column("code", sa.String(4), nullable=False),
        sa.Column("name", sa.String(200), nullable=False),
        sa.Column("retired", sa.Boolean, nullable=False, server_default=sa.text("false")),
        sa.Column("revision", sa.Integer, nullable=False),
        *_timestamps(),
        sa.PrimaryKeyConstraint("id", name="pk_specialism"),
        sa.UniqueConstraint("code", name="uq_specialism_code"),
    )
    op.create_table(
        "condition",
        sa.Column("id", sa.String(36), nullable=False),
        sa.Column("specialism_id", sa.String(36), nullable=False),
        sa.Column("name", sa.String(200), nullable=False),
        sa.Column("retired", sa.Boolean, nullable=False, server_default=sa.text("false")),
        sa.Column("is_demo", sa.Boolean, nullable=False, server_default=sa.text("false")),
        sa.Column("revision", sa.Integer, nullable=False),
        *_timestamps(),
        sa.PrimaryKeyConstraint("id", name="pk_condition"),
        sa.ForeignKeyConstraint(["specialism_id"], ["specialism.id"], name="fk_condition_specialism_id_specialism"),
        sa.UniqueConstraint("specialism_id", "name", name="uq_condition_specialism_id_name"),
    )
    op.create_table(
        "institution",
        sa.Column("id", sa.String(36), nullable=False),
        sa.Column("agb_code", sa.String(8), nullable=False),
        sa.Column("name", sa.String(200), nullable=False),
        sa.Column("type", sa.String(40), nullable=False),
        sa.Column("country", sa.String(2), nullable=False),
        sa.Column("address", sa.String(200)),
        sa.Column("postcode", sa.String(12)),
        sa.Column("city", sa.String(200)),
        sa.Column("email", sa.String(200)),
        sa.Column("phone", sa.String(32)),
        sa.Column("group_id", sa.String(36)),
        sa.Column("opened_on", sa.Date),
        sa.Column("closed_on", sa.Date),
        sa.Column("merged_into_id", sa.String(36)),
        sa.Column("revision", sa.Integer, nullable=False),
        sa.Column("offering_revision", sa.Integer, nullable=False, server_default=sa.text("0")),
        *_timestamps(),
        sa.PrimaryKeyConstraint("id", name="pk_institution"),
        sa.UniqueConstraint("agb_code", name="uq_institution_agb_code"),
        sa.ForeignKeyConstraint(
            ["group_id"], ["institution_group.id"], name="fk_institution_group_id_institution_group"
        ),
        sa.ForeignKeyConstraint(
            ["merged_into_id"], ["institution.id"], name="fk_institution_merged_into_id_institution"
        ),
        sa.CheckConstraint("length(agb_code) = 8", name="ck_institution_agb_code_length"),
        sa.CheckConstraint("country IN ('NL', 'BE', 'DE')", name="ck_institution_country"),
    )
    op.create_index("ix_institution_name", "institution", ["name"])
    op.create_index("ix_institution_city", "institution", ["city"])
    op.create_index("ix_institution_type_name", "institution", ["type", "name"])
    op.create_index("ix_institution_country", "institution", ["country"])
    op.create_index("ix_institution_group_id", "institution", ["group_id"])
    op.create_table(
        "offering_specialism",
        sa.Column("institution_id", sa.String(36), nullable=False),
        sa.Column("specialism_id", sa.String(36), nullable=False),
        sa.PrimaryKeyConstraint("institution_id", "specialism_id", name="pk_offering_specialism"),
        sa.ForeignKeyConstraint(
            ["institution_id"], ["institution.id"], name="fk_offering_specialism_institution_id_institution"
        ),
        sa.ForeignKeyConstraint(
            ["specialism_id"], ["specialism.id"], name="fk_offering_specialism_specialism_id_specialism"
        ),
    )
    op.create_index("ix_offering_specialism_specialism_id", "offering_specialism", ["specialism_id"])
    op.create_table(
        "offering_condition",
        sa.Column("institution_id", sa.String(36), nullable=False),
        sa.Column("condition_id", sa.String(36), nullable=False),
        sa.PrimaryKeyConstraint("institution_id", "condition_id", name="pk_offering_condition"),
        sa.ForeignKeyConstraint(
            ["institution_id"], ["institution.id"], name="fk_offering_condition_institution_id_institution"
        ),
        sa.ForeignKeyConstraint(
            ["condition_id"], ["condition.id"], name="fk_offering_condition_condition_id_condition"
        ),
    )
    op.create_index("ix_offering_condition_condition_id", "offering_condition", ["condition_id"])
    bind = op.get_bind()
    if bind.dialect.name == "postgresql":
        available = bind.execute(sa.text("SELECT 1 FROM pg_available_extensions WHERE name = 'pg_trgm'")).scalar()
        if available:
            op.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
            op.execute("CREATE INDEX ix_institution_name_trgm ON institution USING gin (name gin_trgm_ops)")


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute("DROP INDEX IF EXISTS ix_institution_name_trgm")
    for table in (
        "offering_condition",
        "offering_specialism",
        "institution",
        "condition",
        "specialism",
        "institution_group",
    ):
        op.drop_table(table)
