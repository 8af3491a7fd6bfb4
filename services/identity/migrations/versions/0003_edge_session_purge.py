"""Purging ended sessions (issue 16 item 13): an index on ``user_session.created_at``.

The consumer process deletes sessions older than their maximum age plus the retention, in bounded
batches; this index finds them without a scan. ``created_at`` never changes, so the index costs
nothing on the session check's update of ``last_seen_at``.

Revision ID: 0003_edge_session_purge
Revises: 0002
"""

from alembic import op

revision = "0003_edge_session_purge"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_index("ix_user_session_created_at", "user_session", ["created_at"])


def downgrade() -> None:
    op.drop_index("ix_user_session_created_at", table_name="user_session")
