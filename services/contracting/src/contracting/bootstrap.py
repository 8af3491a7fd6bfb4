"""Composition root: engine, sessions, unit of work, subscriptions. Nothing connects at import."""

from __future__ import annotations

import threading
from pathlib import Path

from contracting.config import Settings
from contracting.integration.inbound import subscriptions
from contracting.integration.outbound import integration_events
from servicekit.migrations import migration_head as _migration_head
from servicekit.runtime_state import ServiceRuntime

SERVICE_ROOT = Path(__file__).resolve().parents[2]


def migration_head() -> str:
    return _migration_head(SERVICE_ROOT)


class Runtime(ServiceRuntime[Settings]):
    def run_rollover_in_background(self, job_id: str) -> threading.Thread:
        """Run a queued rollover job (R3) in a thread of this process; its progress is readable meanwhile."""
        from contracting.service_layer.rollover import run_rollover, runner_thread_name

        thread = threading.Thread(
            target=run_rollover,
            args=(job_id, self.unit_of_work, self.engine),
            name=runner_thread_name(job_id),
            daemon=True,
        )
        thread.start()
        return thread


def bootstrap(settings: Settings | None = None) -> Runtime:
    runtime = Runtime.build(settings or Settings.from_env(), subscriptions(), integration_events)
    assert isinstance(runtime, Runtime)
    return runtime
