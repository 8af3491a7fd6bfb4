"""The SQL of export and import: one ``UNION ALL`` out; staged lines checked and applied set-based in.

An import stages its valid lines in ``import_row``; every check (does the row exist in the
collection, changed since the export, R11 foreign hospitals, a row twice) is one query per level,
and so is every change: one history ``INSERT ... SELECT`` and one ``UPDATE ... FROM`` per level.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy import String, and_, cast, delete, func, literal_column, null, or_, select, union_all, update
from sqlalchemy.orm import Session

from contracting.adapters.orm import ID, condition, import_row, institution, specialism
from contracting.adapters.scopes import foreign_clause, status_table, subject_column
from contracting.adapters.status_rows import flag, history_select, insert_history, stamp
from contracting.domain.events import Change
from contracting.domain.model import LEVEL_LABELS, Level

LineError = dict[str, Any]


def export_query(collection_id: str) -> Any:
    """Every row of the collection at three levels, institution by institution, each department with its conditions."""
    i_s, d_s, c_s = (status_table(lv) for lv in Level)
    null_id, null_text = cast(null(), ID), cast(null(), String)
    empty: Any = literal_column("''")
    inst = (
        select(
            literal_column("'instelling'").label("niveau"),
            literal_column("0").label("o"),
            i_s.c.institution_id,
            institution.c.agb_code,
            institution.c.name.label("inst_name"),
            null_id.label("spec_id"),
            null_text.label("spec_code"),
            empty.label("spec_name"),
            null_id.label("cond_id"),
            empty.label("cond_name"),
            i_s.c.status,
            i_s.c.remark,
            i_s.c.version,
        )
        .join(institution, institution.c.id == i_s.c.institution_id)
        .where(i_s.c.collection_id == collection_id)
    )
    dept = (
        select(literal_column("'afdeling'"), literal_column("1"), d_s.c.institution_id, institution.c.agb_code)
        .add_columns(institution.c.name, d_s.c.specialism_id, specialism.c.code, specialism.c.name, null_id, empty)
        .add_columns(d_s.c.status, d_s.c.remark, d_s.c.version)
        .join(institution, institution.c.id == d_s.c.institution_id)
        .join(specialism, specialism.c.id == d_s.c.specialism_id)
        .where(d_s.c.collection_id == collection_id)
    )
    cond = (
        select(literal_column("'aandoening'"), literal_column("2"), c_s.c.institution_id, institution.c.agb_code)
        .add_columns(institution.c.name, condition.c.specialism_id, specialism.c.code, specialism.c.name)
        .add_columns(c_s.c.condition_id, condition.c.name, c_s.c.status, c_s.c.remark, c_s.c.version)
        .join(institution, institution.c.id == c_s.c.institution_id)
        .join(condition, condition.c.id == c_s.c.condition_id)
        .join(specialism, specialism.c.id == condition.c.specialism_id)
        .where(c_s.c.collection_id == collection_id)
    )
    u = union_all(inst, dept, cond).subquery()
    return select(u).order_by(u.c.inst_name, u.c.institution_id, u.c.spec_name, u.c.o, u.c.cond_name)


def stage(session: Session, import_id: str, lines: Sequence[dict[str, Any]]) -> None:
    if lines:
        session.execute(import_row.insert(), [line | {"import_id": import_id} for line in lines])


def unstage(session: Session, import_id: str) -> None:
    session.execute(delete(import_row).where(import_row.c.import_id == import_id))


def _match(collection_id: str, import_id: str, level: Level, table: Any) -> list[Any]:
    """A staged line of ``level`` joined to its row in the collection."""
    ir = import_row
    match = [
        table.c.collection_id == collection_id,
        table.c.institution_id == ir.c.institution_id,
        ir.c.import_id == import_id,
        ir.c.level == level.value,
    ]
    subject = subject_column(level, table)
    if subject is not None:
        match.append(subject == ir.c.subject_id)
    return match


def _remark_differs(table: Any) -> Any:
    return func.coalesce(import_row.c.remark, "") != func.coalesce(table.c.remark, "")


def _line_errors(session: Session, query: Any, field: str, message: Any) -> list[LineError]:
    return [{"line": row[0], "field": field, "message": message(*row[1:])} for row in session.execute(query)]


def level_errors(session: Session, collection_id: str, import_id: str, level: Level) -> list[LineError]:
    """The staged lines of one level that are not in the collection, changed since the export, or R11."""
    ir, table = import_row, status_table(level)
    mine = [ir.c.import_id == import_id, ir.c.level == level.value]
    in_collection = select(table.c.status).where(*_match(collection_id, import_id, level, table)).exists()
    label = LEVEL_LABELS[level]
    errors = _line_errors(
        session,
        select(ir.c.line).where(*mine, ~in_collection),
        "instelling_id",
        lambda: f"Deze {label} komt niet voor in deze collectie.",
    )
    stale = (
        select(ir.c.line, table.c.version, table.c.changed_by)
        .join(table, and_(*_match(collection_id, import_id, level, table)))
        .where(ir.c.version.is_not(None), ir.c.version != table.c.version)
        .where(or_(ir.c.status != table.c.status, _remark_differs(table)))
    )
    errors += _line_errors(
        session,
        stale,
        "versie",
        lambda version, by: f"Gewijzigd sinds de export (nu versie {version}, door {by or 'onbekend'}).",
    )
    if level is not Level.INSTITUTION:
        foreign = select(ir.c.line).join(institution, institution.c.id == ir.c.institution_id)
        errors += _line_errors(
            session,
            foreign.where(*mine, foreign_clause()),
            "niveau",
            lambda: "R11: een buitenlands ziekenhuis contracteert u alleen op instellingsniveau.",
        )
    return errors


def duplicate_errors(session: Session, import_id: str) -> list[LineError]:
    """A row that comes twice in the file (the later line is the error)."""
    ir = import_row
    dupes = (
        select(func.max(ir.c.line), func.min(ir.c.line))
        .where(ir.c.import_id == import_id)
        .group_by(ir.c.level, ir.c.institution_id, ir.c.subject_id)
        .having(func.count() > 1)
    )
    return _line_errors(session, dupes, "niveau", lambda first: f"Deze rij staat al op regel {first}.")


def apply_level(session: Session, collection_id: str, import_id: str, level: Level, change: Change) -> int:
    """The staged lines of one level that differ: their history, then one UPDATE ... FROM. Returns their number."""
    table = status_table(level)
    match = _match(collection_id, import_id, level, table)
    remark_differs = _remark_differs(table)
    differs = or_(import_row.c.status != table.c.status, remark_differs)
    history = history_select(change, level, table, import_row.c.status, flag(remark_differs))
    changed = insert_history(session, history.where(*match, differs))
    session.execute(
        update(table)
        .where(*match, differs)
        .values(status=import_row.c.status, remark=import_row.c.remark, version=table.c.version + 1, **stamp(change))
    )
    return changed
