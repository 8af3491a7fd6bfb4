"""The unit of work records domain events through the service's outbound mapping, in the same transaction."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pytest

from servicekit.db import UnitOfWork, create_db_engine, service_metadata, session_factory
from servicekit.testing.outbox import outbox_events


@dataclass(frozen=True)
class ThingRenamed:
    thing_id: str
    name: str


def outbound(event: object) -> list[tuple[str, dict[str, str]]]:
    assert isinstance(event, ThingRenamed)
    return [("demo.thing.renamed", {"thing_id": event.thing_id, "name": event.name})]


@pytest.fixture
def sessions(tmp_path: Path):  # type: ignore[no-untyped-def]
    engine = create_db_engine(f"sqlite:///{tmp_path / 'uow.sqlite3'}")
    service_metadata().create_all(engine)
    yield session_factory(engine)
    engine.dispose()


def test_an_emitted_domain_event_is_in_the_outbox_after_commit(sessions) -> None:  # type: ignore[no-untyped-def]
    with UnitOfWork(sessions, producer="demo", outbound=outbound) as uow:
        uow.emit(ThingRenamed("t1", "Nieuw"))
        uow.commit()
    [event] = outbox_events(sessions.kw["bind"])
    assert (event.type, event.producer, event.data) == (
        "demo.thing.renamed",
        "demo",
        {"thing_id": "t1", "name": "Nieuw"},
    )


def test_an_emitted_event_of_a_rolled_back_unit_of_work_is_gone(sessions) -> None:  # type: ignore[no-untyped-def]
    with UnitOfWork(sessions, producer="demo", outbound=outbound) as uow:
        uow.emit(ThingRenamed("t1", "Nieuw"))
    assert outbox_events(sessions.kw["bind"]) == []


def test_emit_without_an_outbound_mapping_says_so(sessions) -> None:  # type: ignore[no-untyped-def]
    with UnitOfWork(sessions, producer="demo") as uow, pytest.raises(RuntimeError, match="ThingRenamed"):
        uow.emit(ThingRenamed("t1", "Nieuw"))


@pytest.mark.parametrize("vacuum", [False, True])
def test_analyze_gives_the_planner_statistics_of_a_bulk_loaded_table(tmp_path: Path, vacuum: bool) -> None:
    """Issue 16.13: after a seed, rollover or import the planner knows the tables (SQLite: sqlite_stat1)."""
    from sqlalchemy import text

    from servicekit.db import analyze

    engine = create_db_engine(f"sqlite:///{tmp_path / 'stats.sqlite3'}")
    with engine.begin() as connection:
        connection.execute(text("CREATE TABLE thing (id INTEGER PRIMARY KEY, name TEXT)"))
        connection.execute(text("CREATE INDEX ix_thing_name ON thing (name)"))
        connection.execute(text("INSERT INTO thing (name) VALUES " + ", ".join(f"('t{i}')" for i in range(500))))
    analyze(engine, ["thing"], vacuum=vacuum)  # vacuum is PostgreSQL's; SQLite analyses only
    with engine.connect() as connection:
        stats = connection.execute(text("SELECT stat FROM sqlite_stat1 WHERE idx = 'ix_thing_name'")).scalar_one()
    engine.dispose()
    assert stats.split()[0] == "500"
