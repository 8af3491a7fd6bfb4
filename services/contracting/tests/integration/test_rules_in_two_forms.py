"""Rules that exist in Python and in SQL, run over one table of cases in both forms (issue 9).

R11 (foreign hospitals: department and condition level refused) is decided in Python for a save
(``domain.model.is_foreign``) and in SQL for listings, imports and new rows
(``adapters.scopes.foreign_clause``). R16's default status of a new department or condition is
decided in Python (``domain.model.default_status_below``) and in SQL where the catalogue's new
offering becomes status rows (``adapters.scopes.default_status_below_clause``). A regression in
either form fails here, on PostgreSQL and on ``make run``'s SQLite alike.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from typing import Any

import pytest
from sqlalchemy import Engine, String, create_engine, literal, select, union_all

from contracting.adapters.orm import institution
from contracting.adapters.scopes import default_status_below_clause, foreign_clause
from contracting.domain.model import INSTITUTION_TYPES, Status, default_status_below, is_foreign

COUNTRIES = ("NL", "BE", "DE")
#: Every country the catalogue knows x every institution type, with R11's answer written out by hand.
R11_CASES = [
    (country, kind, country != "NL" or kind == "foreign_hospital")
    for country in COUNTRIES
    for kind in INSTITUTION_TYPES
]


@pytest.fixture(params=["postgresql", "sqlite"])
def engine(request: pytest.FixtureRequest, tmp_path: Any) -> Iterator[Engine]:
    if request.param == "postgresql":
        yield request.getfixturevalue("runtime").engine
        return
    sqlite = create_engine(f"sqlite:///{tmp_path / 'rules.sqlite3'}")
    institution.create(sqlite)
    yield sqlite
    sqlite.dispose()


def _foreign_in_sql(engine: Engine, cases: list[tuple[str, str, bool]]) -> list[bool]:
    """SQL's answer per case, in the order of ``cases``."""
    ids = [str(uuid.uuid4()) for _ in cases]
    with engine.begin() as connection:
        connection.execute(
            institution.insert(),
            [
                {"id": iid, "revision": 1, "agb_code": f"{i:08d}", "name": f"I{i}", "type": kind, "country": country}
                for i, (iid, (country, kind, _)) in enumerate(zip(ids, cases, strict=True))
            ],
        )
        query = select(institution.c.id).where(institution.c.id.in_(ids), foreign_clause())
        foreign = {str(iid) for iid in connection.execute(query).scalars()}
        connection.execute(institution.delete().where(institution.c.id.in_(ids)))
    return [iid in foreign for iid in ids]


def test_r11_python_and_sql_agree_on_every_case(engine: Engine) -> None:
    assert len(R11_CASES) == len(COUNTRIES) * len(INSTITUTION_TYPES)
    in_sql = _foreign_in_sql(engine, R11_CASES)
    for (country, kind, expected), sql_says in zip(R11_CASES, in_sql, strict=True):
        assert is_foreign(country, kind) is expected, ("python", country, kind)
        assert sql_says is expected, ("sql", country, kind)


#: R16: every status a parent row can have (and no parent), with the new child's status written out by hand.
R16_CASES = [
    (None, Status.NOT_CONTRACTED),
    (Status.NOT_CONTRACTED.value, Status.NOT_CONTRACTED),
    (Status.IN_NEGOTIATION.value, Status.NOT_CONTRACTED),
    (Status.PARTIAL.value, Status.NOT_CONTRACTED),
    (Status.FULL.value, Status.FULL),
]


def _default_in_sql(engine: Engine, parents: list[str | None]) -> list[str]:
    rows = [select(literal(i).label("i"), literal(parent, String).label("parent")) for i, parent in enumerate(parents)]
    cases = union_all(*rows).subquery("cases")  # a table of the cases (SQLite names no VALUES columns)
    query = select(cases.c.i, default_status_below_clause(cases.c.parent)).order_by(cases.c.i)
    with engine.connect() as connection:
        return [str(status) for _, status in connection.execute(query)]


def test_r16_python_and_sql_agree_on_the_default_status_below_every_parent_status(engine: Engine) -> None:
    assert {parent for parent, _ in R16_CASES} == {None, *(s.value for s in Status)}
    in_sql = _default_in_sql(engine, [parent for parent, _ in R16_CASES])
    for (parent, expected), sql_says in zip(R16_CASES, in_sql, strict=True):
        assert default_status_below(parent) is expected, ("python", parent)
        assert sql_says == expected.value, ("sql", parent)
