"""R17: the public, read-only publication API for comparison sites and care finders (API key).

Served by its own process (``products.publication_wsgi``) under ``/api/publication``, so operations
can scale it apart from the purchasing teams' API. Every answer names when the product's published
contracting last changed; a year is hidden until the insurer's publication date.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Callable, Iterator
from datetime import datetime
from typing import Any
from uuid import UUID

from flask import Response, request, stream_with_context
from flask.views import MethodView

from products.adapters.sql import today
from products.publication import queries, schemas
from products.publication.queries import PublishedProduct
from servicekit.api import blueprint, current_runtime, read, requires, responds
from servicekit.exceptions import InvalidInput, NotFound

blp = blueprint("publication", "", "R17: published contracting per product and year (read-only, API key).")
#: Anyone logged in reads: publication consumers (API key), and users of every kind.
reader = requires()
NOT_PUBLISHED = "Dit product bestaat niet of is (nog) niet gepubliceerd."
FEED_RESPONSE = {
    "description": "One row per institution, department and condition (columns: "
    "level, agb_code, institution_name, institution_type, city, specialism_code, specialism_name, condition_id, "
    "condition_name, status), as NDJSON or as CSV (';', with a header line).",
    "headers": {"ETag": {"schema": {"type": "string"}}, "Last-Modified": {"schema": {"type": "string"}}},
    "content": {"application/x-ndjson": {"schema": {"type": "string"}}, "text/csv": {"schema": {"type": "string"}}},
}


def _product(session: Any, product_id: UUID) -> PublishedProduct:
    found = queries.product_by_id(session, str(product_id), today())
    if found is None:
        raise NotFound(NOT_PUBLISHED, field="product_id", rule="R17")
    return found


def _agb(agb_code: str) -> str:
    if not (len(agb_code) == 8 and agb_code.isdigit()):
        raise InvalidInput("Een AGB-code bestaat uit precies 8 cijfers.", field="agb_code")
    return agb_code


def _head(found: PublishedProduct, changed_at: datetime | None) -> dict[str, Any]:
    """The head of every answer about one product: the product, and when its published contracting last changed."""
    return {"product": found.view(changed_at), "last_changed_at": changed_at}


def _institutions(session: Any, found: PublishedProduct, args: dict[str, Any]) -> dict[str, Any]:
    """The page of the product's contracted institutions that match the filter."""
    wanted = queries.InstitutionFilter(
        type=args.get("type"),
        agb_code=args.get("agb_code"),
        specialism_code=args.get("specialism"),
        condition_id=str(args["condition_id"]) if args.get("condition_id") else None,
    )
    total, items = queries.contracted_institutions(
        session, found.collection_id, wanted, args["page"], args["page_size"]
    )
    return {
        "total": total,
        "page": args["page"],
        "page_size": args["page_size"],
        "items": items,
    }


def _changes(session: Any, found: PublishedProduct, args: dict[str, Any]) -> dict[str, Any]:
    """The product's change feed after cursor ``since``."""
    cursor, more, changes = queries.changes_since(session, found.collection_id, args["since"], args["limit"])
    return {
        "cursor": cursor,
        "more": more,
        "changes": changes,
    }


Part = Callable[[Any, PublishedProduct, dict[str, Any]], dict[str, Any]]


def _answer(session: Any, found: PublishedProduct, part: Part, args: dict[str, Any]) -> dict[str, Any]:
    """An answer about one published product: its head, then ``part`` of it."""
    return _head(found, queries.last_changed(session, found.collection_id)[0]) | part(session, found, args)


def _answer_by_id(session: Any, product_id: UUID, part: Part, args: dict[str, Any]) -> dict[str, Any]:
    """:func:`_answer` about the product ``product_id`` (404 when it does not exist or is not published)."""
    return _answer(session, _product(session, product_id), part, args)


@blp.route("/products")
class PublishedProducts(MethodView):
    @reader
    @blp.arguments(schemas.ProductQueryArgsSchema, location="query")
    @blp.response(200, schemas.PublishedProductSchema(many=True))
    def get(self, args: dict[str, Any]) -> Any:
        """Published products (of a year, of a company by UZOVI code), each with its last-changed date."""
        with current_runtime().sessions() as session:
            found = queries.published_products(
                session, today(), year=args.get("year"), uzovi_code=args.get("uzovi_code")
            )
            return [p.view(queries.last_changed(session, p.collection_id)[0]) for p in found]


@blp.route("/products/<uuid:product_id>/institutions")
class ProductInstitutions(MethodView):
    @reader
    @blp.arguments(schemas.InstitutionQueryArgsSchema, location="query")
    @blp.response(200, schemas.InstitutionPageSchema)
    def get(self, args: dict[str, Any], product_id: UUID) -> Any:
        """R17: the product's contracted institutions (FULL, PARTIAL), with departments and conditions and their status."""
        return read(_answer_by_id, product_id, _institutions, args)


