"""``create_app``: the catalogue service's HTTP API on the shared chassis."""

from __future__ import annotations

from flask import Flask

from catalogue.api import blueprints
from catalogue.bootstrap import Runtime, bootstrap, migration_head
from servicekit.app import create_service_app
from servicekit.health import database_check, migrations_check


def create_app(runtime: Runtime | None = None) -> Flask:
    runtime = runtime or bootstrap()
    app = create_service_app(
        runtime.settings,
        title="Catalogue service",
        version="1",
        description="Master data kept by catalogue maintainers: institutions, groups, departments, conditions, offerings.",
        blueprints=blueprints(),
        readiness=[database_check(runtime.engine), migrations_check(runtime.engine, migration_head())],
    )
    app.extensions["runtime"] = runtime
    return app
