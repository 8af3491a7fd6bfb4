"""The outbox keeps the W3C trace context of the span that wrote each row (issue 14).

``outbox_message.trace_context`` holds ``{"traceparent": …, "tracestate": …}`` as JSON, captured in the
business transaction; the relay starts its publish span as a child of it and sends the message with
its own ``traceparent``/``tracestate`` AMQP headers (``servicekit.tracing``). NULL when tracing is off,
and for every row written before this migration: those fall back to the correlation id's trace.

Frozen: the column is written out literally (``deploy/tests/test_frozen_migrations.py`` checks that
0001 plus this migration still equal the kit's ``servicekit.messaging.tables``).

Revision ID: 0005_ops_trace_context
Revises: 0004_admin
"""

import sqlalchemy as sa
from alembic import op

revision = "0005_ops_trace_context"
down_revision = "0004_admin"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("outbox_message", sa.Column("trace_context", sa.Text(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("outbox_message") as batch:
        batch.drop_column("trace_context")
