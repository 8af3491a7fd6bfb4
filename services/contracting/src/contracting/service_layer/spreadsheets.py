"""Export a collection (all three levels) to CSV/XLSX and import the same format back, all or nothing.

The file formats (and their protection against formula injection and control characters) are
the kit's (``servicekit.spreadsheets``). Import validates each line (format, status per level -
R10) in Python, then stages the good lines and checks and applies them set-based
(``adapters.spreadsheet_rows``). Any error refuses the whole file with a report per line.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from typing import Any

from sqlalchemy import Engine
from sqlalchemy.orm import Session

from contracting.adapters import spreadsheet_rows
from contracting.adapters.access import collection_ref, get_collection
from contracting.adapters.sql import new_id
from contracting.adapters.statistics import refresh_statistics
from contracting.domain.commands import Actor
from contracting.domain.events import StatusesChanged
from contracting.domain.exceptions import DomainError, InvalidInput
from contracting.domain.model import LEVEL_LABELS, STATUS_LABELS, Level, Status, check_status_allowed, parse_status
from contracting.service_layer.statuses import finish, new_change
from servicekit import spreadsheets
from servicekit.db import UnitOfWork

HEADER = [
    "niveau",
    "instelling_id",
    "agb_code",
    "instelling",
    "afdeling_id",
    "afdeling_code",
    "afdeling",
    "aandoening_id",
    "aandoening",
    "status",
    "opmerking",
    "versie",
]
REQUIRED = ("niveau", "instelling_id", "afdeling_id", "aandoening_id", "status")
LEVEL_BY_LABEL = {label: level for level, label in LEVEL_LABELS.items()} | {level.value: level for level in Level}
MAX_LINES = 500_000
#: An import this long is a bulk load: the planner's statistics are refreshed after it (issue 16 item 13).
BULK_IMPORT_LINES = 5_000
MAX_REMARK = 2000
SHEET_TITLE = "Contractering"


def export_rows(session: Session, actor: Actor, collection_id: str) -> Iterator[list[Any]]:
    """The header, then one list per row (institution, its departments, each with its conditions)."""
    get_collection(session, actor, collection_id)
    yield HEADER
    result = session.execute(spreadsheet_rows.export_query(collection_id).execution_options(yield_per=2000))
    for r in result:
        yield [
            r.niveau,
            str(r.institution_id),
            r.agb_code,
            r.inst_name,
            str(r.spec_id) if r.spec_id else "",
            r.spec_code or "",
            r.spec_name or "",
            str(r.cond_id) if r.cond_id else "",
            r.cond_name or "",
            STATUS_LABELS[Status(r.status)],
            r.remark or "",
            r.version,
        ]


def to_csv(rows: Iterator[list[Any]]) -> Iterator[str]:
    return spreadsheets.csv_lines(rows, delimiter=";")


def to_xlsx(rows: Iterator[list[Any]]) -> bytes:
    return spreadsheets.xlsx_bytes(rows, SHEET_TITLE)


def parse_file(content: bytes, filename: str) -> list[dict[str, str]]:
    """Lines of a CSV (``;`` or ``,``) or XLSX file as dicts by header; refuses an unknown format."""
    try:
        raw = spreadsheets.read_table(content, filename or "")
    except spreadsheets.UnreadableFile as exc:
        raise InvalidInput("Het bestand kon niet worden gelezen; gebruik CSV (UTF-8) of XLSX.", field="file") from exc
    if not raw:
        raise InvalidInput("Het bestand is leeg.", field="file")
    header = [h.strip().lower() for h in raw[0]]
    missing = [h for h in REQUIRED if h not in header]
    if missing:
        raise InvalidInput(
            f"Kolommen ontbreken: {', '.join(missing)}. Gebruik het formaat van de export.", field="file"
        )
    if len(raw) - 1 > MAX_LINES:
        raise InvalidInput(f"Te veel regels (maximaal {MAX_LINES}).", field="file")
    return [dict(zip(header, row, strict=False)) for row in raw[1:] if any(cell.strip() for cell in row)]


def _uuid(value: str | None) -> str | None:
    try:
        return str(uuid.UUID((value or "").strip()))
    except ValueError:
        return None


class _Line:
    """One line being validated; its errors go to the file's report."""

    def __init__(self, number: int, data: dict[str, str], errors: list[dict[str, Any]]) -> None:
        self.number, self.data, self._errors = number, data, errors

    def error(self, field: str, message: str) -> None:
        self._errors.append({"line": self.number, "field": field, "message": message})

    def uuid(self, field: str) -> str | None:
        value = _uuid(self.data.get(field))
        if value is None:
            self.error(field, f"Ongeldige {field}.")
        return value

    def status(self, level: Level) -> Status | None:
        try:
            status = parse_status(self.data.get("status") or "")
            check_status_allowed(level, status)
        except DomainError as exc:
            self.error("status", f"{exc.rule}: {exc.message}")
            return None
        return status

    def version(self) -> int | None:
        text = (self.data.get("versie") or "").strip()
        try:
            return int(float(text)) if text else None
        except ValueError:
            self.error("versie", "Versie moet een getal zijn.")
            return None

    def remark(self) -> str | None:
        remark = (self.data.get("opmerking") or "").strip() or None
        if remark and len(remark) > MAX_REMARK:
            self.error("opmerking", f"Opmerking is te lang (maximaal {MAX_REMARK} tekens).")
        return remark


