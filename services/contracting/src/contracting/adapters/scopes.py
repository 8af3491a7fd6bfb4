"""Where-clauses shared by listings (queries.py) and set-based saves: one definition of "shown".

R5's "apply to all shown" must change exactly the rows the listing shows; building both from
these functions keeps the two in step.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from sqlalchemy import ColumnElement, FromClause, case, or_, select

from contracting.adapters import orm
from contracting.domain.commands import InstitutionFilter, SubFilter, Target
from contracting.domain.model import DEFAULT_STATUS, FOREIGN_TYPE, Level, Status
from servicekit.search import folded_contains

Where = list[ColumnElement[bool]]
WhereOn = Callable[[FromClause], Where]


def status_table(level: Level) -> Any:
    return orm.STATUS_TABLES[level.value]


def key_column(level: Level, table: FromClause) -> Any:
    name = {Level.INSTITUTION: "institution_id", Level.DEPARTMENT: "specialism_id", Level.CONDITION: "condition_id"}[
        level
    ]
    return table.c[name]


def subject_column(level: Level, table: FromClause) -> Any:
    return None if level is Level.INSTITUTION else key_column(level, table)


def foreign_clause() -> ColumnElement[bool]:
    """R11 in SQL: an institution outside the Netherlands or typed as foreign hospital.

    The same rule as ``domain.model.is_foreign``; ``tests/integration/test_rules_in_two_forms.py``
    runs both over every country and type.
    """
    return or_(orm.institution.c.country != "NL", orm.institution.c.type == FOREIGN_TYPE)


def default_status_below_clause(parent_status: Any) -> ColumnElement[str]:
    """R16 in SQL: a new department or condition is FULL under a FULL parent, NOT_CONTRACTED otherwise.

    The same rule as ``domain.model.default_status_below``; ``tests/integration/test_rules_in_two_forms.py``
    runs both over every parent status (and none).
    """
    full = Status.FULL.value
    return case((parent_status == full, full), else_=DEFAULT_STATUS.value)


def contains(column: Any, text: str) -> ColumnElement[bool]:
    """(Part of) a name, ignoring case and accents: "Maxima" finds "Máxima" (servicekit.search)."""
    return folded_contains(column, text)


def target_where(target: Target, table: FromClause) -> Where:
    """The rows of ``table`` (at ``target.level``) that belong to the target's collection/institution/department."""
    where: Where = [table.c.collection_id == target.collection_id]
    if target.level is not Level.INSTITUTION and target.institution_id:
        where.append(table.c.institution_id == target.institution_id)
    if target.level is Level.CONDITION and target.specialism_id:
        where.append(
            table.c.condition_id.in_(
                select(orm.condition.c.id).where(orm.condition.c.specialism_id == target.specialism_id)
            )
        )
    return where


def institution_filter_where(flt: InstitutionFilter, table: FromClause) -> Where:
    """R8: group, (part of) name, type, whole AGB code, status; combined with AND."""
    about: Where = []
    if flt.group_id:
        about.append(orm.institution.c.group_id == flt.group_id)
    if flt.name:
        about.append(contains(orm.institution.c.name, flt.name))
    if flt.type:
        about.append(orm.institution.c.type == flt.type)
    if flt.agb_code:
        about.append(orm.institution.c.agb_code == flt.agb_code.strip())
    if flt.foreign is not None:
        about.append(foreign_clause() if flt.foreign else ~foreign_clause())
    where: Where = []
    if about:
        where.append(table.c.institution_id.in_(select(orm.institution.c.id).where(*about)))
    if flt.status:
        where.append(table.c.status == flt.status.value)
    if flt.is_new is not None:
        where.append(table.c.is_new == flt.is_new)
    return where


def sub_filter_where(level: Level, flt: SubFilter, table: FromClause) -> Where:
    """R9/R10: department and condition listings filter by (part of) name and status, combined."""
    where: Where = []
    if flt.name:
        if level is Level.DEPARTMENT:
            names = select(orm.specialism.c.id).where(contains(orm.specialism.c.name, flt.name))
        else:
            names = select(orm.condition.c.id).where(contains(orm.condition.c.name, flt.name))
        where.append(key_column(level, table).in_(names))
    if flt.status:
        where.append(table.c.status == flt.status.value)
    if flt.is_new is not None:
        where.append(table.c.is_new == flt.is_new)
    return where


def filter_where(level: Level, flt: InstitutionFilter | SubFilter, table: FromClause) -> Where:
    if isinstance(flt, InstitutionFilter):
        return institution_filter_where(flt, table)
    return sub_filter_where(level, flt, table)


def shown(target: Target, flt: InstitutionFilter | SubFilter) -> WhereOn:
    """The rows a listing with ``flt`` shows, as a where-builder on any alias of the level's table."""
    return lambda table: [*target_where(target, table), *filter_where(target.level, flt, table)]


def keyed(target: Target, keys: list[str]) -> WhereOn:
    """The rows with these keys (a batch save)."""
    return lambda table: [*target_where(target, table), key_column(target.level, table).in_(keys)]


def below_where(target: Target, source: WhereOn, below: Level, table: FromClause) -> Where:
    """R7/R9: the rows at level ``below`` under the source rows selected by ``source``."""
    src = status_table(target.level).alias("src")
    where: Where = [table.c.collection_id == target.collection_id]
    if target.level is Level.INSTITUTION:
        where.append(table.c.institution_id.in_(select(src.c.institution_id).where(*source(src))))
        return where
    # department -> conditions of the scoped specialisms, within the one institution
    where.append(table.c.institution_id == target.institution_id)
    specialisms = select(src.c.specialism_id).where(*source(src))
    where.append(
        table.c.condition_id.in_(select(orm.condition.c.id).where(orm.condition.c.specialism_id.in_(specialisms)))
    )
    return where


def filter_summary(flt: InstitutionFilter | SubFilter) -> dict[str, Any]:
    """The non-empty filter fields, for the history and the ``statuses.changed`` event (small)."""
    out: dict[str, Any] = {}
    for name, value in vars(flt).items():
        if value is not None:
            out[name] = value.value if hasattr(value, "value") else value
    return out
