"""One active rollover per insurer and year; indexes for the history reads (issue 16 items 3 and 13).

- ``uq_rollover_job_active``: at most one queued or running rollover per (insurer, from_year); a
  second start answers with the running job instead of queueing another (``NULL`` insurer, "every
  insurer", is one key of its own).
- ``ix_status_history_institution``: an institution's history across the insurer's collections
  (R12) no longer scans the whole log.
- ``ix_status_change_insurer_year_at``: the saves of an insurer's year, newest first.
- ``ix_status_history_change_id``: a page of history walks a collection's changes newest first and
  fetches each change's rows by it, instead of sorting the collection's whole history. (Helper
  "events" plans the same index in 0003; ``if_not_exists`` keeps a merge of both harmless.)

Revision ID: 0005_contracting_core
Revises: 0004_support_requests
"""

import sqlalchemy as sa
from alembic import op

revision = "0005_contracting_core"
down_revision = "0004_support_requests"
branch_labels = None
depends_on = None

ACTIVE = sa.text("state IN ('queued', 'running')")
EVERY_INSURER = "coalesce(insurer_id, '00000000-0000-0000-0000-000000000000')"


def upgrade() -> None:
    op.create_index(
        "uq_rollover_job_active",
        "rollover_job",
        [sa.text(EVERY_INSURER), "from_year"],
        unique=True,
        postgresql_where=ACTIVE,
        sqlite_where=ACTIVE,
    )
    op.create_index("ix_status_history_institution", "status_history", ["institution_id", "collection_id"])
    op.create_index("ix_status_change_insurer_year_at", "status_change", ["insurer_id", "year", "at"])
    op.create_index("ix_status_history_change_id", "status_history", ["change_id"], if_not_exists=True)


def downgrade() -> None:
    op.drop_index("ix_status_history_change_id", "status_history", if_exists=True)
    op.drop_index("ix_status_change_insurer_year_at", "status_change")
    op.drop_index("ix_status_history_institution", "status_history")
    op.drop_index("uq_rollover_job_active", "rollover_job")
