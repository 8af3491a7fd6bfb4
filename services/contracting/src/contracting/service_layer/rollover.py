"""R3: the year rollover. Open year Y+1 for one insurer (or all), pre-filled from year Y.

The whole copy is one transaction: it completes or leaves nothing. Per level it is one
``INSERT ... SELECT`` for all collections (status, remark and who decided it): no status row ever
passes through Python, so memory stays flat as the data grows. Progress (rows done of rows total)
is written after each level through a separate connection, so that ``GET /rollovers/<id>`` sees it
while the copy's transaction is still open.

Idempotent: a collection of Y that already has its copy in Y+1 (or a collection of the same name)
is skipped, so a second run copies nothing. If Y is closed, the copy is then brought in line with
the current catalogue (rows for what is no longer offered are dropped, new offering is added and
marked "new"); an open Y already follows the catalogue (R16), so nothing needs doing.
"""

from __future__ import annotations

import json
import logging
import threading
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import timedelta
from typing import Any

from sqlalchemy import Engine, case, exists, func, literal, or_, select, text, update
from sqlalchemy.orm import Session

from contracting.adapters.orm import (
    collection,
    condition_status,
    contract_year,
    department_status,
    institution,
    institution_status,
    rollover_job,
    status_change,
)
from contracting.adapters.sql import new_id, now
from contracting.domain.commands import StartRollover
from contracting.domain.exceptions import Conflict, InvalidInput, NotFound
from contracting.integration import outbound
from contracting.service_layer.access import ensure_year_open, year_state
from contracting.service_layer.catalogue import ensure_status_rows, remove_unoffered_rows
from servicekit.db import UnitOfWork

log = logging.getLogger(__name__)

STATUS_COLUMNS = ("status", "remark", "version", "change_id", "changed_by", "changed_at")


def job_view(row: Any) -> dict[str, Any]:
    total, done = int(row["rows_total"]), int(row["rows_done"])
    return {
        "job_id": str(row["id"]),
        "insurer_id": str(row["insurer_id"]) if row["insurer_id"] else None,
        "from_year": row["from_year"],
        "to_year": row["to_year"],
        "state": row["state"],
        "rows_total": total,
        "rows_done": done,
        "percent": 100 if row["state"] == "done" else (round(100 * done / total, 1) if total else 0),
        "collections_copied": row["collections_copied"],
        "requested_by": row["requested_by"],
        "created_at": row["created_at"],
        "started_at": row["started_at"],
        "finished_at": row["finished_at"],
        "error": row["error"],
    }


def start_rollover(cmd: StartRollover, uow: UnitOfWork) -> dict[str, Any]:
    """Queue a rollover job; the caller runs :func:`run_rollover` (in the background for the API)."""
    if not 2000 <= cmd.from_year <= 2999:
        raise InvalidInput("Ongeldig contractjaar.", field="from_year", rule="R3")
    with uow:
        session = uow.session
        if cmd.insurer_id and year_state(session, cmd.insurer_id, cmd.from_year) is None:
            raise NotFound(f"Er is geen contractjaar {cmd.from_year} om van uit te gaan.", field="from_year", rule="R3")
        if cmd.insurer_id and year_state(session, cmd.insurer_id, cmd.from_year + 1) == "closed":
            raise Conflict(f"Contractjaar {cmd.from_year + 1} is al gesloten.", field="from_year", rule="R3")
        job_id = new_id()
        session.execute(
            rollover_job.insert().values(
                id=job_id,
                insurer_id=cmd.insurer_id,
                from_year=cmd.from_year,
                to_year=cmd.from_year + 1,
                state="queued",
                requested_by=cmd.requested_by,
                created_at=now(),
            )
        )
        row = session.execute(select(rollover_job).where(rollover_job.c.id == job_id)).mappings().one()
        uow.commit()
        return job_view(row)


def _set_job(engine: Engine, job_id: str, **values: Any) -> None:
    with engine.begin() as connection:
        connection.execute(update(rollover_job).where(rollover_job.c.id == job_id).values(**values))


LEVELS = (
    (institution_status, ("institution_id",)),
    (department_status, ("institution_id", "specialism_id")),
    (condition_status, ("institution_id", "condition_id")),
)


