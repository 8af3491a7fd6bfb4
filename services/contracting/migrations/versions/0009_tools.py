"""Jobs of more than one kind (issue 15): a large collection copy runs as a job like the rollover.

``rollover_job`` becomes the service's job table: ``kind`` (``rollover`` | ``copy``), ``subject_id``
(a copy's source collection), ``params`` (a copy's command as JSON) and ``result_id`` (the new
collection). One queued or running job per (kind, insurer, year, subject): a second start of the
same copy answers with the running one, as a second rollover does.

Revision ID: 0009_tools
Revises: 0008_ops_trace_context
"""

import sqlalchemy as sa
from alembic import op

revision = "0009_tools"
down_revision = "0008_ops_trace_context"
branch_labels = None
depends_on = None

ACTIVE = sa.text("state IN ('queued', 'running')")
ZERO = "'00000000-0000-0000-0000-000000000000'"


def upgrade() -> None:
    with op.batch_alter_table("rollover_job") as batch:
        batch.add_column(sa.Column("kind", sa.String(20), nullable=False, server_default="rollover"))
        batch.add_column(sa.Column("subject_id", sa.Uuid(as_uuid=False), nullable=True))
        batch.add_column(sa.Column("params", sa.Text(), nullable=True))
        batch.add_column(sa.Column("result_id", sa.Uuid(as_uuid=False), nullable=True))
    op.drop_index("uq_rollover_job_active", "rollover_job")
    op.create_index(
        "uq_job_active",
        "rollover_job",
        ["kind", sa.text(f"coalesce(insurer_id, {ZERO})"), "from_year", sa.text(f"coalesce(subject_id, {ZERO})")],
        unique=True,
        postgresql_where=ACTIVE,
        sqlite_where=ACTIVE,
    )


def downgrade() -> None:
    op.drop_index("uq_job_active", "rollover_job")
    op.execute("DELETE FROM rollover_job WHERE kind <> 'rollover'")
    op.create_index(
        "uq_rollover_job_active",
        "rollover_job",
        [sa.text(f"coalesce(insurer_id, {ZERO})"), "from_year"],
        unique=True,
        postgresql_where=ACTIVE,
        sqlite_where=ACTIVE,
    )
    with op.batch_alter_table("rollover_job") as batch:
        for column in ("result_id", "params", "subject_id", "kind"):
            batch.drop_column(column)
