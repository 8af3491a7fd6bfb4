"""SQLAlchemy 2 tables of the contracting service (its own database; no other service reads them).

Two groups: a local copy of the catalogue, fed by catalogue events (R16), and the insurers'
contracting. The three status tables are the hot ones (about a million rows a year): narrow,
keyed by (collection, institution[, subject]) so that every listing, cascade and year copy is a
primary-key range scan. They carry no foreign keys on purpose: the set-based handlers join to
``collection`` and the catalogue tables themselves, and a foreign-key check per row would cost a
third of a year copy. ``status_history`` is an append-only log with no primary key for the same
reason; it is read through its (collection, institution) index.
"""

from typing import Any

from sqlalchemy import (
    Boolean,
    Column,
    Date,
    Index,
    Integer,
    PrimaryKeyConstraint,
    String,
    Table,
    Text,
    Uuid,
    false,
    text,
)

from servicekit.db import UtcDateTime, service_metadata
from servicekit.messaging.tables import messaging_tables

metadata = service_metadata()
outbox_message, inbox_message = messaging_tables(metadata)

ID = Uuid(as_uuid=False)
STATUS = String(16)
WHEN = UtcDateTime()

# -- local copy of the catalogue (R16) ------------------------------------------------------------

institution = Table(
    "institution",
    metadata,
    Column("id", ID, primary_key=True),
    Column("revision", Integer, nullable=False),
    Column("agb_code", String(8), nullable=False, index=True),
    Column("name", String(300), nullable=False),
    Column("type", String(40), nullable=False),
    Column("country", String(2), nullable=False),
    Column("city", String(200), nullable=True),
    Column("group_id", ID, nullable=True, index=True),
    Column("opened_on", Date, nullable=True),
    Column("closed_on", Date, nullable=True),
    Column("merged_into_id", ID, nullable=True),
    Column("offering_revision", Integer, nullable=False, server_default=text("0")),
)
#: What a listing (R8) and the publication (R17) show of an institution beside its id.
INSTITUTION_DESCRIPTION = tuple(institution.c[name] for name in ("agb_code", "name", "type", "country", "city"))

institution_group = Table(
    "institution_group",
    metadata,
    Column("id", ID, primary_key=True),
    Column("revision", Integer, nullable=False),
    Column("name", String(300), nullable=False),
    Column("kind", String(60), nullable=True),
    Column("retired", Boolean, nullable=False, server_default=text("false")),
)


def _subject_table(name: str, detail: Column[Any]) -> Table:
    """A subject of the listings below the institution (specialism, condition): named and retirable.

    ``detail`` is its own column between revision and name: a specialism's code, a condition's specialism.
    """
    return Table(
        name,
        metadata,
        Column("id", ID, primary_key=True),
        Column("revision", Integer, nullable=False),
        detail,
        Column("name", String(300), nullable=False),
        Column("retired", Boolean, nullable=False, server_default=false()),
    )


specialism = _subject_table("specialism", Column("code", String(20), nullable=False))
condition = _subject_table("condition", Column("specialism_id", ID, nullable=False, index=True))


def _offering_table(name: str, subject_id: str) -> Table:
    """What institutions offer of one kind of subject: a row per (institution, subject)."""
    return Table(
        name,
        metadata,
        Column("institution_id", ID, nullable=False),
        Column(subject_id, ID, nullable=False),
        PrimaryKeyConstraint("institution_id", subject_id),
    )


offering_department = _offering_table("offering_department", "specialism_id")
offering_condition = _offering_table("offering_condition", "condition_id")

# -- contracting -----------------------------------------------------------------------------------

contract_year = Table(
    "contract_year",
    metadata,
    Column("insurer_id", ID, nullable=False),
    Column("year", Integer, nullable=False),
    Column("state", String(10), nullable=False),  # open | closed
    Column("closed_at", WHEN, nullable=True),
    Column("closed_by", String(200), nullable=True),
    PrimaryKeyConstraint("insurer_id", "year"),
)

