"""Issue 8, R16 at scale: three consumer processes of contracting on one queue, on PostgreSQL and RabbitMQ.

A stream of 2,000 catalogue changes that hit the same institutions over and over (registrations,
offering changes, renames, closures, condition renames and retirements, a specialism retirement) is
published in the catalogue's order; three consumer processes share ``contracting.catalogue``, so
events of one institution reach different processes and arrive out of order (retries wait in the
delay queues). Afterwards contracting's copy and every open collection's rows are exactly what the
catalogue's final state implies, and nothing is in any dead-letter queue.
"""

from __future__ import annotations

import json
import multiprocessing
import os
import socket
import subprocess
import sys
import threading
import time
import urllib.request
import uuid
from typing import Any

import pytest
from catalogue_stream import CatalogueStream, Institution
from kombu import Connection
from prometheus_client.parser import text_string_to_metric_families
from sqlalchemy import func, select

from conftest import Api, World
from contracting.adapters.orm import (
    condition,
    condition_status,
    department_status,
    institution,
    institution_status,
    offering_condition,
    offering_department,
    status_change,
    status_history,
)
from contracting.integration.inbound import subscriptions
from servicekit.db import create_db_engine
from servicekit.messaging.envelope import Envelope
from servicekit.messaging.publisher import ConfirmingPublisher
from servicekit.messaging.topology import retry_delays, retry_queue_name
from servicekit.runtime import build_consumers, declare_topology

pytestmark = pytest.mark.usefixtures("purged_queues")  # a failure leaves no events for the next test

CHANGES = 2000


def catalogue_subscription() -> Any:
    return next(s for s in subscriptions() if s.purpose == "catalogue")


def _consume(settings: Any) -> None:
    """A consumer process of its own: its own engine and broker connections (forked, nothing shared)."""
    engine = create_db_engine(settings.database_url)
    build_consumers(settings, engine, [catalogue_subscription()])[0].run(threading.Event())


class _Tuples:
    """A connection whose results are sets of plain tuples (compared with the expected sets)."""

    def __init__(self, connection: Any) -> None:
        self.connection = connection

    def execute(self, statement: Any) -> Any:
        result = self.connection.execute(statement)
        return [tuple(row) for row in result]


def queue_depths(settings: Any) -> dict[str, int]:
    """Messages in the catalogue queue, its delay queues and its dead-letter queue."""
    spec = catalogue_subscription().queue_spec
    prefix = settings.messaging.queue_prefix
    messaging = settings.messaging
    delays = retry_delays(messaging.max_delivery_attempts, messaging.retry_delay, messaging.max_retry_delay)
    names = [spec.name(prefix), spec.dead_letter_name(prefix)]
    names += [retry_queue_name(spec, prefix, seconds) for seconds in sorted(set(delays))]
    with Connection(settings.messaging.amqp_url, connect_timeout=5) as connection:
        channel = connection.channel()
        return {name: int(channel.queue_declare(name, passive=True).message_count) for name in names}


def stored_state(engine: Any, stream: CatalogueStream, collection_ids: list[str]) -> dict[str, Any]:
    ids = list(stream.institutions)
    with engine.connect() as raw:
        connection = _Tuples(raw)
        copy = {
            row.id: (row.revision, row.name, row.offering_revision, row.closed_on is not None)
            for row in raw.execute(select(institution).where(institution.c.id.in_(ids)))
        }
        conditions = {
            row.id: (row.name, row.retired)
            for row in raw.execute(select(condition).where(condition.c.id.in_(list(stream.conditions))))
        }
        offered = {
            "departments": set(
                connection.execute(select(offering_department).where(offering_department.c.institution_id.in_(ids)))
            ),
            "conditions": set(
                connection.execute(select(offering_condition).where(offering_condition.c.institution_id.in_(ids)))
            ),
        }
        rows = {}
        for collection_id in collection_ids:
            rows[collection_id] = tuple(
                set(
                    connection.execute(
                        select(*columns).where(table.c.collection_id == collection_id, table.c.institution_id.in_(ids))
                    )
                )
                for table, columns in (
                    (institution_status, [institution_status.c.institution_id]),
                    (department_status, [department_status.c.institution_id, department_status.c.specialism_id]),
                    (condition_status, [condition_status.c.institution_id, condition_status.c.condition_id]),
                )
            )
    return {"copy": copy, "conditions": conditions, "offered": offered, "rows": rows}


