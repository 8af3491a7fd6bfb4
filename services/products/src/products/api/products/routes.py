"""Products: a basic policy of a company for one year; insurer admins keep their own companies' products."""

from __future__ import annotations

from typing import Any

from flask.views import MethodView

from products import queries
from products.api.common import INSURER_ADMIN, insurer, insurer_actor, insurer_admin, reader
from products.api.products import schemas
from products.domain.commands import AddProduct
from products.service_layer import handlers
from servicekit.api import blueprint, current_runtime, read, responds

blp = blueprint("products", "/products", "Products (basic policies) of companies, per year.")
collections = blueprint("collections", "/collections", "The insurer's collections a product can link to (R13).")


@blp.route("")
class Products(MethodView):
    @reader
    @blp.arguments(schemas.ProductQueryArgsSchema, location="query")
    @blp.response(200, schemas.ProductSchema(many=True))
    def get(self, args: dict[str, Any]) -> Any:
        """Products with their company names and linked collection; filter by year, insurer, company."""
        return read(
            queries.products,
            year=args.get("year"),
            insurer_id=str(args["insurer_id"]) if args.get("insurer_id") else None,
            company_id=str(args["company_id"]) if args.get("company_id") else None,
        )

    @insurer_admin
    @responds(409)
    @blp.arguments(schemas.ProductCreateSchema)
    @blp.response(201, schemas.ProductSchema)
    def post(self, payload: dict[str, Any]) -> Any:
        """Add a product of one of the insurer's own companies (insurer admin)."""
        actor = insurer_actor(INSURER_ADMIN)
        command = AddProduct(
            str(payload["company_id"]), payload["year"], payload["name"], payload["code"], payload["kind"]
        )
        made = handlers.add_product(command, actor, current_runtime().unit_of_work())
        listing = read(queries.products, year=made["year"], company_id=made["company_id"])
        return next(p for p in listing if p["product_id"] == made["product_id"])


@collections.route("")
class Collections(MethodView):
    @insurer
    @collections.response(200, schemas.CollectionSchema(many=True))
    def get(self) -> Any:
        """R13: the insurer's collections of the login year (the choices of "Ziekenhuis collecties")."""
        actor = insurer_actor()
        return read(queries.collections, actor.insurer_id or "", actor.year or 0)
