"""Composition root: engine, sessions, unit of work, subscriptions. Nothing connects at import."""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from pathlib import Path

from contracting.config import Settings
from contracting.integration.inbound import subscriptions
from contracting.integration.outbound import integration_events
from servicekit.migrations import migration_head as _migration_head
from servicekit.runtime_state import ServiceRuntime

SERVICE_ROOT = Path(__file__).resolve().parents[2]

log = logging.getLogger(__name__)


def migration_head() -> str:
    return _migration_head(SERVICE_ROOT)


class Runtime(ServiceRuntime[Settings]):
    def background_workers(self) -> list[Callable[[threading.Event], None]]:
        """Work the consumer process (and ``make run``) runs beside the consumers: the rollover jobs (R3)."""
        return [self.run_rollovers]

    def run_rollovers(self, stop: threading.Event, poll_seconds: float | None = None) -> None:
        """Run queued rollover jobs as they come, and fail those whose runner died; never in the API."""
        from contracting.service_layer.rollover import run_queued_rollovers

        while not stop.is_set():
            try:
                run_queued_rollovers(self.unit_of_work, self.engine)
            except Exception:  # the database may be away: try again next time, never kill the process
                log.exception("rollover worker pass failed")
            stop.wait(poll_seconds or self.settings.rollover_poll_seconds)


def bootstrap(settings: Settings | None = None) -> Runtime:
    runtime = Runtime.build(settings or Settings.from_env(), subscriptions(), integration_events)
    assert isinstance(runtime, Runtime)
    return runtime