collection = Table(
    "collection",
    metadata,
    Column("id", ID, primary_key=True),
    Column("insurer_id", ID, nullable=False),
    Column("year", Integer, nullable=False),
    Column("name", String(200), nullable=False),
    Column("care_type", String(40), nullable=False),
    Column("collection_type", String(40), nullable=False),
    Column("description", Text, nullable=True),
    Column("version", Integer, nullable=False, server_default=text("1")),
    Column("status_version", Integer, nullable=False, server_default=text("0")),
    Column("source_collection_id", ID, nullable=True),
    Column("created_at", WHEN, nullable=False),
    Column("created_by", String(200), nullable=False),
    Index("ix_collection_insurer_year", "insurer_id", "year"),
    Index("ix_collection_source", "source_collection_id"),
)

collection_link = Table(
    "collection_link",
    metadata,
    Column("product_id", ID, nullable=False),
    Column("collection_id", ID, nullable=False, index=True),
    PrimaryKeyConstraint("product_id", "collection_id"),
)


def _status_table(name: str, subject_id: str | None = None) -> Table:
    """A status table: keyed by (collection, institution[, subject]), the same status columns at every level.

    A table of a level below the institution is also indexed by its subject alone: a retirement removes
    its rows by it.
    """
    keys = ["collection_id", "institution_id", *([subject_id] if subject_id else [])]
    subject_index = [Index(f"ix_{name}_{subject_id.removesuffix('_id')}", subject_id)] if subject_id else []
    return Table(
        name,
        metadata,
        *(Column(key, ID, nullable=False) for key in keys),
        Column("status", STATUS, nullable=False),
        Column("remark", Text, nullable=True),
        Column("is_new", Boolean, nullable=False, server_default=false()),
        Column("version", Integer, nullable=False, server_default=text("1")),
        Column("change_id", ID, nullable=True),
        Column("changed_by", String(200), nullable=True),
        Column("changed_at", WHEN, nullable=True),
        PrimaryKeyConstraint(*keys),
        *subject_index,
    )


institution_status = _status_table("institution_status")
department_status = _status_table("department_status", "specialism_id")
condition_status = _status_table("condition_status", "condition_id")

status_change = Table(
    "status_change",
    metadata,
    Column("id", ID, primary_key=True),
    Column("insurer_id", ID, nullable=False),
    Column("year", Integer, nullable=False),
    Column("collection_id", ID, nullable=False),
    Column("level", String(12), nullable=False),
    Column("kind", String(20), nullable=False),  # rows | filter | import | rollover | catalogue
    Column("status", STATUS, nullable=True),
    Column("cascade", Boolean, nullable=False, server_default=false()),
    Column("scope", Text, nullable=False),  # small JSON: filter or ids summary
    Column("count", Integer, nullable=False),
    Column("actor_id", String(200), nullable=False),
    Column("actor_name", String(200), nullable=False),
    Column("at", WHEN, nullable=False),
    Index("ix_status_change_collection_at", "collection_id", "at"),
    Index("ix_status_change_insurer_year_at", "insurer_id", "year", "at"),
)

status_history = Table(
    "status_history",
    metadata,
    Column("change_id", ID, nullable=False),
    Column("collection_id", ID, nullable=False),
    Column("level", String(12), nullable=False),
    Column("institution_id", ID, nullable=False),
    Column("subject_id", ID, nullable=True),  # specialism (department) or condition
    Column("from_status", STATUS, nullable=True),
    Column("to_status", STATUS, nullable=True),
    Column("remark_changed", Boolean, nullable=False, server_default=false()),
    Index("ix_status_history_collection_institution", "collection_id", "institution_id"),
    Index("ix_status_history_institution", "institution_id", "collection_id"),
    Index("ix_status_history_change_id", "change_id"),
)
# the order set-based history inserts (INSERT ... SELECT) fill them in
STATUS_HISTORY_COLUMNS = [c.name for c in status_history.columns]

