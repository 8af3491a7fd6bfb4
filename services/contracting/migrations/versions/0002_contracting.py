"""Catalogue copy, contract years, collections, statuses at three levels, history, rollover jobs.

Revision ID: 0002
Revises: 0001
"""

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None

ID = sa.Uuid(as_uuid=False)
STATUS = sa.String(16)
WHEN = sa.DateTime(timezone=True)


def _status_columns() -> list[sa.Column]:  # type: ignore[type-arg]
    return [
        sa.Column("status", STATUS, nullable=False),
        sa.Column("remark", sa.Text, nullable=True),
        sa.Column("is_new", sa.Boolean, nullable=False, server_default=sa.false()),
        sa.Column("version", sa.Integer, nullable=False, server_default=sa.text("1")),
        sa.Column("change_id", ID, nullable=True),
        sa.Column("changed_by", sa.String(200), nullable=True),
        sa.Column("changed_at", WHEN, nullable=True),
    ]


def upgrade() -> None:
    op.create_table(
        "institution",
        sa.Column("id", ID, nullable=False),
        sa.Column("revision", sa.Integer, nullable=False),
        sa.Column("agb_code", sa.String(8), nullable=False),
        sa.Column("name", sa.String(300), nullable=False),
        sa.Column("type", sa.String(40), nullable=False),
        sa.Column("country", sa.String(2), nullable=False),
        sa.Column("city", sa.String(200), nullable=True),
        sa.Column("group_id", ID, nullable=True),
        sa.Column("opened_on", sa.Date, nullable=True),
        sa.Column("closed_on", sa.Date, nullable=True),
        sa.Column("merged_into_id", ID, nullable=True),
        sa.Column("offering_revision", sa.Integer, nullable=False, server_default=sa.text("0")),
        sa.PrimaryKeyConstraint("id", name="pk_institution"),
    )
    op.create_index("ix_institution_agb_code", "institution", ["agb_code"])
    op.create_index("ix_institution_group_id", "institution", ["group_id"])
    op.create_table(
        "institution_group",
        sa.Column("id", ID, nullable=False),
        sa.Column("revision", sa.Integer, nullable=False),
        sa.Column("name", sa.String(300), nullable=False),
        sa.Column("kind", sa.String(60), nullable=True),
        sa.PrimaryKeyConstraint("id", name="pk_institution_group"),
    )
    op.create_table(
        "specialism",
        sa.Column("id", ID, nullable=False),
        sa.Column("revision", sa.Integer, nullable=False),
        sa.Column("code", sa.String(20), nullable=False),
        sa.Column("name", sa.String(300), nullable=False),
        sa.Column("retired", sa.Boolean, nullable=False, server_default=sa.false()),
        sa.PrimaryKeyConstraint("id", name="pk_specialism"),
    )
    op.create_table(
        "condition",
        sa.Column("id", ID, nullable=False),
        sa.Column("revision", sa.Integer, nullable=False),
        sa.Column("specialism_id", ID, nullable=False),
        sa.Column("name", sa.String(300), nullable=False),
        sa.Column("retired", sa.Boolean, nullable=False, server_default=sa.false()),
        sa.PrimaryKeyConstraint("id", name="pk_condition"),
    )
    op.create_index("ix_condition_specialism_id", "condition", ["specialism_id"])
    op.create_table(
        "offering_department",
        sa.Column("institution_id", ID, nullable=False),
        sa.Column("specialism_id", ID, nullable=False),
        sa.PrimaryKeyConstraint("institution_id", "specialism_id", name="pk_offering_department"),
    )
    op.create_table(
        "offering_condition",
        sa.Column("institution_id", ID, nullable=False),
        sa.Column("condition_id", ID, nullable=False),
        sa.PrimaryKeyConstraint("institution_id", "condition_id", name="pk_offering_condition"),
    )
    op.create_table(
        "contract_year",
        sa.Column("insurer_id", ID, nullable=False),
        sa.Column("year", sa.Integer, nullable=False),
        sa.Column("state", sa.String(10), nullable=False),
        sa.Column("closed_at", WHEN, nullable=True),
        sa.Column("closed_by", sa.String(200), nullable=True),
        sa.PrimaryKeyConstraint("insurer_id", "year", name="pk_contract_year"),
    )
    op.create_table(
        "collection",
        sa.Column("id", ID, nullable=False),
        sa.Column("insurer_id", ID, nullable=False),
        sa.Column("year", sa.Integer, nullable=False),
        sa.Column("name", sa.String(200), nullable=False),
        sa.Column("care_type", sa.String(40), nullable=False),
        sa.Column("collection_type", sa.String(40), nullable=False),
        sa.Column("description", sa.Text, nullable=True),
        sa.Column("version", sa.Integer, nullable=False, server_default=sa.text("1")),
        sa.Column("status_version", sa.Integer, nullable=False, server_default=sa.text("0")),
        sa.Column("source_collection_id", ID, nullable=True),
        sa.Column("created_at", WHEN, nullable=False),
        sa.Column("created_by", sa.String(200), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_collection"),
    )
    op.create_index("ix_collection_insurer_year", "collection", ["insurer_id", "year"])
    op.create_index("ix_collection_source", "collection", ["source_collection_id"])
    op.create_table(
        "collection_link",
        sa.Column("product_id", ID, nullable=False),
        sa.Column("collection_id", ID, nullable=False),
        sa.PrimaryKeyConstraint("product_id", "collection_id", name="pk_collection_link"),
    )
    op.create_index("ix_collection_link_collection_id", "collection_link", ["collection_id"])
    op.create_table(
        "institution_status",
        sa.Column("collection_id", ID, nullable=False),
        sa.Column("institution_id", ID, nullable=False),
        *_status_columns(),
        sa.PrimaryKeyConstraint("collection_id", "institution_id", name="pk_institution_status"),
    )
    op.create_table(
        "department_status",
        sa.Column("collection_id", ID, nullable=False),
        sa.Column("institution_id", ID, nullable=False),
        sa.Column("specialism_id", ID, nullable=False),
        *_status_columns(),
        sa.PrimaryKeyConstraint("collection_id", "institution_id", "specialism_id", name="pk_department_status"),
    )
    op.create_table(
        "condition_status",
        sa.Column("collection_id", ID, nullable=False),
        sa.Column("institution_id", ID, nullable=False),
        sa.Column("condition_id", ID, nullable=False),
        *_status_columns(),
        sa.PrimaryKeyConstraint("collection_id", "institution_id", "condition_id", name="pk_condition_status"),
    )
    op.create_table(
        "status_change",
        sa.Column("id", ID, nullable=False),
        sa.Column("insurer_id", ID, nullable=False),
        sa.Column("year", sa.Integer, nullable=False),
        sa.Column("collection_id", ID, nullable=False),
        sa.Column("level", sa.String(12), nullable=False),
        sa.Column("kind", sa.String(20), nullable=False),
        sa.Column("status", STATUS, nullable=True),
        sa.Column("cascade", sa.Boolean, nullable=False, server_default=sa.false()),
        sa.Column("scope", sa.Text, nullable=False),
        sa.Column("count", sa.Integer, nullable=False),
        sa.Column("actor_id", sa.String(200), nullable=False),
        sa.Column("actor_name", sa.String(200), nullable=False),
        sa.Column("at", WHEN, nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_status_change"),
    )
    op.create_index("ix_status_change_collection_at", "status_change", ["collection_id", "at"])
    op.create_table(
        "status_history",
        sa.Column("change_id", ID, nullable=False),
        sa.Column("collection_id", ID, nullable=False),
        sa.Column("level", sa.String(12), nullable=False),
        sa.Column("institution_id", ID, nullable=False),
        sa.Column("subject_id", ID, nullable=True),
        sa.Column("from_status", STATUS, nullable=True),
        sa.Column("to_status", STATUS, nullable=True),
        sa.Column("remark_changed", sa.Boolean, nullable=False, server_default=sa.false()),
    )
    op.create_index("ix_status_history_collection_institution", "status_history", ["collection_id", "institution_id"])
    op.create_table(
        "rollover_job",
        sa.Column("id", ID, nullable=False),
        sa.Column("insurer_id", ID, nullable=True),
        sa.Column("from_year", sa.Integer, nullable=False),
        sa.Column("to_year", sa.Integer, nullable=False),
        sa.Column("state", sa.String(10), nullable=False),
        sa.Column("rows_total", sa.Integer, nullable=False, server_default=sa.text("0")),
        sa.Column("rows_done", sa.Integer, nullable=False, server_default=sa.text("0")),
        sa.Column("collections_copied", sa.Integer, nullable=False, server_default=sa.text("0")),
        sa.Column("requested_by", sa.String(200), nullable=False),
        sa.Column("created_at", WHEN, nullable=False),
        sa.Column("started_at", WHEN, nullable=True),
        sa.Column("finished_at", WHEN, nullable=True),
        sa.Column("error", sa.Text, nullable=True),
        sa.PrimaryKeyConstraint("id", name="pk_rollover_job"),
    )
    op.create_table(
        "import_row",
        sa.Column("import_id", ID, nullable=False),
        sa.Column("line", sa.Integer, nullable=False),
        sa.Column("level", sa.String(12), nullable=False),
        sa.Column("institution_id", ID, nullable=False),
        sa.Column("subject_id", ID, nullable=True),
        sa.Column("status", STATUS, nullable=False),
        sa.Column("remark", sa.Text, nullable=True),
        sa.Column("version", sa.Integer, nullable=True),
        sa.PrimaryKeyConstraint("import_id", "line", name="pk_import_row"),
    )


def downgrade() -> None:
    for name in (
        "import_row",
        "rollover_job",
        "status_history",
        "status_change",
        "condition_status",
        "department_status",
        "institution_status",
        "collection_link",
        "collection",
        "contract_year",
        "offering_condition",
        "offering_department",
        "condition",
        "specialism",
        "institution_group",
        "institution",
    ):
        op.drop_table(name)
