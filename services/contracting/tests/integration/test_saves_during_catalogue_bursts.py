"""Issue 16 item 2 (R16): a maintainer's burst of catalogue changes never freezes purchasing teams' saves.

A consumer batch with condition retirements, offering changes and closures runs while a purchasing
team saves, on SQLite (``make run``) and on PostgreSQL. Every save answers within 1 s (on a loaded
machine: within half the burst's time, since a save held behind the batch waits for all of it): a retirement
deletes only its own condition's rows (by their index), and the consumer commits after at most its
transaction budget instead of holding its locks (on SQLite: the database) for the whole batch.
Before, the batch was one transaction and a retirement scanned every open condition row: saves
waited 28 s to 3 minutes.
"""

from __future__ import annotations

import threading
import time
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import func, select

from contracting.adapters.orm import condition_status
from contracting.bootstrap import bootstrap
from contracting.config import Settings
from contracting.domain.commands import Actor, CreateCollection, RowChange, SaveRows, Target
from contracting.domain.model import Level, Status
from contracting.integration.inbound import subscriptions
from contracting.manage import migrate
from contracting.service_layer import collections, statuses
from servicekit.messaging.consumer import InboxConsumer
from servicekit.messaging.envelope import Envelope
from servicekit.testing.inbound import FakeMessage

INSTITUTIONS, CONDITIONS, COLLECTIONS = 120, 30, 3


@pytest.fixture(params=["sqlite", "postgresql"])
def backend(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Any]:
    if request.param == "postgresql":
        yield request.getfixturevalue("runtime")
        return
    settings = Settings.from_env({"CONTRACTING_DATABASE_URL": f"sqlite:///{tmp_path / 'c.sqlite3'}"})
    migrate(settings, topology=False)
    runtime = bootstrap(settings)
    yield runtime
    runtime.engine.dispose()


def event(event_type: str, data: dict[str, Any]) -> FakeMessage:
    return FakeMessage(Envelope.new(type=event_type, data=data, producer="catalogue").to_json())


def institution_data(institution_id: str, number: int) -> dict[str, Any]:
    return {
        "institution_id": institution_id,
        "revision": 1,
        "agb_code": f"{6200000 + number:08d}",
        "name": f"Ziekenhuis {number}",
        "type": "general_hospital",
        "country": "NL",
        "city": "Zwolle",
        "group_id": None,
        "opened_on": None,
    }


def fill(consumer: InboxConsumer, specialism: str, conditions: list[str], institutions: list[str]) -> None:
    messages = [
        event(
            "catalogue.specialism.added",
            {"specialism_id": specialism, "revision": 1, "code": "0320", "name": "Cardiologie"},
        )
    ]
    messages += [
        event(
            "catalogue.condition.added",
            {"condition_id": c, "revision": 1, "specialism_id": specialism, "name": f"A{n}"},
        )
        for n, c in enumerate(conditions)
    ]
    for number, institution_id in enumerate(institutions):
        messages.append(event("catalogue.institution.registered", institution_data(institution_id, number)))
        offering = {
            "institution_id": institution_id,
            "revision": 1,
            "specialism_ids": [specialism],
            "condition_ids": conditions,
        }
        messages.append(event("catalogue.offering.changed", offering))
    consumer.process_batch(messages, dead_letter=lambda m: pytest.fail("nothing is refused"))  # type: ignore[arg-type]
    assert {m.outcome for m in messages} == {"acked"}


def burst(specialism: str, conditions: list[str], institutions: list[str]) -> list[FakeMessage]:
    """A maintainer's afternoon in one consumer batch: 10 retirements, 5 closures, 220 offering changes.

    Closures bump each collection's ``status_version``: with the whole batch in one transaction that
    row lock would hold every save of the collection until the batch's end.
    """
    retired = conditions[:10]
    kept = conditions[10:]
    messages = [event("catalogue.condition.retired", {"condition_id": c, "revision": 2}) for c in retired]
    messages += [
        event("catalogue.institution.closed", {"institution_id": i, "revision": 2, "closed_on": "2026-07-01"})
        for i in institutions[5:10]
    ]
    for round_no in range(2, 2 + 150 // len(institutions[10:]) + 1):
        for number, institution_id in enumerate(institutions[10:]):
            chosen = kept[: 5 + (number + round_no) % (len(kept) - 5)]
            data = {
                "institution_id": institution_id,
                "revision": round_no,
                "specialism_ids": [specialism],
                "condition_ids": chosen,
            }
            messages.append(event("catalogue.offering.changed", data))
    return messages


def test_r16_saves_answer_within_a_second_while_a_burst_of_catalogue_changes_is_applied(backend: Any) -> None:
    consumer = InboxConsumer(backend.engine, subscriptions()[0], amqp_url="memory://", exchange="x")
    actor = Actor(insurer_id=str(uuid.uuid4()), year=2026, user_id="inkoper", user_name="Inkoper")
    created = [
        collections.create_collection(
            CreateCollection(f"Basis {k}", "hospital", "basic"), actor, backend.unit_of_work()
        )
        for k in range(COLLECTIONS)
    ]
    specialism = str(uuid.uuid4())
    conditions = [str(uuid.uuid4()) for _ in range(CONDITIONS)]
    institutions = [str(uuid.uuid4()) for _ in range(INSTITUTIONS)]
    fill(consumer, specialism, conditions, institutions)
    messages = burst(specialism, conditions, institutions)
    applying = threading.Thread(target=consumer.process_batch, args=(messages, lambda m: None), daemon=True)
    target, saved_institution = Target(str(created[0]["id"]), Level.INSTITUTION), institutions[0]
    latencies: list[float] = []
    burst_started = time.perf_counter()
    applying.start()
    while applying.is_alive() or not latencies:
        status = (Status.FULL, Status.PARTIAL)[len(latencies) % 2]
        change = SaveRows(target, (RowChange(saved_institution, status, len(latencies) + 1, None, False),))
        started = time.perf_counter()
        statuses.save_rows(change, actor, backend.unit_of_work())
        latencies.append(time.perf_counter() - started)
    applying.join(timeout=60)
    burst_seconds = time.perf_counter() - burst_started
    assert {m.outcome for m in messages} == {"acked"}
    assert len(latencies) >= 5, "the saves ran while the burst was applied"
    # A save held behind the batch waits about as long as the whole burst takes; one that only meets a
    # short consumer transaction answers within 1 s on an idle machine. On a loaded machine everything is
    # slower, the burst too: the bound is 1 s or half the burst, whichever is larger.
    bound = max(1.0, burst_seconds / 2)
    assert max(latencies) < bound, (
        f"slowest save {max(latencies):.2f}s of {len(latencies)} (bound {bound:.2f}s, burst {burst_seconds:.2f}s)"
    )
    with backend.engine.connect() as connection:
        left = connection.execute(
            select(func.count())
            .select_from(condition_status)
            .where(condition_status.c.condition_id.in_(conditions[:10]))
        ).scalar_one()
    assert left == 0  # the retired conditions left every open collection
