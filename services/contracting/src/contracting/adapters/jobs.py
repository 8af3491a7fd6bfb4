"""Jobs' rows, written through their own connections so that readers see progress at once.

Jobs have a kind: ``rollover`` (R3) or ``copy`` (a large collection copy, issue 15); both share this
machinery (claiming, progress, reaping), the service layer runs each kind (``rollover.run_job``).

A runner holds a PostgreSQL advisory lock on its job for as long as it runs it: the lock dies
with the runner's process, so anyone can tell a running job from one whose runner died. SQLite
(``make run``) is one process: there the runner's thread bears the job's name while it runs it.

Jobs are run by a worker (the consumer process, see ``bootstrap.Runtime.run_rollovers``), never
by the API: the API only queues them. A runner *claims* a queued job (lock first, then
``queued -> running`` as a compare-and-set), so two workers never run one job, and a worker never
waits for another's job.
"""

from __future__ import annotations

import threading
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from sqlalchemy import Connection, Engine, select, text, update
from sqlalchemy.orm import Session

from contracting.adapters.orm import rollover_job
from contracting.adapters.sql import new_id, now

ACTIVE = ("queued", "running")


def queue_job(session: Session, **values: Any) -> Any:
    """A new queued job of ``values`` in the caller's transaction, as its row (the unique index may refuse it)."""
    job_id = new_id()
    session.execute(rollover_job.insert().values(id=job_id, state="queued", created_at=now(), **values))
    return session.execute(select(rollover_job).where(rollover_job.c.id == job_id)).mappings().one()


def set_job(engine: Engine, job_id: str, **values: Any) -> None:
    """Update the job in a transaction of its own (progress must be visible while the copy runs)."""
    with engine.begin() as connection:
        connection.execute(update(rollover_job).where(rollover_job.c.id == job_id).values(**values))


def read_job(engine: Engine, job_id: str) -> Any:
    with engine.connect() as connection:
        return connection.execute(select(rollover_job).where(rollover_job.c.id == job_id)).mappings().one_or_none()


def runner_thread_name(job_id: str) -> str:
    return f"rollover-{job_id}"


def _lock_key(job_id: str) -> dict[str, int]:
    return {"key": uuid.UUID(job_id).int >> 65}  # 63 bits: a positive PostgreSQL bigint


def job_ids(engine: Engine, state: str) -> list[str]:
    """The jobs in ``state``, oldest first."""
    with engine.connect() as connection:
        query = select(rollover_job.c.id).where(rollover_job.c.state == state).order_by(rollover_job.c.created_at)
        return [str(job_id) for job_id in connection.execute(query).scalars()]


def active_job(
    connection: Connection | Session,
    insurer_id: str | None,
    from_year: int,
    kind: str = "rollover",
    subject_id: str | None = None,
) -> Any:
    """The queued or running job of (kind, insurer, from_year, subject), if any (at most one: ``uq_job_active``)."""
    insurer = rollover_job.c.insurer_id.is_(None) if insurer_id is None else rollover_job.c.insurer_id == insurer_id
    subject = rollover_job.c.subject_id.is_(None) if subject_id is None else rollover_job.c.subject_id == subject_id
    query = select(rollover_job).where(
        rollover_job.c.kind == kind,
        insurer,
        subject,
        rollover_job.c.from_year == from_year,
        rollover_job.c.state.in_(ACTIVE),
    )
    return connection.execute(query).mappings().one_or_none()


@contextmanager
def claimed(engine: Engine, job_id: str) -> Iterator[bool]:
    """True while this thread owns the queued job it claimed (now "running"); False if it is not to run it."""
    if engine.dialect.name != "postgresql":
        thread = threading.current_thread()
        name, thread.name = thread.name, runner_thread_name(job_id)
        try:
            yield _queued_to_running(engine, job_id)
        finally:
            thread.name = name
        return
    with _autocommit(engine) as connection:
        if not connection.execute(text("SELECT pg_try_advisory_lock(:key)"), _lock_key(job_id)).scalar():
            yield False  # another worker holds it
            return
        try:
            yield _queued_to_running(engine, job_id)
        finally:
            connection.execute(text("SELECT pg_advisory_unlock(:key)"), _lock_key(job_id))


def _queued_to_running(engine: Engine, job_id: str) -> bool:
    with engine.begin() as connection:
        claim = (
            update(rollover_job)
            .where(rollover_job.c.id == job_id, rollover_job.c.state == "queued")
            .values(state="running", started_at=now())
        )
        return connection.execute(claim).rowcount == 1


@contextmanager
def _autocommit(engine: Engine) -> Iterator[Connection]:
    with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
        yield connection


@contextmanager
def runner_gone(engine: Engine, job_id: str) -> Iterator[bool]:
    """True (and the lock held meanwhile) if no live runner holds the job; False if one does."""
    if engine.dialect.name != "postgresql":
        yield not any(t.name == runner_thread_name(job_id) and t.is_alive() for t in threading.enumerate())
        return
    with _autocommit(engine) as connection:
        if not connection.execute(text("SELECT pg_try_advisory_lock(:key)"), _lock_key(job_id)).scalar():
            yield False
            return
        try:
            yield True
        finally:
            connection.execute(text("SELECT pg_advisory_unlock(:key)"), _lock_key(job_id))


def fail_if_active(engine: Engine, job_id: str, error: str) -> None:
    """Mark a queued or running job failed (a finished job keeps its state)."""
    with engine.begin() as connection:
        connection.execute(
            update(rollover_job)
            .where(rollover_job.c.id == job_id, rollover_job.c.state.in_(ACTIVE))
            .values(state="failed", finished_at=now(), rows_done=0, collections_copied=0, error=error)
        )
