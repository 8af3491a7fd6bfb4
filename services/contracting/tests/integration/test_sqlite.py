"""``make run`` uses SQLite: the migrations and the set-based statements must run there too."""

from __future__ import annotations

import uuid
from pathlib import Path
from typing import Any

from sqlalchemy import delete, func, select, update

from contracting.adapters.orm import condition_status, department_status, institution_status
from contracting.bootstrap import bootstrap
from contracting.config import Settings
from contracting.domain.commands import (
    Actor,
    ApplyToShown,
    CopyCollection,
    CreateCollection,
    InstitutionFilter,
    RowChange,
    SaveRows,
    StartRollover,
    Target,
)
from contracting.domain.model import Level, Status
from contracting.integration.inbound import subscriptions
from contracting.manage import migrate
from contracting.service_layer import collection_tools, collections, consistency, rollover, spreadsheets, statuses
from servicekit.messaging.consumer import InboxConsumer
from servicekit.messaging.envelope import Envelope
from servicekit.testing.inbound import FakeMessage


def test_sqlite_runs_migrations_events_saves_cascade_rollover_and_import(tmp_path: Path) -> None:
    settings = Settings.from_env({"CONTRACTING_DATABASE_URL": f"sqlite:///{tmp_path / 'c.sqlite3'}"})
    migrate(settings, topology=False)
    runtime = bootstrap(settings)
    actor = Actor(insurer_id=str(uuid.uuid4()), year=2026, user_id="u", user_name="u")
    catalogue = subscriptions()[0]
    consumer = InboxConsumer(runtime.engine, catalogue, amqp_url="memory://", exchange="x")
    spec, cond, inst = str(uuid.uuid4()), str(uuid.uuid4()), str(uuid.uuid4())
    created = collections.create_collection(
        CreateCollection("Basis", "hospital", "basic"), actor, runtime.unit_of_work()
    )
    for event_type, data in (
        ("catalogue.specialism.added", {"specialism_id": spec, "revision": 1, "code": "0301", "name": "Oogheelkunde"}),
        ("catalogue.condition.added", {"condition_id": cond, "revision": 1, "specialism_id": spec, "name": "Staar"}),
        (
            "catalogue.institution.registered",
            {
                "institution_id": inst,
                "revision": 1,
                "agb_code": "06010001",
                "name": "Isala",
                "type": "general_hospital",
                "country": "NL",
                "city": None,
                "group_id": None,
                "opened_on": None,
            },
        ),
        (
            "catalogue.offering.changed",
            {"institution_id": inst, "revision": 1, "specialism_ids": [spec], "condition_ids": [cond]},
        ),
    ):
        message = FakeMessage(Envelope.new(type=event_type, data=data, producer="catalogue").to_json())
        consumer.process_batch([message], dead_letter=lambda m: None)  # type: ignore[list-item]
        assert message.outcome == "acked", event_type
    target = Target(str(created["id"]), Level.INSTITUTION)
    statuses.save_rows(
        SaveRows(target, (RowChange(inst, Status.PARTIAL, 1, "x", True),)), actor, runtime.unit_of_work()
    )
    result = statuses.apply_to_shown(
        ApplyToShown(target, Status.FULL, InstitutionFilter(name="isa"), cascade=True, if_match=1),
        actor,
        runtime.unit_of_work(),
    )
    assert result["count"] == 1 and result["cascaded"] == {"condition": 1, "department": 1}
    with runtime.sessions() as session:
        exported = list(spreadsheets.export_rows(session, actor, str(created["id"])))
    csv_bytes = "".join(spreadsheets.to_csv(iter(exported))).encode()
    imported = spreadsheets.import_collection(actor, str(created["id"]), csv_bytes, "x.csv", runtime.unit_of_work())
    assert imported["lines"] == 3
    job = rollover.start_rollover(StartRollover(2026, actor.insurer_id, "u"), runtime.unit_of_work())
    done = rollover.run_rollover(job["job_id"], runtime.unit_of_work, runtime.engine)
    assert done["state"] == "done" and done["rows_done"] == 3
    with runtime.engine.connect() as connection:
        counts = [
            connection.execute(select(func.count()).select_from(t)).scalar_one()
            for t in (institution_status, department_status, condition_status)
        ]
    assert counts == [2, 2, 2]
    _tools_on_sqlite(runtime, actor, str(created["id"]), inst, cond)
    runtime.engine.dispose()


def _tools_on_sqlite(runtime: Any, actor: Actor, collection_id: str, inst: str, cond: str) -> None:
    """Issue 15's copy, compare (one-sided rows: FULL JOIN) and consistency check (ids as text) on SQLite."""
    copied = collection_tools.copy_collection(
        CopyCollection(collection_id, "Kopie", "selective"), actor, runtime.unit_of_work()
    )
    with runtime.engine.begin() as connection:
        connection.execute(delete(condition_status).where(condition_status.c.collection_id == str(copied["id"])))
        connection.execute(
            update(institution_status)
            .where(institution_status.c.collection_id == collection_id)
            .values(status="NOT_CONTRACTED", version=institution_status.c.version + 1)
        )
    with runtime.sessions() as session:
        answer = collection_tools.compare_collections(session, actor, collection_id, str(copied["id"]), {})
        found = consistency.check_collection(session, actor, collection_id, include_intended=False)
    assert [
        (i["institution_id"], i["status"], i["other_status"]) for i in answer["levels"]["institution"]["items"]
    ] == [(inst, "NOT_CONTRACTED", "FULL")]
    assert [(i["subject_id"], i["other_status"]) for i in answer["levels"]["condition"]["items"]] == [(cond, None)]
    kinds = {(i["kind"], i["institution_id"], i["subject_id"]) for i in found["items"]}
    assert ("not_contracted_institution_condition_contracted", inst, cond) in kinds
    assert all("Isala" in i["explanation"] for i in found["items"])
