"""Export a collection (all three levels) to CSV/XLSX and import the same format back, all or nothing.

Export streams rows from one ``UNION ALL`` query. Import validates each line (format, status per
level - R10) in Python, stages the good lines in ``import_row`` and checks the rest set-based
(does the row exist in the collection, R11 foreign hospitals, changed since export by version,
duplicates). Any error refuses the whole file with a report per line; otherwise every level is
updated with one history ``INSERT ... SELECT`` and one ``UPDATE ... FROM``.
"""

from __future__ import annotations

import csv
import io
import uuid
from collections.abc import Iterator
from typing import Any

from openpyxl import Workbook, load_workbook
from sqlalchemy import (
    String,
    and_,
    case,
    cast,
    delete,
    func,
    literal,
    literal_column,
    null,
    or_,
    select,
    union_all,
    update,
)
from sqlalchemy.orm import Session

from contracting.adapters.orm import (
    ID,
    STATUS_HISTORY_COLUMNS,
    condition,
    import_row,
    institution,
    specialism,
    status_history,
)
from contracting.adapters.sql import new_id
from contracting.domain.commands import Actor
from contracting.domain.exceptions import DomainError, InvalidInput
from contracting.domain.model import LEVEL_LABELS, STATUS_LABELS, Level, Status, check_status_allowed, parse_status
from contracting.service_layer.access import get_collection
from contracting.service_layer.scopes import foreign_clause, status_table, subject_column
from contracting.service_layer.statuses import Change, record_change
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
LEVEL_BY_LABEL = {label: level for level, label in LEVEL_LABELS.items()} | {level.value: level for level in Level}
MAX_LINES = 500_000


def _export_query(collection_id: str) -> Any:
    i_s, d_s, c_s = (status_table(lv) for lv in Level)
    null_id, null_text = cast(null(), ID), cast(null(), String)
    inst = (
        select(
            literal_column("'instelling'").label("niveau"),
            literal_column("0").label("o"),
            i_s.c.institution_id,
            institution.c.agb_code,
            institution.c.name.label("inst_name"),
            null_id.label("spec_id"),
            null_text.label("spec_code"),
            literal_column("''").label("spec_name"),
            null_id.label("cond_id"),
            literal_column("''").label("cond_name"),
            i_s.c.status,
            i_s.c.remark,
            i_s.c.version,
        )
        .join(institution, institution.c.id == i_s.c.institution_id)
        .where(i_s.c.collection_id == collection_id)
    )
    dept = (
        select(
            literal_column("'afdeling'"),
            literal_column("1"),
            d_s.c.institution_id,
            institution.c.agb_code,
            institution.c.name,
            d_s.c.specialism_id,
            specialism.c.code,
            specialism.c.name,
            null_id,
            literal_column("''"),
            d_s.c.status,
            d_s.c.remark,
            d_s.c.version,
        )
        .join(institution, institution.c.id == d_s.c.institution_id)
        .join(specialism, specialism.c.id == d_s.c.specialism_id)
        .where(d_s.c.collection_id == collection_id)
    )
    cond = (
        select(
            literal_column("'aandoening'"),
            literal_column("2"),
            c_s.c.institution_id,
            institution.c.agb_code,
            institution.c.name,
            condition.c.specialism_id,
            specialism.c.code,
            specialism.c.name,
            c_s.c.condition_id,
            condition.c.name,
            c_s.c.status,
            c_s.c.remark,
            c_s.c.version,
        )
        .join(institution, institution.c.id == c_s.c.institution_id)
        .join(condition, condition.c.id == c_s.c.condition_id)
        .join(specialism, specialism.c.id == condition.c.specialism_id)
        .where(c_s.c.collection_id == collection_id)
    )
    u = union_all(inst, dept, cond).subquery()
    return select(u).order_by(u.c.inst_name, u.c.institution_id, u.c.spec_name, u.c.o, u.c.cond_name)


def export_rows(session: Session, actor: Actor, collection_id: str) -> Iterator[list[Any]]:
    """The header, then one list per row (institution, its departments, each with its conditions)."""
    get_collection(session, actor, collection_id)
    yield HEADER
    result = session.execute(_export_query(collection_id).execution_options(yield_per=2000))
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
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";")
    for row in rows:
        writer.writerow(row)
        yield buffer.getvalue()
        buffer.seek(0)
        buffer.truncate()


