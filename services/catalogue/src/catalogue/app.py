"""``create_app``: the catalogue service's HTTP API on the shared chassis."""

from __future__ import annotations

from flask import Flask

from catalogue.api import blueprints
from catalogue.bootstrap import Runtime, bootstrap, migration_head
from catalogue.integration.inbound import subscriptions
from servicekit.app import create_runtime_app


def create_app(runtime: Runtime | None = None) -> Flask:
    return create_runtime_app(
        runtime or bootstrap(),
        title="Catalogue service",
        description="Master data kept by catalogue maintainers: institutions, groups, departments, conditions, offerings.",
        blueprints=blueprints(),
        migration_head=migration_head(),
        subscriptions=subscriptions,
    )
