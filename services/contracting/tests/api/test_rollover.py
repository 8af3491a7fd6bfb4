"""R3: the year rollover job, closed years, and who may start it."""

from __future__ import annotations

import threading
from typing import Any

import pytest
from sqlalchemy import func, select

from conftest import INSURER_A, INSURER_B, Api, World, make_api, rows_by
from contracting import queries
from contracting.adapters.orm import collection, condition_status, department_status, institution_status, rollover_job
from contracting.service_layer import rollover
from servicekit.testing.outbox import outbox_events
from servicekit.testing.servers import wait_for

INST = "/collections/{c}/institutions"

# The API only queues jobs; the worker of the consumer process runs them (issue 16.3).
pytestmark = pytest.mark.usefixtures("rollover_worker")


def finish(api: Api, job: dict[str, Any]) -> dict[str, Any]:
    return wait_for(
        lambda: (r := api.get(f"/rollovers/{job['job_id']}").json)["state"] in ("done", "failed") and r,
        message="rollover job",
    )


def prepare_2026(api_a: Api, world: World) -> None:
    listing = rows_by(api_a.get(INST.format(c=world.collection_id)).json, "institution_id")
    rows = [
        {
            "institution_id": world.umc,
            "status": "FULL",
            "version": listing[world.umc]["version"],
            "remark": "meerjarig contract",
        },
        {"institution_id": world.foreign, "status": "PARTIAL", "version": listing[world.foreign]["version"]},
    ]
    assert api_a.patch(INST.format(c=world.collection_id), json={"rows": rows, "cascade": False}).status_code == 200
    deps = rows_by(
        api_a.get(f"/collections/{world.collection_id}/institutions/{world.general}/departments").json, "specialism_id"
    )
    api_a.patch(
        f"/collections/{world.collection_id}/institutions/{world.general}/departments",
        json={
            "rows": [
                {"specialism_id": world.eye, "status": "FULL", "version": deps[world.eye]["version"], "remark": "oog"}
            ],
            "cascade": True,
        },
    )


def snapshot(runtime: Any, year: int) -> set[tuple]:
    out = set()
    with runtime.engine.connect() as connection:
        for table, key in (
            (institution_status, "institution_id"),
            (department_status, "specialism_id"),
            (condition_status, "condition_id"),
        ):
            rows = connection.execute(
                select(collection.c.name, table.c.institution_id, table.c[key], table.c.status, table.c.remark)
                .join(collection, collection.c.id == table.c.collection_id)
                .where(collection.c.year == year, collection.c.insurer_id == INSURER_A)
            )
            out |= {(table.name, *map(str, r)) for r in rows}
    return out


def test_r3_rollover_copies_collections_statuses_at_three_levels_and_remarks(
    runtime, api_a: Api, admin_a: Api, world: World, client, identity_keys
) -> None:
    prepare_2026(api_a, world)
    response = admin_a.post("/rollovers", json={"from_year": 2026})
    assert response.status_code == 202, response.json
    job = finish(admin_a, response.json)
    assert job["state"] == "done" and job["percent"] == 100 and job["collections_copied"] == 1
    assert job["rows_done"] == job["rows_total"] == 4 + 5 + 10
    assert snapshot(runtime, 2027) == snapshot(runtime, 2026)
    api_2027 = make_api(client, identity_keys, tenant=INSURER_A, roles=("insurer_user",), year=2027)
    [copy] = api_2027.get("/collections").json
    assert copy["name"] == "Basis 2026" and copy["source_collection_id"] == world.collection_id
    umc = rows_by(api_2027.get(INST.format(c=copy["collection_id"])).json, "institution_id")[world.umc]
    assert (umc["status"], umc["remark"], umc["changed_by"]) == ("FULL", "meerjarig contract", "inkoper-a")
    [event] = [e for e in outbox_events(runtime.engine, "contracting.year.rolled_over")]
    assert event.data["collections"][0]["to_collection_id"] == copy["collection_id"]


def test_r3_running_the_rollover_twice_changes_nothing(runtime, api_a: Api, admin_a: Api, world: World) -> None:
    prepare_2026(api_a, world)
    finish(admin_a, admin_a.post("/rollovers", json={"from_year": 2026}).json)
    before = snapshot(runtime, 2027)
    second = finish(admin_a, admin_a.post("/rollovers", json={"from_year": 2026}).json)
    assert second["state"] == "done" and second["collections_copied"] == 0 and second["rows_done"] == 0
    assert snapshot(runtime, 2027) == before
    with runtime.engine.connect() as connection:
        assert connection.execute(select(func.count()).where(collection.c.year == 2027)).scalar_one() == 1


