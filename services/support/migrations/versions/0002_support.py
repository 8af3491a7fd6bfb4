"""Support tables: problem reports and comments (R14), data change requests (R15) with the local
catalogue copy they are checked against, readable-number counters, notifications and the mail outbox.

Frozen: written out as the tables were on the day this migration was made (no live imports).
Works on SQLite (``make run``) and PostgreSQL.

Revision ID: 0002_support
Revises: 0001
"""

import sqlalchemy as sa
from alembic import op

revision = "0002_support"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "catalogue_condition",
        sa.Column("id", sa.Uuid(as_uuid=False), nullable=False),
        sa.Column("revision", sa.Integer(), nullable=False),
        sa.Column("specialism_id", sa.Uuid(as_uuid=False), nullable=False),
        sa.Column("name", sa.String(length=300), nullable=False),
        sa.Column("retired", sa.Boolean(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_catalogue_condition")),
    )
    op.create_index(
        op.f("ix_catalogue_condition_specialism_id"), "catalogue_condition", ["specialism_id"], unique=False
    )
    op.create_table(
        "catalogue_institution",
        sa.Column("id", sa.Uuid(as_uuid=False), nullable=False),
        sa.Column("revision", sa.Integer(), nullable=False),
        sa.Column("agb_code", sa.String(length=8), nullable=False),
        sa.Column("name", sa.String(length=300), nullable=False),
        sa.Column("closed", sa.Boolean(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_catalogue_institution")),
    )
    op.create_index(op.f("ix_catalogue_institution_agb_code"), "catalogue_institution", ["agb_code"], unique=False)
    op.create_table(
        "catalogue_specialism",
        sa.Column("id", sa.Uuid(as_uuid=False), nullable=False),
        sa.Column("revision", sa.Integer(), nullable=False),
        sa.Column("code", sa.String(length=20), nullable=False),
        sa.Column("name", sa.String(length=300), nullable=False),
        sa.Column("retired", sa.Boolean(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_catalogue_specialism")),
    )
    op.create_table(
        "change_request",
        sa.Column("id", sa.Uuid(as_uuid=False), nullable=False),
        sa.Column("number", sa.String(length=20), nullable=False),
        sa.Column("insurer_id", sa.Uuid(as_uuid=False), nullable=False),
        sa.Column("requester_id", sa.String(length=200), nullable=False),
        sa.Column("requester_name", sa.String(length=200), nullable=False),
        sa.Column("requester_email", sa.String(length=254), nullable=True),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("proposal", sa.Text(), nullable=False),
        sa.Column("explanation", sa.Text(), nullable=True),
        sa.Column("collection_id", sa.Uuid(as_uuid=False), nullable=True),
        sa.Column("collection_status", sa.String(length=16), nullable=True),
        sa.Column("duplicate_key", sa.String(length=400), nullable=False),
        sa.Column("linked_request_id", sa.Uuid(as_uuid=False), nullable=True),
        sa.Column("status", sa.String(length=12), nullable=False),
        sa.Column("reason", sa.Text(), nullable=True),
        sa.Column("submitted_on", sa.Date(), nullable=False),
        sa.Column("due_on", sa.Date(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("decided_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("decided_by", sa.String(length=200), nullable=True),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_change_request")),
        sa.UniqueConstraint("number", name=op.f("uq_change_request_number")),
    )
    op.create_index("ix_change_request_duplicate_key", "change_request", ["duplicate_key"], unique=False)
    op.create_index("ix_change_request_insurer_created", "change_request", ["insurer_id", "created_at"], unique=False)
    op.create_index("ix_change_request_open_due", "change_request", ["status", "due_on"], unique=False)
    op.create_table(
        "mail_outbox",
        sa.Column("id", sa.Uuid(as_uuid=False), nullable=False),
        sa.Column("recipient", sa.String(length=254), nullable=False),
        sa.Column("subject", sa.String(length=300), nullable=False),
        sa.Column("body", sa.Text(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("sent_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("next_attempt_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("last_error", sa.Text(), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_mail_outbox")),
    )
    op.create_index("ix_mail_outbox_due", "mail_outbox", ["sent_at", "next_attempt_at"], unique=False)
    op.create_table(
        "notification",
        sa.Column("id", sa.Uuid(as_uuid=False), nullable=False),
        sa.Column("recipient_id", sa.String(length=200), nullable=False),
        sa.Column("insurer_id", sa.Uuid(as_uuid=False), nullable=False),
        sa.Column("subject_kind", sa.String(length=12), nullable=False),
        sa.Column("subject_id", sa.Uuid(as_uuid=False), nullable=False),
        sa.Column("subject_number", sa.String(length=20), nullable=False),
        sa.Column("message", sa.Text(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("read_at", sa.DateTime(timezone=True), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_notification")),
    )
    op.create_index("ix_notification_recipient_created", "notification", ["recipient_id", "created_at"], unique=False)
    op.create_table(
        "number_counter",
        sa.Column("prefix", sa.String(length=4), nullable=False),
        sa.Column("year", sa.Integer(), nullable=False),
        sa.Column("last_number", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("prefix", "year", name=op.f("pk_number_counter")),
    )
    op.create_table(
        "problem_report",
        sa.Column("id", sa.Uuid(as_uuid=False), nullable=False),
        sa.Column("number", sa.String(length=20), nullable=False),
        sa.Column("insurer_id", sa.Uuid(as_uuid=False), nullable=False),
        sa.Column("reporter_id", sa.String(length=200), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("email", sa.String(length=254), nullable=False),
        sa.Column("description", sa.Text(), nullable=False),
        sa.Column("about_screen", sa.String(length=200), nullable=True),
        sa.Column("about_collection_id", sa.Uuid(as_uuid=False), nullable=True),
        sa.Column("status", sa.String(length=30), nullable=False),
        sa.Column("assignee", sa.String(length=200), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_problem_report")),
        sa.UniqueConstraint("number", name=op.f("uq_problem_report_number")),
    )
    op.create_index("ix_problem_report_insurer_created", "problem_report", ["insurer_id", "created_at"], unique=False)
    op.create_table(
        "report_comment",
        sa.Column("id", sa.Uuid(as_uuid=False), nullable=False),
        sa.Column("report_id", sa.Uuid(as_uuid=False), nullable=False),
        sa.Column("side", sa.String(length=12), nullable=False),
        sa.Column("author_id", sa.String(length=200), nullable=False),
        sa.Column("author_name", sa.String(length=200), nullable=False),
        sa.Column("body", sa.Text(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_report_comment")),
    )
    op.create_index(op.f("ix_report_comment_report_id"), "report_comment", ["report_id"], unique=False)


def downgrade() -> None:
    op.drop_index(op.f("ix_report_comment_report_id"), table_name="report_comment")
    op.drop_table("report_comment")
    op.drop_index("ix_problem_report_insurer_created", table_name="problem_report")
    op.drop_table("problem_report")
    op.drop_table("number_counter")
    op.drop_index("ix_notification_recipient_created", table_name="notification")
    op.drop_table("notification")
    op.drop_index("ix_mail_outbox_due", table_name="mail_outbox")
    op.drop_table("mail_outbox")
    op.drop_index("ix_change_request_open_due", table_name="change_request")
    op.drop_index("ix_change_request_insurer_created", table_name="change_request")
    op.drop_index("ix_change_request_duplicate_key", table_name="change_request")
    op.drop_table("change_request")
    op.drop_table("catalogue_specialism")
    op.drop_index(op.f("ix_catalogue_institution_agb_code"), table_name="catalogue_institution")
    op.drop_table("catalogue_institution")
    op.drop_index(op.f("ix_catalogue_condition_specialism_id"), table_name="catalogue_condition")
    op.drop_table("catalogue_condition")
