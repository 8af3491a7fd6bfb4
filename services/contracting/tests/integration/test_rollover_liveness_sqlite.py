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
                insurer_id=None,
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


def test_r3_a_job_queued_a_moment_ago_is_given_time_to_start(sqlite_runtime) -> None:
    fresh = _job(sqlite_runtime, "queued", created_ago=timedelta(seconds=1))
    stale = _job(sqlite_runtime, "queued", created_ago=timedelta(minutes=5))
    rollover.reap_if_interrupted(sqlite_runtime.engine, fresh)
    rollover.reap_if_interrupted(sqlite_runtime.engine, stale)
    assert _state(sqlite_runtime, fresh)[0] == "queued"
    assert _state(sqlite_runtime, stale)[0] == "failed"
