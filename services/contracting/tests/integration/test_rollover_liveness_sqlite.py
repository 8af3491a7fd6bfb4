"""R3 on ``make run``'s SQLite: one process, so a rollover's runner is alive exactly when its thread is."""

from __future__ import annotations

import threading
import uuid
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from sqlalchemy import select

from contracting.adapters.orm import rollover_job
from contracting.bootstrap import bootstrap
from contracting.config import Settings
from contracting.manage import migrate
from contracting.service_layer import rollover


@pytest.fixture
def sqlite_runtime(tmp_path, identity_keys) -> Any:  # type: ignore[no-untyped-def]
    env = {
        "CONTRACTING_DATABASE_URL": f"sqlite:///{tmp_path}/contracting.sqlite3",
        "AMQP_URL": "memory://",
        "IDENTITY_PUBLIC_KEY_FILE": str(identity_keys.public_key_file),
    }
    settings = Settings.from_env(env)
    migrate(settings, topology=False)
    built = bootstrap(settings)
    yield built
    built.engine.dispose()


def _job(runtime: Any, state: str, created_ago: timedelta = timedelta(minutes=5)) -> str:
    job_id = str(uuid.uuid4())
    with runtime.engine.begin() as connection:
        connection.execute(
            rollover_job.insert().values(
                id=job_id,
                insurer_id=str(uuid.uuid4()),  # one active job per insurer and year
                from_year=2026,
                to_year=2027,
                state=state,
                requested_by="beheer",
                created_at=datetime.now(UTC) - created_ago,
            )
        )
    return job_id


def _state(runtime: Any, job_id: str) -> tuple[str, str | None]:
    with runtime.engine.connect() as connection:
        row = connection.execute(
            select(rollover_job.c.state, rollover_job.c.error).where(rollover_job.c.id == job_id)
        ).one()
    return row.state, row.error


def test_r3_a_running_job_without_its_thread_is_interrupted(sqlite_runtime) -> None:
    job_id = _job(sqlite_runtime, "running")
    rollover.reap_if_interrupted(sqlite_runtime.engine, job_id)
    assert _state(sqlite_runtime, job_id) == ("failed", rollover.INTERRUPTED)


def test_r3_a_running_job_with_its_thread_alive_is_left_running(sqlite_runtime) -> None:
    job_id = _job(sqlite_runtime, "running")
    release = threading.Event()
    runner = threading.Thread(target=release.wait, name=rollover.runner_thread_name(job_id), daemon=True)
    runner.start()
    try:
        rollover.reap_if_interrupted(sqlite_runtime.engine, job_id)
        assert _state(sqlite_runtime, job_id) == ("running", None)
    finally:
        release.set()
        runner.join()
    rollover.reap_if_interrupted(sqlite_runtime.engine, job_id)
    assert _state(sqlite_runtime, job_id)[0] == "failed"


def test_r3_a_queued_job_waits_for_a_worker_however_long(sqlite_runtime) -> None:
    stale = _job(sqlite_runtime, "queued", created_ago=timedelta(hours=5))
    rollover.reap_if_interrupted(sqlite_runtime.engine, stale)
    assert _state(sqlite_runtime, stale)[0] == "queued"


def test_r3_the_worker_runs_queued_jobs_and_fails_those_whose_runner_died(sqlite_runtime) -> None:
    """Issue 16.3 on ``make run``: the worker thread (not the API) runs jobs, named after the job meanwhile."""
    orphan = _job(sqlite_runtime, "running")
    queued = _job(sqlite_runtime, "queued")
    assert rollover.run_queued_rollovers(sqlite_runtime.unit_of_work, sqlite_runtime.engine) == 1
    assert _state(sqlite_runtime, orphan) == ("failed", rollover.INTERRUPTED)
    assert _state(sqlite_runtime, queued) == ("done", None)
    assert threading.current_thread().name != rollover.runner_thread_name(queued)
