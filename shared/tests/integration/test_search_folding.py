"""servicekit.search: one folding rule in two forms (Python and SQL), checked on the same cases on
PostgreSQL and on SQLite (issue 16 item 8)."""

from __future__ import annotations

import time

import pytest
from sqlalchemy import Column, Integer, MetaData, String, Table, insert, select

from servicekit.db import create_db_engine
from servicekit.search import fold, folded, folded_contains

CASES = [
    ("Máxima Medisch Centrum", "maxima medisch centrum"),
    ("Universitätsklinikum Münster", "universitatsklinikum munster"),
    ("ZIEKENHUIS GELDERSE VALLEI", "ziekenhuis gelderse vallei"),
    ("Clinique Saint-Jean Brüssel", "clinique saint-jean brussel"),
    ("Klinikum Großhadern", "klinikum grosshadern"),
    ("Ærø Sygehus Łódź Đakovo", "aero sygehus lodz dakovo"),
    ("ÉÈÊËéèêë ÇçÑñ ÅåØø Œuvre", "eeeeeeee ccnn aaoo oeuvre"),
    ("100%_ kliniek", "100%_ kliniek"),
]
metadata = MetaData()
names = Table("names", metadata, Column("id", Integer, primary_key=True), Column("name", String(200)))


@pytest.fixture(params=["sqlite", "postgresql"])
def engine(request, tmp_path, database_factory):  # type: ignore[no-untyped-def]
    url = f"sqlite:///{tmp_path}/fold.sqlite3" if request.param == "sqlite" else database_factory.create("fold")
    built = create_db_engine(url)
    metadata.create_all(built)
    with built.begin() as connection:
        connection.execute(insert(names), [{"id": i, "name": name} for i, (name, _) in enumerate(CASES)])
    yield built
    built.dispose()


@pytest.mark.parametrize(("original", "expected"), CASES)
def test_python_folding(original: str, expected: str) -> None:
    assert fold(original) == expected


def test_sql_folding_equals_python_folding_on_the_same_cases(engine) -> None:  # type: ignore[no-untyped-def]
    with engine.connect() as connection:
        got = dict(connection.execute(select(names.c.name, folded(names.c.name))).all())
    assert got == {original: fold(original) for original, _ in CASES}


@pytest.mark.parametrize(
    ("typed", "found"),
    [
        ("Maxima", {"Máxima Medisch Centrum"}),
        ("MÁXIMA", {"Máxima Medisch Centrum"}),
        ("Munster", {"Universitätsklinikum Münster"}),
        ("grosshadern", {"Klinikum Großhadern"}),
        ("%_", {"100%_ kliniek"}),  # LIKE's wildcards are literal
        ("lodz", {"Ærø Sygehus Łódź Đakovo"}),
    ],
)
def test_contains_ignores_case_and_accents(engine, typed: str, found: set[str]) -> None:  # type: ignore[no-untyped-def]
    with engine.connect() as connection:
        assert set(connection.scalars(select(names.c.name).where(folded_contains(names.c.name, typed)))) == found


def test_the_sql_form_is_fast_enough_for_a_narrowed_set(engine) -> None:  # type: ignore[no-untyped-def]
    """The SQL form is for already narrowed sets (one collection's institutions): it must stay cheap."""
    with engine.begin() as connection:
        connection.execute(insert(names), [{"id": 100 + i, "name": f"Ziekenhuis Máxima {i}"} for i in range(2000)])
        query = select(names.c.id).where(folded_contains(names.c.name, "maxima"))
        assert len(connection.execute(query).all()) == 2001  # warm-up, and the answer
        started = time.perf_counter()
        connection.execute(query).all()
        elapsed = time.perf_counter() - started
    assert elapsed < 2.0, f"{elapsed:.2f}s for 2,000 rows"
