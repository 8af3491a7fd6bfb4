"""``create_app``: the support service's HTTP API on the shared chassis."""

from __future__ import annotations

from flask import Flask

from servicekit.app import create_service_app
from servicekit.health import database_check, migrations_check
from support.api import blueprints
from support.bootstrap import Runtime, bootstrap, migration_head


def create_app(runtime: Runtime | None = None) -> Flask:
    runtime = runtime or bootstrap()
    app = create_service_app(
        runtime.settings,
        title="Support service",
        version="1",
        description="Problem reports and data change requests, handled by the catalogue maintainers.",
        blueprints=blueprints(),
        readiness=[database_check(runtime.engine), migrations_check(runtime.engine, migration_head())],
    )
    app.extensions["runtime"] = runtime
    return app
