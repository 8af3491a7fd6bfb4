"""R16 through RabbitMQ: the service's own consumer process picks catalogue events off its queue."""

from __future__ import annotations

import threading

import pytest

from conftest import Api, World
from contracting.integration.inbound import subscriptions
from servicekit.messaging.envelope import Envelope
from servicekit.messaging.publisher import create_publisher
from servicekit.runtime import build_consumers, declare_topology

pytestmark = pytest.mark.usefixtures("purged_queues")  # a failure leaves no events for the next test


def test_r16_new_condition_arrives_through_rabbitmq_with_the_default_status(
    settings, runtime, api_a: Api, world: World, wait_for
) -> None:
    declare_topology(settings, subscriptions())
    stop = threading.Event()
    threads = [
        threading.Thread(target=c.run, args=(stop,), daemon=True)
        for c in build_consumers(settings, runtime.engine, subscriptions())
    ]
    for thread in threads:
        thread.start()
    publisher = create_publisher(settings.messaging.amqp_url, settings.messaging.exchange)
    try:
        cat = world.catalogue
        condition_id = "5f0b2f1e-7a6b-4c5d-9e8f-0a1b2c3d4e5f"
        added = Envelope.new(
            type="catalogue.condition.added",
            data={"condition_id": condition_id, "revision": 1, "specialism_id": world.eye, "name": "Netvliesloslating"},
            producer="catalogue",
        )
        offering = Envelope.new(
            type="catalogue.offering.changed",
            data={
                "institution_id": world.zbc,
                "revision": cat.revisions[world.zbc + ":offering"] + 1,
                "specialism_ids": [world.eye],
                "condition_ids": [world.cataract, world.glaucoma, condition_id],
            },
            producer="catalogue",
        )
        publisher.publish_batch(
            [(offering.type, offering.to_json()), (added.type, added.to_json())]
        )  # out of order on purpose
        path = f"/collections/{world.collection_id}/institutions/{world.zbc}/departments/{world.eye}/conditions"

        def arrived() -> dict | None:
            rows = {c["condition_id"]: c for c in api_a.get(path).json["items"]}
            return rows.get(condition_id)

        row = wait_for(arrived, timeout=20, message="new condition in the collection")
        assert (row["status"], row["is_new"], row["name"]) == ("NOT_CONTRACTED", True, "Netvliesloslating")
    finally:
        stop.set()
        for thread in threads:
            thread.join(timeout=10)
        publisher.close()
