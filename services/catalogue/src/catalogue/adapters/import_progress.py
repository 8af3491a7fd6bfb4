"""How far a CSV import is, for the portal's progress bar (issue 13).

The import itself stays one request and one transaction (all lines or none, with the per-line report
in its answer). Beside it, the route keeps one ``import_progress`` row up to date **in a connection of
its own**, committed at once, so a poll that lands on any API worker (several workers behind nginx)
reads how far it is: rows checked, then rows written. Why not a queued job: the maintainer waits for
the per-line report anyway, and a job would have to hold the file and the report somewhere; a
streamed answer would not survive the gateway's buffering. The row says nothing about the outcome
beyond "klaar" / "geweigerd"; the answer of the import request carries the report.

On SQLite (``make run``) a transaction holds the database's only write lock from its start, so the
intermediate steps are skipped there (only the start and the end are written); PostgreSQL shows every
step. Writes are throttled (``MIN_INTERVAL``) and rows older than a day are removed at each start.
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import Engine, delete, insert, select, update
from sqlalchemy.exc import IntegrityError

from catalogue.adapters.orm import import_progress
from catalogue.domain.exceptions import Conflict
from catalogue.domain.institution_csv import CHECKING, SAVING

READING, DONE, REFUSED = "lezen", "klaar", "geweigerd"
#: The share of the bar each phase ends at (percent); writing ends at 95, committing and events at 100.
_PHASE_SPAN = {READING: (0, 5), CHECKING: (5, 60), SAVING: (60, 95)}
MIN_INTERVAL = 0.1
KEEP = timedelta(days=1)


def percent(phase: str, done: int, total: int) -> int:
    if phase in (DONE, REFUSED):
        return 100
    start, end = _PHASE_SPAN.get(phase, (0, 0))
    share = min(done, total) / total if total > 0 else 0.0
    return int(start + (end - start) * share)


class ProgressRow:
    """One import's row; ``report`` is what the handler calls (``service_layer.handlers.ImportProgress``)."""

    def __init__(self, engine: Engine, import_id: str) -> None:
        self.engine, self.import_id = engine, import_id
        self.intermediate = engine.dialect.name == "postgresql"
        self._last = 0.0

    def report(self, phase: str, done: int, total: int) -> None:
        now = time.monotonic()
        if not self.intermediate or now - self._last < MIN_INTERVAL:
            return
        self._last = now
        self._write(phase, done, total)

    def _write(self, phase: str, done: int, total: int) -> None:
        values: dict[str, Any] = {"phase": phase, "done": done, "total": total, "updated_at": datetime.now(UTC)}
        with self.engine.begin() as connection:
            connection.execute(update(import_progress).where(import_progress.c.id == self.import_id).values(**values))


@contextmanager
def tracked(engine: Engine, import_id: str | None, started_by: str) -> Iterator[ProgressRow | None]:
    """The row of ``import_id`` from start to end ("klaar", or "geweigerd" when the import raised)."""
    if import_id is None:
        yield None
        return
    now = datetime.now(UTC)
    try:
        with engine.begin() as connection:
            connection.execute(delete(import_progress).where(import_progress.c.updated_at < now - KEEP))
            connection.execute(
                insert(import_progress).values(
                    id=import_id, started_by=started_by, phase=READING, done=0, total=0, created_at=now, updated_at=now
                )
            )
    except IntegrityError:
        raise Conflict("Deze import_id is al gebruikt; laad de pagina opnieuw.", field="import_id") from None
    row = ProgressRow(engine, import_id)
    try:
        yield row
    except BaseException:
        row._write(REFUSED, 0, 0)
        raise
    row._write(DONE, 0, 0)


def read(engine: Engine, import_id: str) -> dict[str, Any] | None:
    with engine.connect() as connection:
        found = connection.execute(select(import_progress).where(import_progress.c.id == import_id)).first()
    if found is None:
        return None
    return {
        "import_id": found.id,
        "phase": found.phase,
        "done": found.done,
        "total": found.total,
        "percent": percent(found.phase, found.done, found.total),
        "finished": found.phase in (DONE, REFUSED),
    }