def describe_difference(depths: dict[str, int], stored: dict[str, Any], wanted: dict[str, Any]) -> str:
    """What is still missing or extra: for the failure message of a stream that never settles."""
    parts = [f"queues {depths}"]
    for key in ("copy", "conditions"):
        wrong = {i for i in wanted[key] if stored[key].get(i) != wanted[key][i]}
        parts.append(
            f"{key}: {len(wrong)} institutions differ, e.g. {[(stored[key].get(i), wanted[key][i]) for i in list(wrong)[:3]]}"
        )
    for key in ("departments", "conditions"):
        parts.append(
            f"offered {key}: missing {len(wanted['offered'][key] - stored['offered'][key])}, extra {len(stored['offered'][key] - wanted['offered'][key])}"
        )
    for collection_id, levels in wanted["rows"].items():
        for level, want, have in zip(
            ("institution", "department", "condition"), levels, stored["rows"][collection_id], strict=True
        ):
            parts.append(f"{level} rows: missing {len(want - have)}, extra {len(have - want)}")
    return "; ".join(parts)


def expected_state(stream: CatalogueStream, collection_ids: list[str]) -> dict[str, Any]:
    institutions, departments, conditions = stream.expected_rows()
    return {
        "copy": {i.id: (i.state_revision, i.name, i.offering_revision, i.closed) for i in stream.institutions.values()},
        "conditions": {c: (name, c in stream.retired_conditions) for c, (_, _, name) in stream.conditions.items()},
        "offered": {
            "departments": {(i.id, s) for i in stream.institutions.values() for s in i.specialisms},
            "conditions": {(i.id, c) for i in stream.institutions.values() for c in i.conditions},
        },
        "rows": {c: ({(i,) for i in institutions}, departments, conditions) for c in collection_ids},
    }


@pytest.mark.timeout(900)
def test_r16_three_consumer_processes_on_one_queue_lose_nothing_over_2000_changes(
    settings: Any, runtime: Any, world: World, api_b: Api, wait_for: Any
) -> None:
    response = api_b.post("/collections", json={"name": "Basis B", "collection_type": "basic", "description": "B"})
    assert response.status_code == 201, response.json
    collection_ids = [world.collection_id, response.json["collection_id"]]
    stream = CatalogueStream(seed=8)
    events = stream.build(CHANGES)
    assert len(events) >= CHANGES and len({e.data.get("institution_id") for e in events}) <= 61
    declare_topology(settings, subscriptions())
    context = multiprocessing.get_context("fork")
    runtime.engine.dispose(close=False)
    children = [context.Process(target=_consume, args=(settings,), daemon=True) for _ in range(3)]
    for child in children:
        child.start()
    publisher = ConfirmingPublisher(settings.messaging.amqp_url, settings.messaging.exchange)
    try:
        for start in range(0, len(events), 100):
            publisher.publish_batch([(e.type, e.to_json()) for e in events[start : start + 100]])
        wanted = expected_state(stream, collection_ids)

        report: list[str] = []

        def settled() -> bool:
            depths, stored = queue_depths(settings), stored_state(runtime.engine, stream, collection_ids)
            report[:] = [describe_difference(depths, stored, wanted)]
            return sum(depths.values()) == 0 and stored == wanted

        try:  # on a loaded machine it may take longer: it fails once 120 s pass with nothing applied
            wait_for(
                settled,
                timeout=120,
                interval=1.0,
                message="the stream applied by three consumers",
                progress=lambda: tuple(report),
                most=720,
            )
        except AssertionError as exc:
            raise AssertionError(f"{exc}: {report}") from None
    finally:
        publisher.close()
        for child in children:
            child.kill()
            child.join(timeout=10)
    assert stored_state(runtime.engine, stream, collection_ids) == wanted  # 0 lost, 0 extra rows
    assert (
        queue_depths(settings)[catalogue_subscription().queue_spec.dead_letter_name(settings.messaging.queue_prefix)]
        == 0
    )
    assert_each_closure_recorded_once(runtime.engine, stream, collection_ids)