rollover_job = Table(
    "rollover_job",
    metadata,
    Column("id", ID, primary_key=True),
    Column("insurer_id", ID, nullable=True),  # None: every insurer with collections in from_year
    Column("from_year", Integer, nullable=False),
    Column("to_year", Integer, nullable=False),
    Column("state", String(10), nullable=False),  # queued | running | done | failed
    Column("rows_total", Integer, nullable=False, server_default=text("0")),
    Column("rows_done", Integer, nullable=False, server_default=text("0")),
    Column("collections_copied", Integer, nullable=False, server_default=text("0")),
    Column("requested_by", String(200), nullable=False),
    Column("created_at", WHEN, nullable=False),
    Column("started_at", WHEN, nullable=True),
    Column("finished_at", WHEN, nullable=True),
    Column("error", Text, nullable=True),
    # the service's jobs (migration 0007): "rollover" (R3) or "copy" (a large collection copy, issue 15)
    Column("kind", String(20), nullable=False, server_default=text("'rollover'")),
    Column("subject_id", ID, nullable=True),  # copy: the source collection
    Column("params", Text, nullable=True),  # copy: the command (name, type, description, remarks, who) as JSON
    Column("result_id", ID, nullable=True),  # copy: the new collection
    # one queued or running job per (kind, insurer, year, subject): a second start answers with it
    Index(
        "uq_job_active",
        "kind",
        text("coalesce(insurer_id, '00000000-0000-0000-0000-000000000000')"),
        "from_year",
        text("coalesce(subject_id, '00000000-0000-0000-0000-000000000000')"),
        unique=True,
        postgresql_where=text("state IN ('queued', 'running')"),
        sqlite_where=text("state IN ('queued', 'running')"),
    ),
)

import_row = Table(
    "import_row",
    metadata,
    Column("import_id", ID, nullable=False),
    Column("line", Integer, nullable=False),
    Column("level", String(12), nullable=False),
    Column("institution_id", ID, nullable=False),
    Column("subject_id", ID, nullable=True),
    Column("status", STATUS, nullable=False),
    Column("remark", Text, nullable=True),
    Column("version", Integer, nullable=True),
    PrimaryKeyConstraint("import_id", "line"),
)

STATUS_TABLES = {"institution": institution_status, "department": department_status, "condition": condition_status}

# -- statuses asked for by approved data change requests (R15/R16) -------------------------------------

requested_status = Table(
    "requested_status",
    metadata,
    Column("id", ID, primary_key=True),
    Column("request_id", ID, nullable=False),
    Column("request_number", String(20), nullable=False),
    Column("insurer_id", ID, nullable=False),
    Column("collection_id", ID, nullable=False),
    Column("level", String(12), nullable=False),
    Column("institution_id", ID, nullable=False),
    Column("specialism_id", ID, nullable=True),  # the department of a condition-level row
    Column("subject_id", ID, nullable=True),  # specialism (department level) or condition
    Column("status", STATUS, nullable=False),
    Column("created_at", WHEN, nullable=False),
    Column("outcome", String(10), nullable=True),  # applied | refused; NULL: waiting for its row
    Column("outcome_reason", Text, nullable=True),
    Column("settled_at", WHEN, nullable=True),
    Index("ix_requested_status_waiting", "institution_id", "outcome"),
)

# -- consistency findings marked "bewust zo" (issue 15) -------------------------------------------------

intended_finding = Table(
    "intended_finding",
    metadata,
    Column("collection_id", ID, nullable=False),
    Column("kind", String(60), nullable=False),
    Column("institution_id", ID, nullable=False),
    Column("subject_key", String(36), nullable=False),  # specialism/condition id, or '' at institution level
    Column("fingerprint", String(200), nullable=False),  # versions of the rows involved when marked
    Column("reason", Text, nullable=False),
    Column("marked_by", String(200), nullable=False),
    Column("marked_at", WHEN, nullable=False),
    PrimaryKeyConstraint("collection_id", "kind", "institution_id", "subject_key"),
)
