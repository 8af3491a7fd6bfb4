"""R3: the year rollover. Open year Y+1 for one insurer (or all), pre-filled from year Y.

The whole copy is one transaction: it completes or leaves nothing. Per level it is one
``INSERT ... SELECT`` for all collections (``adapters.year_copy``). Progress (rows done of rows
total) is written after each level through a separate connection, so that ``GET /rollovers/<id>``
sees it while the copy's transaction is still open.

The API only queues a job (:func:`start_rollover`); a worker of the consumer process runs it
(:func:`run_queued_rollovers`), so a long copy never holds the API's threads or connections. A
second start of the same job while it is queued or running answers with that job.

Idempotent: a collection of Y that already has its copy in Y+1 (or a collection of the same name)
is skipped, so a second run copies nothing. If Y is closed, the copy is then brought in line with
the current catalogue (rows for what is no longer offered are dropped, new offering is added and
marked "new"); an open Y already follows the catalogue (R16), so nothing needs doing.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from typing import Any

from sqlalchemy import Engine, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from contracting import queries
from contracting.adapters import jobs
from contracting.adapters.access import ensure_year_open, year_state
from contracting.adapters.collection_list import own_collection_list
from contracting.adapters.jobs import runner_thread_name
from contracting.adapters.orm import rollover_job
from contracting.adapters.sql import now
from contracting.adapters.statistics import refresh_statistics
from contracting.adapters.year_copy import (
    LEVELS,
    copy_level,
    insert_copies,
    insurers_with_collections,
    lock_years,
    record_copies,
    rows_per_collection,
    sources_without_copy,
)
from contracting.domain.commands import StartRollover
from contracting.domain.events import CollectionCopied, CollectionCreated, CollectionRef, YearRolledOver
from contracting.domain.exceptions import Conflict, InvalidInput, NotFound
from contracting.service_layer import collection_tools
from contracting.service_layer.catalogue_rows import ensure_status_rows, remove_unoffered_rows
from servicekit.db import UnitOfWork

log = logging.getLogger(__name__)

__all__ = [
    "INTERRUPTED",
    "copy_level",
    "reap_if_interrupted",
    "run_job",
    "run_queued_rollovers",
    "run_rollover",
    "runner_thread_name",
    "start_rollover",
]

INTERRUPTED = (
    "De overgang is onderbroken: het proces dat haar uitvoerde is gestopt. Er is niets gewijzigd; "
    "start de overgang opnieuw."
)
FAILED = "De overgang naar het nieuwe jaar is mislukt; er is niets gewijzigd."
COPY_FAILED = "Het kopiëren van de collectie is mislukt; er is niets gewijzigd."


def start_rollover(cmd: StartRollover, uow: UnitOfWork) -> dict[str, Any]:
    """Queue a rollover job for a worker, or answer with the one already queued or running (a double click)."""
    if not 2000 <= cmd.from_year <= 2999:
        raise InvalidInput("Ongeldig contractjaar.", field="from_year", rule="R3")
    try:
        return _queue(cmd, uow)
    except IntegrityError:  # a simultaneous start queued the same job first (uq_job_active)
        with uow:
            running = jobs.active_job(uow.session, cmd.insurer_id, cmd.from_year)
        return queries.job_view(running) if running is not None else _queue(cmd, uow)  # it ended meanwhile


def _queue(cmd: StartRollover, uow: UnitOfWork) -> dict[str, Any]:
    with uow:
        session = uow.session
        if cmd.insurer_id and year_state(session, cmd.insurer_id, cmd.from_year) is None:
            raise NotFound(f"Er is geen contractjaar {cmd.from_year} om van uit te gaan.", field="from_year", rule="R3")
        if cmd.insurer_id and year_state(session, cmd.insurer_id, cmd.from_year + 1) == "closed":
            raise Conflict(f"Contractjaar {cmd.from_year + 1} is al gesloten.", field="from_year", rule="R3")
        running = jobs.active_job(session, cmd.insurer_id, cmd.from_year)
        if running is not None:
            return queries.job_view(running)
        row = jobs.queue_job(
            session,
            insurer_id=cmd.insurer_id,
            from_year=cmd.from_year,
            to_year=cmd.from_year + 1,
            requested_by=cmd.requested_by,
        )
        uow.commit()
        return queries.job_view(row)


def run_queued_rollovers(uow_factory: Callable[[], UnitOfWork], engine: Engine) -> int:
    """A worker's pass: fail the running jobs whose runner died, then run the queued ones, oldest first."""
    for job_id in jobs.job_ids(engine, "running"):
        reap_if_interrupted(engine, job_id)
    ran = 0
    for job_id in jobs.job_ids(engine, "queued"):
        state = run_job(job_id, uow_factory, engine)["state"]
        ran += state in ("done", "failed")
        if state == "done":  # up to millions of new rows: the planner must know them, counts use indexes alone
            refresh_statistics(engine, vacuum=True)
    return ran


def run_rollover(job_id: str, uow_factory: Callable[[], UnitOfWork], engine: Engine) -> dict[str, Any]:
    """Run a queued rollover job to the end: done with its counts, or failed with nothing written."""
    return run_job(job_id, uow_factory, engine)


