"""Groups can be retired (``institution_group.retired``), and the CSV import reports its progress
(``import_progress``, one row per import the portal follows; not business data).

Revision ID: 0004_admin
Revises: 0003_edge_name_search
"""

import sqlalchemy as sa
from alembic import op

revision = "0004_admin"
down_revision = "0003_edge_name_search"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column(
        "institution_group", sa.Column("retired", sa.Boolean(), nullable=False, server_default=sa.text("false"))
    )
    op.create_table(
        "import_progress",
        sa.Column("id", sa.String(36), primary_key=True),
        sa.Column("started_by", sa.String(200), nullable=False),
        sa.Column("phase", sa.String(20), nullable=False),
        sa.Column("done", sa.Integer(), nullable=False),
        sa.Column("total", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False, server_default=sa.func.current_timestamp()),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False, server_default=sa.func.current_timestamp()),
    )


def downgrade() -> None:
    op.drop_table("import_progress")
    op.drop_column("institution_group", "retired")
