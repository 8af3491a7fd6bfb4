"""Issue 16 item 13: the session table is purged of ended sessions, periodically and in bounded batches."""

from __future__ import annotations

import threading
from datetime import timedelta

from sqlalchemy import func, select

from identity.adapters.orm import user_session
from identity.domain.commands import PurgeSessions


def session_count(runtime) -> int:
    with runtime.engine.connect() as connection:
        return int(connection.execute(select(func.count()).select_from(user_session)).scalar_one())


def test_sessions_are_kept_for_their_maximum_age_plus_the_retention_then_purged(portal, runtime, clock) -> None:
    keep_for = runtime.deps.max_age + runtime.deps.session_retention
    portal.token("zk-inkoper")
    portal.token("zk-admin")
    clock.advance(keep_for.total_seconds() - 60)
    recent = portal.token("cz-inkoper")  # a newer session, still live
    assert runtime.handle(PurgeSessions()) == 0  # nothing is old enough yet
    clock.advance(120)
    assert runtime.handle(PurgeSessions()) == 2
    assert session_count(runtime) == 1
    assert portal.check(recent).status_code == 200  # the live one keeps working


def test_one_run_deletes_a_bounded_number_the_next_run_goes_on(portal, runtime, clock) -> None:
    for username in ("zk-inkoper", "zk-admin", "vgz-inkoper", "vgz-admin", "cz-admin"):
        portal.token(username)
    clock.advance((runtime.deps.max_age + runtime.deps.session_retention + timedelta(minutes=1)).total_seconds())
    assert runtime.handle(PurgeSessions(batch_size=2, max_batches=1)) == 2
    assert session_count(runtime) == 3
    assert runtime.handle(PurgeSessions(batch_size=2, max_batches=5)) == 3
    assert session_count(runtime) == 0


def test_the_consumer_process_purges_periodically(portal, runtime, clock, wait_for) -> None:
    portal.token("menzis-inkoper")
    clock.advance((runtime.deps.max_age + runtime.deps.session_retention + timedelta(minutes=1)).total_seconds())
    (worker,) = runtime.background_workers()
    stop = threading.Event()
    thread = threading.Thread(target=worker, args=(stop,), daemon=True)
    thread.start()
    try:
        wait_for(lambda: session_count(runtime) == 0, timeout=20, message="the periodic purge")
    finally:
        stop.set()
        thread.join(timeout=10)
    assert not thread.is_alive()
