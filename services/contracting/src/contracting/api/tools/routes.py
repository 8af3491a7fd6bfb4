"""The purchasing teams' tools (issue 15): copy a collection, compare collections (and a year with the last)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any
from uuid import UUID

from flask import Response, jsonify
from flask.views import MethodView

from contracting import queries
from contracting.api.common import insurer, insurer_actor
from contracting.api.spreadsheets.routes import EXPORTED, XLSX
from contracting.api.tools import schemas
from contracting.domain.commands import CopyCollection
from contracting.domain.exceptions import InvalidInput
from contracting.service_layer import collection_tools, consistency, spreadsheets
from servicekit.api import blueprint, current_runtime, read, responds

blp = blueprint("tools", "/collections", "Purchasing tools: copy and compare collections.")
products = blueprint("product_tools", "/products", "Purchasing tools per product: what changed against last year.")


@blp.route("/<uuid:collection_id>/copy")
class Copy(MethodView):
    @insurer
    @responds(409)
    @blp.arguments(schemas.CopyCollectionSchema)
    @blp.response(201, schemas.CopiedCollectionSchema)
    @blp.alt_response(
        202, schema=schemas.CopyJobSchema, description="A large copy: queued as a job (or the running one)."
    )
    def post(self, payload: dict[str, Any], collection_id: UUID) -> Any:
        """ "Kopiëren contracteercollectie" (R4): a new collection of this year with the statuses of this one.

        A source of more status rows than ``COPY_JOB_ROWS`` is copied by a job in the worker: 202 with the
        job, whose progress ``GET .../copy/{job_id}`` shows; a second start while it runs answers with it.
        """
        actor = insurer_actor()
        cmd = CopyCollection(source_collection_id=str(collection_id), **payload)
        runtime = current_runtime()
        kind, answer = collection_tools.start_copy(cmd, actor, runtime.unit_of_work(), runtime.settings.copy_job_rows)
        if kind == "job":
            response = jsonify(schemas.CopyJobSchema().dump(answer))
            response.status_code = 202
            return response
        return read(queries.get_collection_view, actor, str(answer["id"])) | {"copied": answer["copied"]}


@blp.route("/<uuid:collection_id>/copy/<uuid:job_id>")
class CopyJob(MethodView):
    @insurer
    @blp.response(200, schemas.CopyJobSchema)
    def get(self, collection_id: UUID, job_id: UUID) -> Any:
        """A large copy's job: state and progress (rows done of rows total, percent), the new collection when done."""
        return read(collection_tools.copy_job, insurer_actor(), str(collection_id), str(job_id))


def _filters(args: dict[str, Any]) -> dict[str, Any]:
    """A comparison's row filters: the ones given, ids as text."""
    return {k: (str(v) if isinstance(v, UUID) else v) for k, v in args.items() if v is not None}


def _compare(args: dict[str, Any], collection_id: UUID) -> dict[str, Any]:
    actor = insurer_actor()
    other = args.pop("other_collection_id", None)
    return read(
        collection_tools.compare_collections, actor, str(collection_id), str(other) if other else None, _filters(args)
    )


@blp.route("/<uuid:collection_id>/compare")
class Compare(MethodView):
    @insurer
    @blp.arguments(schemas.CompareArgsSchema, location="query")
    @blp.response(200, schemas.ComparisonSchema)
    def get(self, args: dict[str, Any], collection_id: UUID) -> Any:
        """Per level the rows whose status differs from the other collection (or last year's predecessor)."""
        return _compare(args, collection_id)


def _spreadsheet(
    args: dict[str, Any], compare: Callable[[dict[str, Any], UUID], dict[str, Any]], subject: UUID, name: str
) -> Response:
    """A comparison (``compare`` of ``subject`` with the filters of ``args``) in the ``format`` of ``args``."""
    fmt = args.pop("format")
    lines = collection_tools.compare_rows(compare(args, subject))
    headers = {"Content-Disposition": f'attachment; filename="verschillen-{name}.{fmt}"'}
    if fmt == "xlsx":
        return Response(spreadsheets.to_xlsx(iter(lines)), mimetype=XLSX, headers=headers)
    body = "\ufeff" + "".join(spreadsheets.to_csv(iter(lines)))
    return Response(body, mimetype="text/csv", headers=headers)


@blp.route("/<uuid:collection_id>/compare/export")
class CompareExport(MethodView):
    @insurer
    @blp.arguments(schemas.CompareExportArgsSchema, location="query")
    @blp.doc(responses={"200": EXPORTED})
    def get(self, args: dict[str, Any], collection_id: UUID) -> Any:
        """The differences as CSV (``;``, UTF-8 with BOM) or XLSX; a row in one collection only says "geen rij"."""
        return _spreadsheet(args, _compare, collection_id, str(collection_id))


def _compare_product(args: dict[str, Any], product_id: UUID) -> dict[str, Any]:
    return read(collection_tools.compare_product, insurer_actor(), str(product_id), _filters(args))


@products.route("/<uuid:product_id>/compare")
class ProductCompare(MethodView):
    @insurer
    @products.arguments(schemas.ProductCompareArgsSchema, location="query")
    @products.response(200, schemas.ProductComparisonSchema)
    def get(self, args: dict[str, Any], product_id: UUID) -> Any:
        """For a product: the differences of its linked collection of the login year against last year's
        predecessor (what a policy holder's contracted care changed). 404: no collection of the insurer
        linked this year (R13), or no predecessor."""
        return _compare_product(args, product_id)


@products.route("/<uuid:product_id>/compare/export")
class ProductCompareExport(MethodView):
    @insurer
    @products.arguments(schemas.ProductCompareExportArgsSchema, location="query")
    @products.doc(responses={"200": EXPORTED})
    def get(self, args: dict[str, Any], product_id: UUID) -> Any:
        """A product's differences against last year as CSV or XLSX."""
        return _spreadsheet(args, _compare_product, product_id, f"product-{product_id}")


@blp.route("/<uuid:collection_id>/consistency")
class Consistency(MethodView):
    @insurer
    @blp.arguments(schemas.ConsistencyArgsSchema, location="query")
    @blp.response(200, schemas.ConsistencyReportSchema)
    def get(self, args: dict[str, Any], collection_id: UUID) -> Any:
        """The consistency check: each finding with a Dutch explanation and the listing of its rows."""
        return read(
            consistency.check_collection, insurer_actor(), str(collection_id), include_intended=args["include_intended"]
        )


@blp.route("/<uuid:collection_id>/consistency/intended")
class Intended(MethodView):
    @insurer
    @responds(409)
    @blp.arguments(schemas.MarkIntendedSchema)
    @blp.response(201, schemas.IntendedFindingSchema)
    def post(self, payload: dict[str, Any], collection_id: UUID) -> Any:
        """Mark a finding "bewust zo" with a reason: hidden until one of its rows changes again."""
        actor = insurer_actor()
        if not payload["reason"].strip():
            raise InvalidInput("Geef een reden waarom dit bewust zo is.", field="reason")
        subject = payload.get("subject_id")
        return consistency.mark_intended(
            actor,
            str(collection_id),
            payload["kind"],
            str(payload["institution_id"]),
            str(subject) if subject else None,
            payload["reason"],
            current_runtime().unit_of_work(),
        )