def test_r3_rollover_is_all_or_nothing(
    runtime, api_a: Api, admin_a: Api, world: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    api_a.post("/collections", json={"name": "Selectief 2026", "collection_type": "selective"})
    original = rollover.copy_level
    calls = []

    def fail_on_second(session, table, keys, mapping):  # type: ignore[no-untyped-def]
        calls.append(table.name)
        if len(calls) == 2:  # institutions copied, departments fail
            raise RuntimeError("disk full")
        return original(session, table, keys, mapping)

    monkeypatch.setattr(rollover, "copy_level", fail_on_second)
    job = finish(admin_a, admin_a.post("/rollovers", json={"from_year": 2026}).json)
    assert job["state"] == "failed" and job["error"] and job["rows_done"] == 0
    assert snapshot(runtime, 2027) == set()
    with runtime.engine.connect() as connection:
        assert connection.execute(select(func.count()).where(collection.c.year == 2027)).scalar_one() == 0
    monkeypatch.setattr(rollover, "copy_level", original)
    assert finish(admin_a, admin_a.post("/rollovers", json={"from_year": 2026}).json)["collections_copied"] == 2


def test_r3_progress_is_readable_while_the_job_runs(
    runtime, api_a: Api, admin_a: Api, world: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    original = rollover.copy_level
    seen: list[dict[str, Any]] = []

    def observe(session, table, keys, mapping):  # type: ignore[no-untyped-def]
        copied = original(session, table, keys, mapping)
        if table.name == "department_status":  # between levels: read it as a polling client would
            with runtime.sessions() as other:
                seen.append(queries.get_job(other, job_id(), INSURER_A))
        return copied

    monkeypatch.setattr(rollover, "copy_level", observe)

    def job_id() -> str:
        with runtime.engine.connect() as connection:
            return str(connection.execute(select(rollover_job.c.id)).scalar_one())

    response = admin_a.post("/rollovers", json={"from_year": 2026})
    assert finish(admin_a, response.json)["state"] == "done"
    [during] = seen
    assert during["state"] == "running" and during["rows_total"] == 19
    assert during["rows_done"] == 4 and during["percent"] == pytest.approx(21.1)


def test_r3_platform_admin_rolls_over_every_insurer(
    runtime, api_a: Api, api_b: Api, platform: Api, world: World
) -> None:
    api_b.post("/collections", json={"name": "Menzis Basis", "collection_type": "basic"})
    job = finish(platform, platform.post("/rollovers", json={"from_year": 2026}).json)
    assert job["state"] == "done" and job["collections_copied"] == 2
    with runtime.engine.connect() as connection:
        insurers = set(connection.execute(select(collection.c.insurer_id).where(collection.c.year == 2027)).scalars())
    assert insurers == {INSURER_A, INSURER_B}


def test_r3_who_may_start_a_rollover(api_a: Api, admin_a: Api, world: World, client) -> None:
    assert api_a.post("/rollovers", json={"from_year": 2026}).status_code == 403
    assert admin_a.post("/rollovers", json={"from_year": 2026, "insurer_id": INSURER_B}).status_code == 403
    assert client.post("/api/contracting/rollovers", json={"from_year": 2026}).status_code == 401
    assert admin_a.post("/rollovers", json={"from_year": 1999}).status_code == 422


def test_r3_an_insurer_cannot_read_another_insurers_job(admin_a: Api, world: World, client, identity_keys) -> None:
    job = finish(admin_a, admin_a.post("/rollovers", json={"from_year": 2026}).json)
    admin_b = make_api(client, identity_keys, tenant=INSURER_B, roles=("insurer_admin",))
    assert admin_b.get(f"/rollovers/{job['job_id']}").status_code == 404


def test_r3_closed_year_is_read_only(api_a: Api, admin_a: Api, world: World) -> None:
    assert api_a.post("/years/2026/close").status_code == 403
    closed = admin_a.post("/years/2026/close")
    assert closed.status_code == 200 and closed.json["state"] == "closed"
    listing = api_a.get(INST.format(c=world.collection_id))
    assert listing.status_code == 200
    row = rows_by(listing.json, "institution_id")[world.umc]
    for response in (
        api_a.patch(
            INST.format(c=world.collection_id),
            json={"rows": [{"institution_id": world.umc, "status": "FULL", "version": row["version"]}]},
        ),
        api_a.post(INST.format(c=world.collection_id) + "/apply-to-shown", json={"status": "FULL"}),
        api_a.patch(f"/collections/{world.collection_id}", json={"name": "Anders", "version": 1}),
        api_a.delete(f"/collections/{world.collection_id}"),
        api_a.post("/collections", json={"name": "Nieuw", "collection_type": "basic"}),
    ):
        assert response.status_code == 409, response.json
        assert "gesloten" in response.json["message"]
    assert api_a.get("/years").json == [{"year": 2026, "state": "closed", "collections": 1}]


def test_r3_rollover_from_a_closed_year_adds_what_the_catalogue_offers_now(
    api_a: Api, admin_a: Api, world: World, client, identity_keys
) -> None:
    admin_a.post("/years/2026/close")
    newcomer = world.catalogue.institution("Nieuw Ziekenhuis", specialisms=(world.eye,), conditions=(world.cataract,))
    job = finish(admin_a, admin_a.post("/rollovers", json={"from_year": 2026}).json)
    assert job["state"] == "done"
    api_2027 = make_api(client, identity_keys, tenant=INSURER_A, roles=("insurer_user",), year=2027)
    [copy] = api_2027.get("/collections").json
    new_rows = api_2027.get(INST.format(c=copy["collection_id"]), query_string={"is_new": True}).json["items"]
    assert [r["institution_id"] for r in new_rows] == [newcomer]


def _crash_during_rollover(runtime: Any, job_id: str) -> None:
    """In a child process: run the job and die (like a killed API process) after its first level."""
    import os

    runtime.engine.dispose(close=False)  # the child's own connections
    original = rollover.copy_level

    def die_after_first_level(session, table, keys, mapping):  # type: ignore[no-untyped-def]
        original(session, table, keys, mapping)
        os._exit(9)

    rollover.copy_level = die_after_first_level  # type: ignore[assignment]
    rollover.run_rollover(job_id, runtime.unit_of_work, runtime.engine)


@pytest.mark.no_rollover_worker
def test_r3_a_rollover_whose_process_died_is_reported_failed_and_can_be_run_again(
    runtime, api_a: Api, admin_a: Api, world: World
) -> None:
    import multiprocessing

    from contracting.domain.commands import StartRollover

    prepare_2026(api_a, world)
    job = rollover.start_rollover(
        StartRollover(from_year=2026, insurer_id=INSURER_A, requested_by="teamleider-a"), runtime.unit_of_work()
    )
    child = multiprocessing.get_context("fork").Process(
        target=_crash_during_rollover, args=(runtime, job["job_id"]), daemon=True
    )
    child.start()
    child.join(timeout=60)
    assert child.exitcode == 9
    with runtime.engine.connect() as connection:
        assert (
            connection.execute(select(rollover_job.c.state).where(rollover_job.c.id == job["job_id"])).scalar_one()
            == "running"
        )

    assert admin_a.get(f"/rollovers/{job['job_id']}").json["state"] == "running"  # a GET only reads (16.3)
    rollover.run_queued_rollovers(runtime.unit_of_work, runtime.engine)  # the worker's next pass
    reported = admin_a.get(f"/rollovers/{job['job_id']}").json
    assert reported["state"] == "failed" and reported["error"] == rollover.INTERRUPTED
    assert snapshot(runtime, 2027) == set()  # the dead process's transaction left nothing
    again = admin_a.post("/rollovers", json={"from_year": 2026}).json
    assert again["job_id"] != job["job_id"] and again["state"] == "queued"
    assert rollover.run_queued_rollovers(runtime.unit_of_work, runtime.engine) == 1
    again = admin_a.get(f"/rollovers/{again['job_id']}").json
    assert again["state"] == "done" and again["collections_copied"] == 1


@pytest.mark.no_rollover_worker
def test_r3_a_running_rollover_is_not_mistaken_for_an_interrupted_one(
    runtime, api_a: Api, admin_a: Api, world: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    original = rollover.copy_level
    seen: list[str] = []

    def poll_between_levels(session, table, keys, mapping):  # type: ignore[no-untyped-def]
        copied = original(session, table, keys, mapping)
        if table.name == "department_status":  # the runner is alive: another worker's pass must not reap it
            other_worker = threading.Thread(
                target=rollover.run_queued_rollovers, args=(runtime.unit_of_work, runtime.engine)
            )
            other_worker.start()
            other_worker.join()
            seen.append(admin_a.get(f"/rollovers/{started['job_id']}").json["state"])
        return copied

    monkeypatch.setattr(rollover, "copy_level", poll_between_levels)
    started = admin_a.post("/rollovers", json={"from_year": 2026}).json
    assert rollover.run_rollover(started["job_id"], runtime.unit_of_work, runtime.engine)["state"] == "done"
    assert seen == ["running"]


@pytest.mark.no_rollover_worker
def test_r3_the_api_only_queues_and_a_second_start_answers_with_the_queued_job(
    runtime, api_a: Api, admin_a: Api, world: World
) -> None:
    """Issue 16.3: a double click or a retrying client starts one job; the API process runs none."""
    first = admin_a.post("/rollovers", json={"from_year": 2026})
    assert first.status_code == 202 and first.json["state"] == "queued"
    assert not [t for t in threading.enumerate() if t.name.startswith("rollover-")]
    second = admin_a.post("/rollovers", json={"from_year": 2026})
    assert second.status_code == 202 and second.json["job_id"] == first.json["job_id"]
    with runtime.engine.connect() as connection:
        assert connection.execute(select(func.count()).select_from(rollover_job)).scalar_one() == 1
    assert rollover.run_queued_rollovers(runtime.unit_of_work, runtime.engine) == 1
    assert admin_a.get(f"/rollovers/{first.json['job_id']}").json["state"] == "done"
    third = admin_a.post("/rollovers", json={"from_year": 2026}).json  # finished: a new start is a new job
    assert third["job_id"] != first.json["job_id"] and third["state"] == "queued"


@pytest.mark.no_rollover_worker
def test_r3_six_simultaneous_starts_queue_one_job(runtime, world: World) -> None:
    """Issue 16.3: six simultaneous POSTs exhausted the API's pool; now they all get the one job."""
    from contracting.domain.commands import StartRollover

    cmd = StartRollover(from_year=2026, insurer_id=INSURER_A, requested_by="teamleider-a")
    barrier = threading.Barrier(6)
    answers: list[str] = []

    def start() -> None:
        barrier.wait()
        answers.append(rollover.start_rollover(cmd, runtime.unit_of_work())["job_id"])

    starters = [threading.Thread(target=start) for _ in range(6)]
    for starter in starters:
        starter.start()
    for starter in starters:
        starter.join(timeout=30)
    assert len(answers) == 6 and len(set(answers)) == 1
    with runtime.engine.connect() as connection:
        assert connection.execute(select(func.count()).select_from(rollover_job)).scalar_one() == 1


@pytest.mark.no_rollover_worker
def test_r3_reading_a_job_writes_nothing(runtime, admin_a: Api, world: World) -> None:
    """Issue 16.3: ``GET /rollovers/{id}`` only reads, whatever the job's state."""
    from sqlalchemy import event

    job = admin_a.post("/rollovers", json={"from_year": 2026}).json
    with runtime.engine.begin() as connection:  # as if its worker had died
        connection.execute(rollover_job.update().values(state="running"))
    statements: list[str] = []

    def record(conn, cursor, statement, *args):  # type: ignore[no-untyped-def]
        statements.append(statement.lstrip().split()[0].upper())

    event.listen(runtime.engine, "before_cursor_execute", record)
    try:
        assert admin_a.get(f"/rollovers/{job['job_id']}").json["state"] == "running"
    finally:
        event.remove(runtime.engine, "before_cursor_execute", record)
    assert statements and set(statements) <= {"SELECT"}, statements


def test_r3_a_rollover_leaves_the_planner_fresh_statistics(runtime, api_a: Api, admin_a: Api, world: World) -> None:
    """Issue 16.13: after a bulk copy the planner knows the new row counts (history reads stayed slow otherwise)."""
    from sqlalchemy import text

    prepare_2026(api_a, world)
    assert finish(admin_a, admin_a.post("/rollovers", json={"from_year": 2026}).json)["state"] == "done"

    def statistics_match_the_tables() -> bool:  # the worker refreshes them right after it marked the job done
        with runtime.engine.connect() as connection:
            known = dict(
                connection.execute(
                    text(
                        "SELECT relname, reltuples FROM pg_class WHERE relname IN ('condition_status', 'status_history')"
                    )
                ).all()
            )
            actual = {table: connection.execute(text(f"SELECT count(*) FROM {table}")).scalar_one() for table in known}
        return len(known) == 2 and known == {table: float(count) for table, count in actual.items()}

    wait_for(statistics_match_the_tables, timeout=30, message="statistics refreshed after the rollover")
