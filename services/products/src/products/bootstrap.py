"""Composition root: engine, sessions, unit of work, subscriptions. Nothing connects at import."""

from __future__ import annotations

from pathlib import Path

from products.config import Settings
from products.integration.inbound import subscriptions
from products.integration.outbound import integration_events
from servicekit.migrations import migration_head as _migration_head
from servicekit.runtime_state import ServiceRuntime

SERVICE_ROOT = Path(__file__).resolve().parents[2]

Runtime = ServiceRuntime[Settings]


def migration_head() -> str:
    return _migration_head(SERVICE_ROOT)


def bootstrap(settings: Settings | None = None) -> Runtime:
    return ServiceRuntime.build(settings or Settings.from_env(), subscriptions(), integration_events)
