"""Events at scale: a retired condition or specialism leaves the open years by its own rows' index.

Without these, retiring one condition scanned every condition row of every collection inside the
consumer's transaction (issue 16), and saves waited behind it.

Revision ID: 0003_events_at_scale
Revises: 0002
"""

from alembic import op

revision = "0003_events_at_scale"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_index("ix_condition_status_condition", "condition_status", ["condition_id"])
    op.create_index("ix_department_status_specialism", "department_status", ["specialism_id"])


def downgrade() -> None:
    op.drop_index("ix_department_status_specialism", table_name="department_status")
    op.drop_index("ix_condition_status_condition", table_name="condition_status")
