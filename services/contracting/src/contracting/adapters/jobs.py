"""Rollover jobs' rows, written through their own connections so that readers see progress at once.

A runner holds a PostgreSQL advisory lock on its job for as long as it runs it: the lock dies
with the runner's process, so anyone can tell a running job from one whose runner died. SQLite
(``make run``) is one process: there a runner is a named thread of it.
"""

from __future__ import annotations

import threading
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from sqlalchemy import Connection, Engine, select, text, update

from contracting.adapters.orm import rollover_job
from contracting.adapters.sql import now

ACTIVE = ("queued", "running")


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


@contextmanager
def held_while_running(engine: Engine, job_id: str) -> Iterator[None]:
    """PostgreSQL: hold the job's advisory lock for as long as this process runs it."""
    if engine.dialect.name != "postgresql":
        yield
        return
    with _autocommit(engine) as connection:
        connection.execute(text("SELECT pg_advisory_lock(:key)"), _lock_key(job_id))
        try:
            yield
        finally:
            connection.execute(text("SELECT pg_advisory_unlock(:key)"), _lock_key(job_id))


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