def assert_each_closure_recorded_once(engine: Any, stream: CatalogueStream, collection_ids: list[str]) -> None:
    """0 duplicated: one catalogue change per closed institution and collection, counting its own history rows."""
    closed = {i.id for i in stream.institutions.values() if i.closed}
    with engine.connect() as connection:
        changes = connection.execute(
            select(
                status_change.c.id, status_change.c.collection_id, status_change.c.scope, status_change.c.count
            ).where(status_change.c.kind == "catalogue", status_change.c.collection_id.in_(collection_ids))
        ).all()
        history = {
            change_id: count
            for change_id, count in connection.execute(
                select(status_history.c.change_id, func.count())
                .where(status_history.c.change_id.in_([c.id for c in changes]))
                .group_by(status_history.c.change_id)
            )
        }
    per_institution: dict[tuple[str, str], int] = {}
    for change in changes:
        institution_id = json.loads(change.scope)["institution_id"]
        per_institution[(change.collection_id, institution_id)] = (
            per_institution.get((change.collection_id, institution_id), 0) + 1
        )
        assert change.count == history.get(change.id, 0)
    assert set(per_institution) == {(c, i) for c in collection_ids for i in closed}
    assert all(count == 1 for count in per_institution.values()), per_institution


def _scrape(port: int) -> dict[tuple[str, str], float]:
    """``(event_type, outcome) -> count`` of the catalogue queue, from a consumer process's /metrics."""
    page = urllib.request.urlopen(f"http://127.0.0.1:{port}/metrics", timeout=5).read().decode()
    counts = {}
    for family in text_string_to_metric_families(page):
        for sample in family.samples:
            if sample.name == "zcp_messages_total" and sample.labels["queue"] == "contracting.catalogue":
                counts[(sample.labels["event_type"], sample.labels["outcome"])] = sample.value
    return counts


@pytest.mark.timeout(600)
def test_r16_an_offering_whose_institution_registers_10_s_later_is_applied_not_dead_lettered_and_counted(
    settings: Any, world: World, api_a: Api, wait_for: Any
) -> None:
    """Also issue 8's "curl /metrics on a consumer process": the real ``python -m contracting.consumer``."""
    declare_topology(settings, subscriptions())
    port = free_port()
    env = {
        **os.environ,
        "CONTRACTING_DATABASE_URL": settings.database_url,
        "AMQP_URL": settings.messaging.amqp_url,
        "EVENT_EXCHANGE": settings.messaging.exchange,
        "QUEUE_PREFIX": settings.messaging.queue_prefix,
        "METRICS_PORT": str(port),
    }
    consumer = subprocess.Popen([sys.executable, "-m", "contracting.consumer"], env=env)
    stream = CatalogueStream(seed=3)
    institution_id = str(uuid.uuid4())
    registered = Envelope.new(
        type="catalogue.institution.registered",
        producer="catalogue",
        data=stream._institution_data(Institution(institution_id, 1, "Laat Ziekenhuis", "06990999")),
    )
    offering = Envelope.new(
        type="catalogue.offering.changed",
        producer="catalogue",
        data={
            "institution_id": institution_id,
            "revision": 1,
            "specialism_ids": [world.eye],
            "condition_ids": [world.cataract],
        },
    )
    publisher = ConfirmingPublisher(settings.messaging.amqp_url, settings.messaging.exchange)
    try:
        wait_for(lambda: _reachable(port), timeout=60, message="the consumer's /metrics")
        published = time.monotonic()
        publisher.publish_batch([(offering.type, offering.to_json())])
        refused = ("catalogue.offering.changed", "retried")
        wait_for(lambda: _scrape(port).get(refused, 0) >= 3, timeout=30, message="the offering refused three times")
        threading.Event().wait(max(0.0, 10 - (time.monotonic() - published)))  # the dependency comes 10 s late
        publisher.publish_batch([(registered.type, registered.to_json())])
        path = f"/collections/{world.collection_id}/institutions/{institution_id}/departments"

        def departments() -> list[str]:
            response = api_a.get(path)
            return [d["specialism_id"] for d in response.json["items"]] if response.status_code == 200 else []

        wait_for(
            lambda: departments() == [world.eye],
            timeout=90,
            interval=0.5,
            message="the offering applied",
            progress=lambda: _scrape(port).get(refused, 0),  # each retry is progress: backoff grows to 60 s
            most=400,
        )
        counts = _scrape(port)
    finally:
        publisher.close()
        consumer.terminate()
        consumer.wait(timeout=20)
    assert counts[("catalogue.offering.changed", "handled")] == 1
    assert counts[("catalogue.institution.registered", "handled")] == 1
    assert counts.get(("catalogue.offering.changed", "dead_lettered"), 0) == 0
    assert (
        queue_depths(settings)[catalogue_subscription().queue_spec.dead_letter_name(settings.messaging.queue_prefix)]
        == 0
    )


def _reachable(port: int) -> bool:
    try:
        _scrape(port)
    except OSError:
        return False
    return True


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])
