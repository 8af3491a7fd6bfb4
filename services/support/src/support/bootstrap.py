"""Composition root: engine, sessions, unit of work, subscriptions, the mail sender. Nothing connects at import."""

from __future__ import annotations

import threading
from collections.abc import Callable
from pathlib import Path

from servicekit.migrations import migration_head as _migration_head
from servicekit.runtime_state import ServiceRuntime
from support.config import Settings
from support.integration.inbound import subscriptions
from support.integration.outbound import integration_events
from support.service_layer.mail import mail_worker

SERVICE_ROOT = Path(__file__).resolve().parents[2]


def migration_head() -> str:
    return _migration_head(SERVICE_ROOT)


class Runtime(ServiceRuntime[Settings]):
    def background_workers(self) -> list[Callable[[threading.Event], None]]:
        """The mail sender, when an SMTP server is configured (run by the consumer process)."""
        settings = self.settings
        if not settings.smtp_url:
            return []
        return [mail_worker(self.sessions, settings.smtp_url, settings.mail_from, settings.mail_poll_interval)]


def bootstrap(settings: Settings | None = None) -> Runtime:
    runtime = Runtime.build(settings or Settings.from_env(), subscriptions(), integration_events)
    assert isinstance(runtime, Runtime)
    return runtime