@blp.route("/companies/<string:uzovi_code>/products/<string:code>/years/<int:year>/institutions")
class ProductInstitutionsByCode(MethodView):
    @reader
    @blp.arguments(schemas.InstitutionQueryArgsSchema, location="query")
    @blp.response(200, schemas.InstitutionPageSchema)
    def get(self, args: dict[str, Any], uzovi_code: str, code: str, year: int) -> Any:
        """R17: as by product id, naming the product by its company's UZOVI code, its product code and year."""
        if not (len(uzovi_code) == 4 and uzovi_code.isdigit()):
            raise InvalidInput("Een UZOVI-code bestaat uit precies 4 cijfers.", field="uzovi_code")
        with current_runtime().sessions() as session:
            found = queries.product_by_code(session, uzovi_code, code, year, today())
            if found is None:
                raise NotFound(NOT_PUBLISHED, field="code", rule="R17")
            return _answer(session, found, _institutions, args)


@blp.route("/products/<uuid:product_id>/institutions/<string:agb_code>")
class Lookup(MethodView):
    @reader
    @blp.arguments(schemas.LookupArgsSchema, location="query")
    @blp.response(200, schemas.LookupSchema)
    def get(self, args: dict[str, Any], product_id: UUID, agb_code: str) -> Any:
        """Is institution X (for condition C) contracted under product P? ``published: false`` when nothing is."""
        condition_id = str(args["condition_id"]) if args.get("condition_id") else None
        with current_runtime().sessions() as session:
            found, answer, changed_at = queries.lookup_in_one_query(
                session, str(product_id), _agb(agb_code), condition_id, today()
            )
        if found is None:
            raise NotFound(NOT_PUBLISHED, field="product_id", rule="R17")
        return answer | _head(found, changed_at)


@blp.route("/institutions/<string:agb_code>/products")
class ProductsOfInstitution(MethodView):
    @reader
    @blp.arguments(schemas.ProductsOfInstitutionArgsSchema, location="query")
    @blp.response(200, schemas.PublishedProductSchema(many=True))
    def get(self, args: dict[str, Any], agb_code: str) -> Any:
        """Which published products of the year contract institution X (for condition C, when given)."""
        condition_id = str(args["condition_id"]) if args.get("condition_id") else None
        return read(queries.products_contracting, _agb(agb_code), args["year"], condition_id, today())


def _ndjson(rows: Iterator[dict[str, Any]]) -> Iterator[str]:
    for row in rows:
        yield json.dumps(row, ensure_ascii=False) + "\n"


def _csv(rows: Iterator[dict[str, Any]]) -> Iterator[str]:
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=queries.FEED_COLUMNS, delimiter=";")
    writer.writeheader()
    for n, row in enumerate(rows, 1):
        writer.writerow(row)
        if n % 500 == 0:
            yield buffer.getvalue()
            buffer.seek(0)
            buffer.truncate()
    yield buffer.getvalue()


def _stream(collection_id: str, fmt: str) -> Iterator[str]:
    with current_runtime().sessions() as session:
        rows = queries.feed_rows(session, collection_id)
        yield from (_csv(rows) if fmt == "csv" else _ndjson(rows))


@blp.route("/products/<uuid:product_id>/feed")
class Feed(MethodView):
    @reader
    @responds(304)
    @blp.arguments(schemas.FeedArgsSchema, location="query")
    @blp.doc(responses={"200": FEED_RESPONSE})
    def get(self, args: dict[str, Any], product_id: UUID) -> Any:
        """The product's whole published year, one row per institution, department and condition (NDJSON or CSV).

        Sends an ``ETag``; with ``If-None-Match`` and nothing changed the answer is 304 without a body.
        """
        fmt = args["format"]
        with current_runtime().sessions() as session:
            found = _product(session, product_id)
            changed_at, position = queries.last_changed(session, found.collection_id)
        etag = f'"{found.id}.{found.collection_id}.{position}.{fmt}"'
        headers = {"ETag": etag, "Cache-Control": "no-cache"}
        if changed_at is not None:
            headers["Last-Modified"] = changed_at.strftime("%a, %d %b %Y %H:%M:%S GMT")
        if etag in [tag.strip() for tag in request.headers.get("If-None-Match", "").split(",")]:
            return Response(status=304, headers=headers)
        mimetype = "text/csv" if fmt == "csv" else "application/x-ndjson"
        body = _stream(found.collection_id, fmt) if found.collection_id else iter(())
        return Response(stream_with_context(body), mimetype=mimetype, headers=headers)


@blp.route("/products/<uuid:product_id>/changes")
class Changes(MethodView):
    @reader
    @blp.arguments(schemas.ChangesArgsSchema, location="query")
    @blp.response(200, schemas.ChangesSchema)
    def get(self, args: dict[str, Any], product_id: UUID) -> Any:
        """What changed since cursor N: each institution whose published state changed, as it is now."""
        return read(_answer_by_id, product_id, _changes, args)
