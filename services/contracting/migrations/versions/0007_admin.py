"""The copy of the catalogue's groups knows a retired one (``catalogue.group.retired``, issue 13).

Revision ID: 0007_admin
Revises: 0006_collection_tools
"""

import sqlalchemy as sa
from alembic import op

revision = "0007_admin"
down_revision = "0006_collection_tools"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column(
        "institution_group", sa.Column("retired", sa.Boolean(), nullable=False, server_default=sa.text("false"))
    )


def downgrade() -> None:
    op.drop_column("institution_group", "retired")
