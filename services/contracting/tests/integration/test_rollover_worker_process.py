"""Issue 16.3: the rollover runs in the consumer process (``python -m contracting.consumer``), not in the API."""

from __future__ import annotations

import os
import subprocess
import sys
from typing import Any

import pytest

from conftest import Api, World
from contracting.integration.inbound import subscriptions
from servicekit.runtime import declare_topology

pytestmark = pytest.mark.usefixtures("purged_queues")  # a failure leaves no events for the next test


@pytest.mark.no_rollover_worker
def test_r3_the_consumer_process_runs_a_job_the_api_queued(
    settings: Any, runtime: Any, admin_a: Api, world: World, wait_for: Any
) -> None:
    declare_topology(settings, subscriptions())  # the consumer process expects its queues (the migrate step)
    queued = admin_a.post("/rollovers", json={"from_year": 2026})
    assert queued.status_code == 202 and queued.json["state"] == "queued"
    env = os.environ | {
        "CONTRACTING_DATABASE_URL": settings.database_url,
        "AMQP_URL": settings.messaging.amqp_url,
        "EVENT_EXCHANGE": settings.messaging.exchange,
        "QUEUE_PREFIX": settings.messaging.queue_prefix,
        "ROLLOVER_POLL_SECONDS": "0.1",
        "LOG_FORMAT": "text",
    }
    worker = subprocess.Popen(
        [sys.executable, "-m", "contracting.consumer"], env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE
    )
    try:
        job = wait_for(
            lambda: (r := admin_a.get(f"/rollovers/{queued.json['job_id']}").json)["state"] in ("done", "failed") and r,
            timeout=60,
            message="the consumer process ran the rollover",
        )
        assert job["state"] == "done" and job["collections_copied"] == 1, job
    finally:
        worker.terminate()
        try:
            worker.wait(timeout=20)
        except subprocess.TimeoutExpired:
            worker.kill()
            worker.wait()
