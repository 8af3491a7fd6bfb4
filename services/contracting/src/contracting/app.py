"""``create_app``: the contracting service's HTTP API on the shared chassis."""

from __future__ import annotations

from flask import Flask

from contracting.api import blueprints
from contracting.bootstrap import Runtime, bootstrap, migration_head
from servicekit.app import create_service_app
from servicekit.health import database_check, migrations_check


def create_app(runtime: Runtime | None = None) -> Flask:
    runtime = runtime or bootstrap()
    app = create_service_app(
        runtime.settings,
        title="Contracting service",
        version="1",
        description="Contract years, collections and contract statuses at institution, department and condition level.",
        blueprints=blueprints(),
        readiness=[database_check(runtime.engine), migrations_check(runtime.engine, migration_head())],
    )
    app.extensions["runtime"] = runtime
    return app
