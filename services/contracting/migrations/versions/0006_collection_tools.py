"""Findings of the consistency check marked "bewust zo" (intended), issue 15.

One row per (collection, kind, institution, subject): who marked it, why, and the fingerprint (the
versions of the rows involved) it was marked at. The check hides a finding only while its
fingerprint is unchanged, so it shows again once one of its rows is saved.

Revision ID: 0006_collection_tools
Revises: 0005_contracting_core
"""

import sqlalchemy as sa
from alembic import op

revision = "0006_collection_tools"
down_revision = "0005_contracting_core"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "intended_finding",
        sa.Column("collection_id", sa.Uuid(as_uuid=False), nullable=False),
        sa.Column("kind", sa.String(60), nullable=False),
        sa.Column("institution_id", sa.Uuid(as_uuid=False), nullable=False),
        sa.Column("subject_key", sa.String(36), nullable=False),  # specialism/condition id, or '' at institution level
        sa.Column("fingerprint", sa.String(200), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("marked_by", sa.String(200), nullable=False),
        sa.Column("marked_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("collection_id", "kind", "institution_id", "subject_key"),
    )


def downgrade() -> None:
    op.drop_table("intended_finding")
