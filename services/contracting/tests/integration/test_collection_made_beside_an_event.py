"""R16: a collection made while a catalogue event is being applied gets that event's rows.

GIVEN a consumer's transaction that has applied an offering change (a new department at the clinic)
but not committed yet, WHEN a purchaser makes a new collection meanwhile, THEN the new collection
waits for that transaction and then holds the new department; without the ordering lock it would
miss it for good (each side's READ COMMITTED snapshot lacks the other's uncommitted work).
"""

from __future__ import annotations

import threading
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from conftest import Api, World
from contracting import SERVICE
from contracting.adapters.orm import department_status
from contracting.domain.catalogue_commands import ReplaceOffering
from contracting.integration.outbound import integration_events
from contracting.service_layer import catalogue
from servicekit.db import UnitOfWork


def test_r16_a_collection_made_beside_an_offering_change_holds_its_new_department(
    runtime: Any, world: World, api_a: Api
) -> None:
    applied, go_on = threading.Event(), threading.Event()
    failures: list[BaseException] = []

    def consumer_transaction() -> None:
        try:
            with Session(runtime.engine) as session, session.begin():
                uow = UnitOfWork(session=session, producer=SERVICE, outbound=integration_events)
                change = ReplaceOffering(world.zbc, 99, (world.eye, world.cardio), (world.cataract,))
                catalogue.alongside_new_collections(catalogue.replace_offering)(change, uow)
                applied.set()
                go_on.wait(timeout=30)
        except BaseException as exc:  # reported by the test below
            failures.append(exc)
            applied.set()

    made: list[Any] = []
    handler = threading.Thread(target=consumer_transaction)
    handler.start()
    assert applied.wait(timeout=30) and not failures, failures
    maker = threading.Thread(
        target=lambda: made.append(
            api_a.post("/collections", json={"name": "Nieuw", "collection_type": "basic", "description": "R16"})
        )
    )
    maker.start()
    maker.join(timeout=1.5)
    assert maker.is_alive() and not made  # it waits for the event's transaction
    go_on.set()
    handler.join(timeout=30)
    maker.join(timeout=30)
    assert not failures, failures
    assert made and made[0].status_code == 201, made[0].json
    with runtime.engine.connect() as connection:
        departments = set(
            connection.execute(
                select(department_status.c.specialism_id).where(
                    department_status.c.collection_id == made[0].json["collection_id"],
                    department_status.c.institution_id == world.zbc,
                )
            ).scalars()
        )
    assert {str(d) for d in departments} == {world.eye, world.cardio}
