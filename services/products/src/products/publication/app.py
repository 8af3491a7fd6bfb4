"""``create_publication_app``: the public read API (R17) as its own process, on the products database.

The same runtime (database, settings) as the products service, named ``publication`` so that its
routes, health checks and OpenAPI document live under ``/api/publication`` and the gateway can
route (and operations scale) it apart from the purchasing teams' API.
"""

from __future__ import annotations

import dataclasses

from flask import Flask

from products.bootstrap import Runtime, bootstrap, migration_head
from products.publication.routes import blp
from servicekit.app import create_runtime_app

PUBLICATION = "publication"


def create_publication_app(runtime: Runtime | None = None) -> Flask:
    products_runtime = runtime or bootstrap()
    settings = dataclasses.replace(products_runtime.settings, service_name=PUBLICATION)
    return create_runtime_app(
        dataclasses.replace(products_runtime, settings=settings),
        title="Publication API",
        description=(
            "R17: which institutions, departments and conditions are contracted per product and year, for "
            "comparison sites and care finders (read-only, with an API key). IN_NEGOTIATION is left out, remarks "
            "never appear, a year is hidden until the insurer's publication date, and every answer says when "
            "the product's contracting last changed."
        ),
        blueprints=[blp],
        migration_head=migration_head(),
    )