def copy_level(session: Session, table: Any, keys: tuple[str, ...], mapping: dict[str, str]) -> int:
    """One INSERT ... SELECT: one level's statuses of every source collection into its new copy.

    ``mapping`` is source collection id -> new collection id, applied as a CASE so that the source
    is read with one scan (``collection_id IN (...)``) and no join to the freshly inserted
    collections, whose statistics the planner does not know yet (a join there chose a nested loop
    of sequential scans). Remarks and who decided travel along; closed institutions stay behind.
    """
    target = case(
        *[
            (table.c.collection_id == source, literal(new, table.c.collection_id.type))
            for source, new in mapping.items()
        ]
    )
    rows = (
        select(target, *[table.c[c] for c in keys])
        .add_columns(
            table.c.status, table.c.remark, literal(1), table.c.change_id, table.c.changed_by, table.c.changed_at
        )
        .select_from(table)
        .join(institution, institution.c.id == table.c.institution_id)
        .where(table.c.collection_id.in_(list(mapping)), institution.c.closed_on.is_(None))
    )
    statement = table.insert().from_select(["collection_id", *keys, *STATUS_COLUMNS], rows)
    return int(session.execute(statement, execution_options={"preserve_rowcount": True}).rowcount or 0)


def runner_thread_name(job_id: str) -> str:
    return f"rollover-{job_id}"


def _lock_key(job_id: str) -> int:
    return uuid.UUID(job_id).int >> 65  # 63 bits: a positive PostgreSQL bigint


@contextmanager
def _alive_while_running(engine: Engine, job_id: str) -> Iterator[None]:
    """PostgreSQL: hold an advisory lock for as long as this process runs the job.

    The lock dies with the process, so any reader can tell a running job from one whose process
    died (see :func:`reap_if_interrupted`). SQLite is one process: its runner is a named thread.
    """
    if engine.dialect.name != "postgresql":
        yield
        return
    with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
        connection.execute(text("SELECT pg_advisory_lock(:key)"), {"key": _lock_key(job_id)})
        try:
            yield
        finally:
            connection.execute(text("SELECT pg_advisory_unlock(:key)"), {"key": _lock_key(job_id)})


def run_rollover(
    job_id: str,
    uow_factory: Callable[[], UnitOfWork],
    engine: Engine,
) -> dict[str, Any]:
    """Run a queued rollover job to the end: done with its counts, or failed with nothing written."""
    track = engine.dialect.name == "postgresql"  # SQLite has one writer: progress only at the end
    with _alive_while_running(engine, job_id):  # "running" is only ever seen with its lock held
        _set_job(engine, job_id, state="running", started_at=now())
        try:
            summary = _rollover(job_id, uow_factory, engine, track)
        except Exception as exc:  # the transaction is rolled back: nothing of the new year remains
            log.exception("rollover failed", extra={"fields": {"job_id": job_id}})
            message = (
                getattr(exc, "message", None) or "De overgang naar het nieuwe jaar is mislukt; er is niets gewijzigd."
            )
            _set_job(
                engine, job_id, state="failed", finished_at=now(), rows_done=0, collections_copied=0, error=message
            )
        else:
            _set_job(engine, job_id, state="done", finished_at=now(), **summary)
    with engine.connect() as connection:
        return job_view(connection.execute(select(rollover_job).where(rollover_job.c.id == job_id)).mappings().one())