def to_xlsx(rows: Iterator[list[Any]]) -> bytes:
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("Contractering")
    for row in rows:
        sheet.append(row)
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def parse_file(content: bytes, filename: str) -> list[dict[str, str]]:
    """Lines of a CSV (``;`` or ``,``) or XLSX file as dicts by header; refuses an unknown format."""
    name = (filename or "").lower()
    try:
        if name.endswith(".xlsx") or content[:2] == b"PK":
            sheet = load_workbook(io.BytesIO(content), read_only=True, data_only=True).worksheets[0]
            raw = [["" if c is None else str(c) for c in row] for row in sheet.iter_rows(values_only=True)]
        else:
            text = content.decode("utf-8-sig")
            dialect = ";" if text.split("\n", 1)[0].count(";") >= text.split("\n", 1)[0].count(",") else ","
            raw = list(csv.reader(io.StringIO(text), delimiter=dialect))
    except Exception as exc:
        raise InvalidInput("Het bestand kon niet worden gelezen; gebruik CSV (UTF-8) of XLSX.", field="file") from exc
    if not raw:
        raise InvalidInput("Het bestand is leeg.", field="file")
    header = [h.strip().lower() for h in raw[0]]
    missing = [h for h in ("niveau", "instelling_id", "afdeling_id", "aandoening_id", "status") if h not in header]
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


def _validate_line(line: int, data: dict[str, str], errors: list[dict[str, Any]]) -> dict[str, Any] | None:
    def err(field: str, message: str) -> None:
        errors.append({"line": line, "field": field, "message": message})

    level = LEVEL_BY_LABEL.get((data.get("niveau") or "").strip().lower())
    if level is None:
        err("niveau", "Onbekend niveau; gebruik instelling, afdeling of aandoening.")
        return None
    institution_id = _uuid(data.get("instelling_id"))
    if institution_id is None:
        err("instelling_id", "Ongeldige instelling_id.")
    subject = None
    if level is Level.DEPARTMENT:
        subject = _uuid(data.get("afdeling_id"))
        if subject is None:
            err("afdeling_id", "Ongeldige afdeling_id.")
    elif level is Level.CONDITION:
        subject = _uuid(data.get("aandoening_id"))
        if subject is None:
            err("aandoening_id", "Ongeldige aandoening_id.")
    try:
        status = parse_status(data.get("status") or "")
        check_status_allowed(level, status)
    except DomainError as exc:
        err("status", f"{exc.rule}: {exc.message}")
        status = None
    version_text = (data.get("versie") or "").strip()
    version = None
    if version_text:
        try:
            version = int(float(version_text))
        except ValueError:
            err("versie", "Versie moet een getal zijn.")
    remark = (data.get("opmerking") or "").strip() or None
    if remark and len(remark) > 2000:
        err("opmerking", "Opmerking is te lang (maximaal 2000 tekens).")
    if institution_id is None or status is None or (level is not Level.INSTITUTION and subject is None):
        return None
    return {
        "line": line,
        "level": level.value,
        "institution_id": institution_id,
        "subject_id": subject,
        "status": status.value,
        "remark": remark,
        "version": version,
    }