def run_job(job_id: str, uow_factory: Callable[[], UnitOfWork], engine: Engine) -> dict[str, Any]:
    """Run a queued job of any kind to the end: done with its counts, or failed with nothing written.

    The kind chooses the work (``rollover``: :func:`_rollover`; ``copy``: ``collection_tools.run_copy``);
    claiming, progress and failure are the same for every kind. A job another runner claimed (or that
    is no longer queued) is left alone; its state is returned.
    """
    with jobs.claimed(engine, job_id) as mine:  # "running" is only ever seen with its runner alive
        if not mine:
            return queries.job_view(jobs.read_job(engine, job_id))
        kind = jobs.read_job(engine, job_id)["kind"]
        work = collection_tools.run_copy if kind == "copy" else _rollover
        try:
            summary = work(job_id, uow_factory, engine)
        except Exception as exc:  # the transaction is rolled back: nothing of the new year remains
            log.exception("job failed", extra={"fields": {"job_id": job_id, "kind": kind}})
            failed = COPY_FAILED if kind == "copy" else FAILED
            jobs.fail_if_active(engine, job_id, getattr(exc, "message", None) or failed)
        else:
            jobs.set_job(engine, job_id, state="done", finished_at=now(), **summary)
    return queries.job_view(jobs.read_job(engine, job_id))


def _rollover(job_id: str, uow_factory: Callable[[], UnitOfWork], engine: Engine) -> dict[str, int]:
    track = engine.dialect.name == "postgresql"  # SQLite has one writer: progress only at the end
    with uow_factory() as uow:
        session = uow.session
        own_collection_list(session)  # R16: no catalogue event applied half into next year's collections
        job = session.execute(select(rollover_job).where(rollover_job.c.id == job_id)).mappings().one()
        from_year, to_year = int(job["from_year"]), int(job["to_year"])
        insurers = [str(job["insurer_id"])] if job["insurer_id"] else insurers_with_collections(session, from_year)
        lock_years(session, insurers, from_year)
        for insurer_id in sorted(insurers):
            ensure_year_open(session, insurer_id, to_year)
        sources = sources_without_copy(session, insurers, from_year, to_year)
        rows = rows_per_collection(session, [str(s["id"]) for s in sources])
        if track:
            jobs.set_job(engine, job_id, rows_total=sum(rows.values()))
        copies = insert_copies(session, sources, to_year, job["requested_by"], now())
        done = _copy_statuses(session, copies, lambda done: _progress(engine, job_id, done) if track else None)
        record_copies(session, copies, rows, from_year, job["requested_by"])
        _follow_catalogue_if_closed(session, copies, from_year)
        _emit(uow, copies, from_year, to_year)
        uow.commit()
        return {"rows_total": sum(rows.values()), "rows_done": done, "collections_copied": len(copies)}


def _progress(engine: Engine, job_id: str, done: int) -> None:
    jobs.set_job(engine, job_id, rows_done=done)


def _copy_statuses(session: Session, copies: Sequence[dict[str, Any]], progress: Callable[[int], Any]) -> int:
    """Every level's statuses of every source into its copy: one statement per level."""
    mapping = {copy["source_collection_id"]: copy["id"] for copy in copies}
    done = 0
    for table, keys in LEVELS if mapping else ():
        done += copy_level(session, table, keys, mapping)
        progress(done)
    return done


def _follow_catalogue_if_closed(session: Session, copies: Sequence[dict[str, Any]], from_year: int) -> None:
    """A closed year no longer followed the catalogue (R16): bring its copies in line with it now."""
    closed = {i for i in {str(c["insurer_id"]) for c in copies} if year_state(session, i, from_year) == "closed"}
    if closed:
        remove_unoffered_rows(session)
        ensure_status_rows(
            session, collection_ids=[c["id"] for c in copies if str(c["insurer_id"]) in closed], mark_new=True
        )


def _emit(uow: UnitOfWork, copies: Sequence[dict[str, Any]], from_year: int, to_year: int) -> None:
    """Per copy ``CollectionCreated``; per insurer one ``YearRolledOver`` (products carry links over)."""
    per_insurer: dict[str, list[CollectionCopied]] = {}
    for copy in copies:
        ref = CollectionRef(
            id=copy["id"],
            insurer_id=str(copy["insurer_id"]),
            year=to_year,
            name=copy["name"],
            care_type=copy["care_type"],
            collection_type=copy["collection_type"],
        )
        uow.emit(CollectionCreated(ref, source_collection_id=copy["source_collection_id"]))
        pair = CollectionCopied(copy["source_collection_id"], copy["id"], copy["name"])
        per_insurer.setdefault(ref.insurer_id, []).append(pair)
    for insurer_id, pairs in per_insurer.items():
        uow.emit(YearRolledOver(insurer_id, from_year, to_year, tuple(pairs)))


def reap_if_interrupted(engine: Engine, job_id: str) -> None:
    """Mark a job failed whose runner died (process crash or restart), so nobody waits for it forever.

    Its transaction was rolled back with the process, so nothing was written and the job can be
    started again. A live runner holds the job's lock (see ``adapters.jobs``); a runner that just
    finished has already written its state. A queued job is left queued: it waits for a worker, however long that takes.
    """
    job = jobs.read_job(engine, job_id)
    if job is None or job["state"] != "running":
        return
    with jobs.runner_gone(engine, job_id) as gone:
        if gone:
            jobs.fail_if_active(engine, job_id, INTERRUPTED)
