"""Statuses asked for by approved data change requests (R15/R16), waiting for their rows.

Frozen: written out as the table was on the day this migration was made (no live imports).

Revision ID: 0004_support_requests
Revises: 0003_events_at_scale
"""

import sqlalchemy as sa
from alembic import op

revision = "0004_support_requests"
down_revision = "0003_events_at_scale"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "requested_status",
        sa.Column("id", sa.Uuid(as_uuid=False), nullable=False),
        sa.Column("request_id", sa.Uuid(as_uuid=False), nullable=False),
        sa.Column("request_number", sa.String(length=20), nullable=False),
        sa.Column("insurer_id", sa.Uuid(as_uuid=False), nullable=False),
        sa.Column("collection_id", sa.Uuid(as_uuid=False), nullable=False),
        sa.Column("level", sa.String(length=12), nullable=False),
        sa.Column("institution_id", sa.Uuid(as_uuid=False), nullable=False),
        sa.Column("specialism_id", sa.Uuid(as_uuid=False), nullable=True),
        sa.Column("subject_id", sa.Uuid(as_uuid=False), nullable=True),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("outcome", sa.String(length=10), nullable=True),
        sa.Column("outcome_reason", sa.Text(), nullable=True),
        sa.Column("settled_at", sa.DateTime(timezone=True), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_requested_status")),
    )
    op.create_index("ix_requested_status_waiting", "requested_status", ["institution_id", "outcome"], unique=False)


def downgrade() -> None:
    op.drop_index("ix_requested_status_waiting", table_name="requested_status")
    op.drop_table("requested_status")
