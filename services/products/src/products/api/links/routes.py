"""R13: link each product to one hospital collection of the same insurer and year, as one batch."""

from __future__ import annotations

from typing import Any

from flask.views import MethodView

from products import queries
from products.api.common import insurer, insurer_actor
from products.api.links import schemas
from products.api.products.schemas import ProductSchema
from products.domain.commands import LinkProducts, LinkRow
from products.service_layer import handlers
from servicekit.api import blueprint, current_runtime, read

blp = blueprint("links", "/links", "R13: Koppel producten.")


@blp.route("")
class Links(MethodView):
    @insurer
    @blp.response(200, ProductSchema(many=True))
    def get(self) -> Any:
        """R13: the insurer's products of the login year with their company names and linked collection."""
        actor = insurer_actor()
        return read(queries.products, year=actor.year, insurer_id=actor.insurer_id)

    @insurer
    @blp.arguments(schemas.LinkBatchSchema)
    @blp.response(200, schemas.LinkResultSchema)
    def put(self, payload: dict[str, Any]) -> Any:
        """R13 "Koppel producten": all rows or none; a refusal names every refused row (``rows.<i>.<field>``)."""
        actor = insurer_actor()
        rows = tuple(
            LinkRow(str(r["product_id"]), str(r["collection_id"]) if r["collection_id"] else None)
            for r in payload["rows"]
        )
        return handlers.link_products(LinkProducts(rows), actor, current_runtime().unit_of_work())
