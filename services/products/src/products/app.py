"""``create_app``: the products service's HTTP API on the shared chassis."""

from __future__ import annotations

from flask import Flask

from products.api import blueprints
from products.bootstrap import Runtime, bootstrap, migration_head
from products.integration.inbound import subscriptions
from servicekit.app import create_runtime_app


def create_app(runtime: Runtime | None = None) -> Flask:
    return create_runtime_app(
        runtime or bootstrap(),
        title="Products service",
        description="Companies and products of insurers, and the link of each product to a contract collection.",
        blueprints=blueprints(),
        migration_head=migration_head(),
        subscriptions=subscriptions,
    )