def _rollover(job_id: str, uow_factory: Callable[[], UnitOfWork], engine: Engine, track: bool) -> dict[str, int]:
    with uow_factory() as uow:
        session = uow.session
        job = session.execute(select(rollover_job).where(rollover_job.c.id == job_id)).mappings().one()
        from_year, to_year = int(job["from_year"]), int(job["to_year"])
        if job["insurer_id"]:
            insurers = [str(job["insurer_id"])]
        else:
            insurers = [
                str(i)
                for i in session.execute(
                    select(collection.c.insurer_id).distinct().where(collection.c.year == from_year)
                ).scalars()
            ]
        # One rollover per source year at a time: lock its contract-year rows.
        session.execute(
            select(contract_year.c.insurer_id)
            .where(contract_year.c.insurer_id.in_(insurers), contract_year.c.year == from_year)
            .with_for_update()
        ).all()
        for insurer_id in sorted(insurers):
            ensure_year_open(session, insurer_id, to_year)

        twin = collection.alias("twin")
        already = exists().where(
            twin.c.insurer_id == collection.c.insurer_id,
            twin.c.year == to_year,
            or_(
                twin.c.source_collection_id == collection.c.id, func.lower(twin.c.name) == func.lower(collection.c.name)
            ),
        )
        sources = list(
            session.execute(
                select(collection)
                .where(collection.c.insurer_id.in_(insurers), collection.c.year == from_year, ~already)
                .order_by(collection.c.insurer_id, collection.c.name)
            ).mappings()
        )
        source_ids = [s["id"] for s in sources]
        per_source: dict[str, int] = {}
        for table, _ in LEVELS:
            counts = session.execute(
                select(table.c.collection_id, func.count())
                .where(table.c.collection_id.in_(source_ids))
                .group_by(table.c.collection_id)
            )
            for source_id, n in counts:
                per_source[str(source_id)] = per_source.get(str(source_id), 0) + int(n)
        total = sum(per_source.values())
        if track:
            _set_job(engine, job_id, rows_total=total)

        pairs: dict[str, list[dict[str, str]]] = {}
        at = now()
        new_rows = []
        for source in sources:
            target_id = new_id()
            new_rows.append(
                {
                    "id": target_id,
                    "insurer_id": source["insurer_id"],
                    "year": to_year,
                    "name": source["name"],
                    "care_type": source["care_type"],
                    "collection_type": source["collection_type"],
                    "description": source["description"],
                    "source_collection_id": source["id"],
                    "created_at": at,
                    "created_by": job["requested_by"],
                }
            )
            pairs.setdefault(str(source["insurer_id"]), []).append(
                {"from_collection_id": str(source["id"]), "to_collection_id": target_id, "name": source["name"]}
            )
        if new_rows:
            session.execute(collection.insert(), new_rows)
        new_ids = [row["id"] for row in new_rows]
        mapping = {str(row["source_collection_id"]): row["id"] for row in new_rows}
        done = 0
        for table, keys in LEVELS if new_ids else ():
            done += copy_level(session, table, keys, mapping)
            if track:
                _set_job(engine, job_id, rows_done=done)
        for row in new_rows:
            source_id = str(row["source_collection_id"])
            session.execute(
                status_change.insert().values(
                    id=new_id(),
                    insurer_id=row["insurer_id"],
                    year=to_year,
                    collection_id=row["id"],
                    level="institution",
                    kind="rollover",
                    status=None,
                    cascade=True,
                    scope=json.dumps({"kind": "rollover", "from_collection_id": source_id, "from_year": from_year}),
                    count=per_source.get(source_id, 0),
                    actor_id=job["requested_by"],
                    actor_name=job["requested_by"],
                    at=at,
                )
            )
            outbound.collection_created(uow, row, source_collection_id=source_id)
        closed_sources = [i for i in pairs if year_state(session, i, from_year) == "closed"]
        if closed_sources:
            remove_unoffered_rows(session)
            ensure_status_rows(
                session,
                collection_ids=[p["to_collection_id"] for i in closed_sources for p in pairs[i]],
                mark_new=True,
            )
        for insurer_id, group in pairs.items():
            outbound.year_rolled_over(uow, insurer_id=insurer_id, from_year=from_year, to_year=to_year, pairs=group)
        uow.commit()
        return {"rows_total": total, "rows_done": done, "collections_copied": len(new_ids)}


INTERRUPTED = (
    "De overgang is onderbroken: het proces dat haar uitvoerde is gestopt. Er is niets gewijzigd; "
    "start de overgang opnieuw."
)
QUEUED_GRACE = timedelta(seconds=60)  # a queued job's runner starts within milliseconds


def reap_if_interrupted(engine: Engine, job_id: str) -> None:
    """Mark a job failed whose runner died (process crash or restart), so nobody waits for it forever.

    Its transaction was rolled back with the process, so nothing was written and the job can be
    started again. A live runner holds the job's advisory lock (PostgreSQL) or is a live thread of
    this process (SQLite); a runner that just finished has already written its state.
    """
    with engine.connect() as connection:
        row = connection.execute(
            select(rollover_job.c.state, rollover_job.c.created_at).where(rollover_job.c.id == job_id)
        ).one_or_none()
    if row is None or row.state not in ("queued", "running"):
        return
    if row.state == "queued" and row.created_at > now() - QUEUED_GRACE:
        return
    if engine.dialect.name != "postgresql":
        if not any(t.name == runner_thread_name(job_id) and t.is_alive() for t in threading.enumerate()):
            _mark_interrupted(engine, job_id)
        return
    key = {"key": _lock_key(job_id)}
    with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
        if not connection.execute(text("SELECT pg_try_advisory_lock(:key)"), key).scalar():
            return  # its runner is alive
        try:
            _mark_interrupted(engine, job_id)
        finally:
            connection.execute(text("SELECT pg_advisory_unlock(:key)"), key)


def _mark_interrupted(engine: Engine, job_id: str) -> None:
    with engine.begin() as connection:
        connection.execute(
            update(rollover_job)
            .where(rollover_job.c.id == job_id, rollover_job.c.state.in_(("queued", "running")))
            .values(state="failed", finished_at=now(), rows_done=0, collections_copied=0, error=INTERRUPTED)
        )
