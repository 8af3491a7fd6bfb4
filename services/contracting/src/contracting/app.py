"""``create_app``: the contracting service's HTTP API on the shared chassis."""

from __future__ import annotations

from flask import Flask

from contracting.api import blueprints
from contracting.bootstrap import Runtime, bootstrap, migration_head
from contracting.integration.inbound import subscriptions
from servicekit.app import create_runtime_app


def create_app(runtime: Runtime | None = None) -> Flask:
    return create_runtime_app(
        runtime or bootstrap(),
        title="Contracting service",
        description="Contract years, collections and contract statuses at institution, department and condition level.",
        blueprints=blueprints(),
        migration_head=migration_head(),
        subscriptions=subscriptions,
    )