def import_collection(
    actor: Actor, collection_id: str, content: bytes, filename: str, uow: UnitOfWork
) -> dict[str, Any]:
    """Import a file in the export's format: all lines valid and applied, or nothing and a report per line."""
    lines = parse_file(content, filename)
    errors: list[dict[str, Any]] = []
    staged = [row for i, data in enumerate(lines, start=2) if (row := _validate_line(i, data, errors)) is not None]
    with uow:
        session = uow.session
        collection_row = get_collection(session, actor, collection_id, for_write=True)
        import_id = new_id()
        if staged:
            session.execute(import_row.insert(), [row | {"import_id": import_id} for row in staged])
        ir = import_row
        for level in Level:
            table = status_table(level)
            subject = subject_column(level, table)
            match = [table.c.collection_id == collection_id, table.c.institution_id == ir.c.institution_id]
            if subject is not None:
                match.append(subject == ir.c.subject_id)
            mine = [ir.c.import_id == import_id, ir.c.level == level.value]
            unknown = select(ir.c.line).where(*mine, ~select(table.c.status).where(*match).exists())
            for (line,) in session.execute(unknown):
                errors.append(
                    {
                        "line": line,
                        "field": "instelling_id",
                        "message": f"Deze {LEVEL_LABELS[level]} komt niet voor in deze collectie.",
                    }
                )
            stale = (
                select(ir.c.line, table.c.version, table.c.changed_by)
                .join(table, and_(*match))
                .where(*mine, ir.c.version.is_not(None), ir.c.version != table.c.version)
                .where(
                    or_(
                        ir.c.status != table.c.status,
                        func.coalesce(ir.c.remark, "") != func.coalesce(table.c.remark, ""),
                    )
                )
            )
            for line, version, by in session.execute(stale):
                errors.append(
                    {
                        "line": line,
                        "field": "versie",
                        "message": f"Gewijzigd sinds de export (nu versie {version}, door {by or 'onbekend'}).",
                    }
                )
            if level is not Level.INSTITUTION:
                foreign = (
                    select(ir.c.line)
                    .join(institution, institution.c.id == ir.c.institution_id)
                    .where(*mine, foreign_clause())
                )
                for (line,) in session.execute(foreign):
                    errors.append(
                        {
                            "line": line,
                            "field": "niveau",
                            "message": "R11: een buitenlands ziekenhuis contracteert u alleen op instellingsniveau.",
                        }
                    )
        dupes = (
            select(func.min(ir.c.line), func.max(ir.c.line))
            .where(ir.c.import_id == import_id)
            .group_by(ir.c.level, ir.c.institution_id, ir.c.subject_id)
            .having(func.count() > 1)
        )
        for first, last in session.execute(dupes):
            errors.append({"line": last, "field": "niveau", "message": f"Deze rij staat al op regel {first}."})
        if errors:
            errors.sort(key=lambda e: e["line"])
            raise InvalidInput(
                f"Het bestand bevat {len(errors)} fout(en); er is niets ingelezen.",
                field="file",
                details={"lines": len(lines), "errors": errors[:1000]},
            )
        change = Change(actor)
        counts: dict[str, int] = {}
        for level in (Level.CONDITION, Level.DEPARTMENT, Level.INSTITUTION):
            table = status_table(level)
            subject = subject_column(level, table)
            match = [
                table.c.collection_id == collection_id,
                table.c.institution_id == ir.c.institution_id,
                ir.c.import_id == import_id,
                ir.c.level == level.value,
            ]
            if subject is not None:
                match.append(subject == ir.c.subject_id)
            remark_differs = func.coalesce(ir.c.remark, "") != func.coalesce(table.c.remark, "")
            differs = or_(ir.c.status != table.c.status, remark_differs)
            history = select(
                literal(change.id, status_history.c.change_id.type),
                table.c.collection_id,
                literal(level.value),
                table.c.institution_id,
                subject if subject is not None else literal(None, status_history.c.subject_id.type),
                table.c.status,
                ir.c.status,
                case((remark_differs, True), else_=False),
            ).where(*match, differs)
            counts[level.value] = int(
                session.execute(
                    status_history.insert().from_select(STATUS_HISTORY_COLUMNS, history),
                    execution_options={"preserve_rowcount": True},
                ).rowcount
                or 0
            )
            session.execute(
                update(table)
                .where(*match, differs)
                .values(
                    status=ir.c.status,
                    remark=ir.c.remark,
                    is_new=False,
                    version=table.c.version + 1,
                    change_id=change.id,
                    changed_by=actor.user_name,
                    changed_at=change.at,
                )
            )
        session.execute(delete(ir).where(ir.c.import_id == import_id))
        result = record_change(
            uow,
            collection_row,
            change,
            level=Level.INSTITUTION,
            kind="import",
            status=None,
            cascaded={k: v for k, v in counts.items() if k != "institution"},
            count=sum(counts.values()),
            scope={"kind": "import", "file": filename[:100], "lines": len(lines)},
            cascade_flag=False,
        )
        uow.commit()
        return {"lines": len(lines), "changed": counts, "errors": [], **result}