SUBJECT_FIELD = {Level.DEPARTMENT: "afdeling_id", Level.CONDITION: "aandoening_id"}


def validate_line(number: int, data: dict[str, str], errors: list[dict[str, Any]]) -> dict[str, Any] | None:
    """One line as a staged row, or None (its errors added to ``errors``)."""
    line = _Line(number, data, errors)
    level = LEVEL_BY_LABEL.get((data.get("niveau") or "").strip().lower())
    if level is None:
        line.error("niveau", "Onbekend niveau; gebruik instelling, afdeling of aandoening.")
        return None
    institution_id = line.uuid("instelling_id")
    subject = line.uuid(SUBJECT_FIELD[level]) if level in SUBJECT_FIELD else None
    status, version, remark = line.status(level), line.version(), line.remark()
    if institution_id is None or status is None or (level in SUBJECT_FIELD and subject is None):
        return None
    return {
        "line": number,
        "level": level.value,
        "institution_id": institution_id,
        "subject_id": subject,
        "status": status.value,
        "remark": remark,
        "version": version,
    }


def _refuse_if_any(errors: list[dict[str, Any]], lines: int) -> None:
    if errors:
        errors.sort(key=lambda e: e["line"])
        raise InvalidInput(
            f"Het bestand bevat {len(errors)} fout(en); er is niets ingelezen.",
            field="file",
            details={"lines": lines, "errors": errors[:1000]},
        )


def import_collection(
    actor: Actor, collection_id: str, content: bytes | None, filename: str, uow: UnitOfWork
) -> dict[str, Any]:
    """Import a file in the export's format: all lines valid and applied, or nothing and a report per line."""
    with uow:  # another insurer's (or an unknown) collection is 404 before its file is looked at
        get_collection(uow.session, actor, collection_id)
    if content is None:
        raise InvalidInput("Kies een bestand om in te lezen.", field="file")
    lines = parse_file(content, filename)
    errors: list[dict[str, Any]] = []
    staged = [row for i, data in enumerate(lines, start=2) if (row := validate_line(i, data, errors)) is not None]
    with uow:
        session = uow.session
        collection_row = get_collection(session, actor, collection_id, for_write=True)
        import_id = new_id()
        spreadsheet_rows.stage(session, import_id, staged)
        for level in Level:
            errors += spreadsheet_rows.level_errors(session, collection_id, import_id, level)
        errors += spreadsheet_rows.duplicate_errors(session, import_id)
        _refuse_if_any(errors, len(lines))
        change = new_change(actor)
        counts = {
            level.value: spreadsheet_rows.apply_level(session, collection_id, import_id, level, change)
            for level in (Level.CONDITION, Level.DEPARTMENT, Level.INSTITUTION)
        }
        spreadsheet_rows.unstage(session, import_id)
        event = StatusesChanged(
            change=change,
            collection=collection_ref(collection_row),
            level=Level.INSTITUTION,
            kind="import",
            status=None,
            cascade=False,
            count=sum(counts.values()),
            cascaded={k: v for k, v in counts.items() if k != Level.INSTITUTION.value},
            scope={"kind": "import", "file": filename[:100], "lines": len(lines)},
        )
        result = finish(uow, collection_row, event)
        uow.commit()
        engine = session.get_bind()
    if len(lines) >= BULK_IMPORT_LINES and isinstance(engine, Engine):
        refresh_statistics(engine)
    return {"lines": len(lines), "changed": counts, "errors": [], **result}
