"""SQLAlchemy 2 tables of the support service (its own database; no other service reads them).

Three groups: problem reports with their comments (R14); data change requests (R15) with the local
copy of the catalogue they are checked against (fed by catalogue events, revision-guarded); and what
the reporter or requester is told: in-platform notifications and the e-mail outbox the mail sender
drains (an e-mail that cannot be sent stays there and is retried, it never blocks a request).
Readable numbers (``MP-2026-0001``, ``DW-2026-0001``) come from ``number_counter``: one row per kind
and year, made if missing and incremented with ``UPDATE ... RETURNING`` in the creating transaction,
so concurrent creators wait on the row instead of taking the same number.
"""

from typing import Any

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


def _case(name: str, *own: Column[Any] | Index) -> Table:
    """A case the support desk handles (problem report, change request): its id, readable number and insurer,
    then the columns of its own kind; an insurer's cases are listed newest first."""
    return Table(
        name,
        metadata,
        Column("id", ID, primary_key=True),
        Column("number", String(20), nullable=False, unique=True),
        Column("insurer_id", ID, nullable=False),
        *own,
        Index(f"ix_{name}_insurer_created", "insurer_id", "created_at"),
    )


problem_report = _case(
    "problem_report",
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

change_request = _case(
    "change_request",
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
    Index("ix_change_request_open_due", "status", "due_on"),
    Index("ix_change_request_duplicate_key", "duplicate_key"),
)

# -- local copy of the catalogue (R15 checks) -------------------------------------------------------


def _catalogue_copy(name: str, own: Column[Any], gone: str) -> Table:
    """The copy of one kind of catalogue item, as the last event applied left it: ``revision`` makes an older
    event change nothing; ``own`` is the column only this kind has, ``gone`` its flag for no longer usable
    (closed, retired)."""
    return Table(
        name,
        metadata,
        Column("id", ID, primary_key=True),
        Column("revision", Integer, nullable=False),
        own,
        Column("name", String(300), nullable=False),
        Column(gone, Boolean, nullable=False),
    )


catalogue_institution = _catalogue_copy(
    "catalogue_institution", Column("agb_code", String(8), nullable=False, index=True), "closed"
)
catalogue_specialism = _catalogue_copy("catalogue_specialism", Column("code", String(20), nullable=False), "retired")
catalogue_condition = _catalogue_copy(
    "catalogue_condition", Column("specialism_id", ID, nullable=False, index=True), "retired"
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
