"""``create_app``: the support service's HTTP API on the shared chassis."""

from __future__ import annotations

from flask import Flask

from servicekit.app import create_runtime_app
from support.api import blueprints
from support.bootstrap import Runtime, bootstrap, migration_head
from support.integration.inbound import subscriptions


def create_app(runtime: Runtime | None = None) -> Flask:
    return create_runtime_app(
        runtime or bootstrap(),
        title="Support service",
        description="Problem reports and data change requests, handled by the catalogue maintainers.",
        blueprints=blueprints(),
        migration_head=migration_head(),
        subscriptions=subscriptions,
    )
