"""SQLAlchemy 2 tables of the support service (its own database; no other service reads them).

Three groups: problem reports with their comments (R14); data change requests (R15) with the local
copy of the catalogue they are checked against (fed by catalogue events, revision-guarded); and what
the reporter or requester is told: in-platform notifications and the e-mail outbox the mail sender
drains (an e-mail that cannot be sent stays there and is retried, it never blocks a request).
Readable numbers (``MP-2026-0001``, ``DW-2026-0001``) come from ``number_counter``: one row per kind
and year, made if missing and incremented with ``UPDATE ... RETURNING`` in the creating transaction,
so concurrent creators wait on the row instead of taking the same number.
"""

from sqlalchemy import Boolean, Column, Date, Index, Integer, PrimaryKeyConstraint, String, Table, Text, Uuid

from servicekit.db import UtcDateTime, service_metadata
from servicekit.messaging.tables import messaging_tables

metadata = service_metadata()
outbox_message, inbox_message = messaging_tables(metadata)

ID = Uuid(as_uuid=False)
WHEN = UtcDateTime()

number_counter = Table(
    "number_counter",
    metadata,
    Column("prefix", String(4), nullable=False),
    Column("year", Integer, nullable=False),
    Column("last_number", Integer, nullable=False),
    PrimaryKeyConstraint("prefix", "year"),
)

problem_report = Table(
    "problem_report",
    metadata,
    Column("id", ID, primary_key=True),
    Column("number", String(20), nullable=False, unique=True),
    Column("insurer_id", ID, nullable=False),
    Column("reporter_id", String(200), nullable=False),
    Column("name", String(200), nullable=False),
    Column("email", String(254), nullable=False),
    Column("description", Text, nullable=False),
    Column("about_screen", String(200), nullable=True),
    Column("about_collection_id", ID, nullable=True),
    Column("status", String(30), nullable=False),
    Column("assignee", String(200), nullable=True),
    Column("created_at", WHEN, nullable=False),
    Column("updated_at", WHEN, nullable=False),
    Index("ix_problem_report_insurer_created", "insurer_id", "created_at"),
)

report_comment = Table(
    "report_comment",
    metadata,
    Column("id", ID, primary_key=True),
    Column("report_id", ID, nullable=False, index=True),
    Column("side", String(12), nullable=False),  # insurer | maintainer
    Column("author_id", String(200), nullable=False),
    Column("author_name", String(200), nullable=False),
    Column("body", Text, nullable=False),
    Column("created_at", WHEN, nullable=False),
)

change_request = Table(
    "change_request",
    metadata,
    Column("id", ID, primary_key=True),
    Column("number", String(20), nullable=False, unique=True),
    Column("insurer_id", ID, nullable=False),
    Column("requester_id", String(200), nullable=False),
    Column("requester_name", String(200), nullable=False),
    Column("requester_email", String(254), nullable=True),
    Column("kind", String(20), nullable=False),
    Column("proposal", Text, nullable=False),  # JSON, the fields of its kind (domain/change_requests.py)
    Column("explanation", Text, nullable=True),
    Column("collection_id", ID, nullable=True),
    Column("collection_status", String(16), nullable=True),
    Column("duplicate_key", String(400), nullable=False),
    Column("linked_request_id", ID, nullable=True),
    Column("status", String(12), nullable=False),
    Column("reason", Text, nullable=True),
    Column("submitted_on", Date, nullable=False),
    Column("due_on", Date, nullable=False),
    Column("created_at", WHEN, nullable=False),
    Column("updated_at", WHEN, nullable=False),
    Column("decided_at", WHEN, nullable=True),
    Column("decided_by", String(200), nullable=True),
    Column("version", Integer, nullable=False),
    Index("ix_change_request_insurer_created", "insurer_id", "created_at"),
    Index("ix_change_request_open_due", "status", "due_on"),
    Index("ix_change_request_duplicate_key", "duplicate_key"),
)

# -- local copy of the catalogue (R15 checks) -------------------------------------------------------

catalogue_institution = Table(
    "catalogue_institution",
    metadata,
    Column("id", ID, primary_key=True),
    Column("revision", Integer, nullable=False),
    Column("agb_code", String(8), nullable=False, index=True),
    Column("name", String(300), nullable=False),
    Column("closed", Boolean, nullable=False),
)

catalogue_specialism = Table(
    "catalogue_specialism",
    metadata,
    Column("id", ID, primary_key=True),
    Column("revision", Integer, nullable=False),
    Column("code", String(20), nullable=False),
    Column("name", String(300), nullable=False),
    Column("retired", Boolean, nullable=False),
)

catalogue_condition = Table(
    "catalogue_condition",
    metadata,
    Column("id", ID, primary_key=True),
    Column("revision", Integer, nullable=False),
    Column("specialism_id", ID, nullable=False, index=True),
    Column("name", String(300), nullable=False),
    Column("retired", Boolean, nullable=False),
)

# -- telling the reporter / requester ---------------------------------------------------------------

notification = Table(
    "notification",
    metadata,
    Column("id", ID, primary_key=True),
    Column("recipient_id", String(200), nullable=False),
    Column("insurer_id", ID, nullable=False),
    Column("subject_kind", String(12), nullable=False),  # report | request
    Column("subject_id", ID, nullable=False),
    Column("subject_number", String(20), nullable=False),
    Column("message", Text, nullable=False),
    Column("created_at", WHEN, nullable=False),
    Column("read_at", WHEN, nullable=True),
    Index("ix_notification_recipient_created", "recipient_id", "created_at"),
)

mail_outbox = Table(
    "mail_outbox",
    metadata,
    Column("id", ID, primary_key=True),
    Column("recipient", String(254), nullable=False),
    Column("subject", String(300), nullable=False),
    Column("body", Text, nullable=False),
    Column("created_at", WHEN, nullable=False),
    Column("sent_at", WHEN, nullable=True),
    Column("attempts", Integer, nullable=False),
    Column("next_attempt_at", WHEN, nullable=False),
    Column("last_error", Text, nullable=True),
    Index("ix_mail_outbox_due", "sent_at", "next_attempt_at"),
)
