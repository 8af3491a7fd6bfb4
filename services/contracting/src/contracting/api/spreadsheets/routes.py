"""Spreadsheets: export a collection (three levels) to CSV or XLSX; import the same format back."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from flask import Response, request, stream_with_context
from flask.views import MethodView
from marshmallow import fields, validate

from contracting.api.common import insurer, insurer_actor
from contracting.service_layer import spreadsheets
from servicekit.api import blueprint, current_runtime, responds
from servicekit.schemas import BaseSchema

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
EXPORTED = {
    "description": "The collection as CSV (`;`, UTF-8 with BOM) or XLSX, as `format` asks.",
    "content": {"text/csv": {"schema": {"type": "string"}}, XLSX: {"schema": {"type": "string", "format": "binary"}}},
}
UPLOAD = {
    "required": True,
    "content": {
        "multipart/form-data": {
            "schema": {
                "type": "object",
                "properties": {"file": {"type": "string", "format": "binary", "description": "CSV (UTF-8) or XLSX"}},
                "required": ["file"],
            }
        }
    },
}

blp = blueprint("spreadsheets", "/collections", "Export and import (CSV, XLSX).")


class ExportArgsSchema(BaseSchema):
    format = fields.String(load_default="csv", validate=validate.OneOf(["csv", "xlsx"]))


class ImportResultSchema(BaseSchema):
    lines = fields.Integer()
    changed = fields.Dict(keys=fields.String(), values=fields.Integer())
    change_id = fields.String()
    count = fields.Integer()
    status_version = fields.Integer()
    errors = fields.List(fields.Dict())


@blp.route("/<uuid:collection_id>/export")
class Export(MethodView):
    @insurer
    @blp.arguments(ExportArgsSchema, location="query")
    @blp.doc(responses={"200": EXPORTED})
    def get(self, args: dict[str, Any], collection_id: UUID) -> Any:
        """The collection's contracting at all three levels as CSV (``;``, UTF-8) or XLSX."""
        actor = insurer_actor()
        session = current_runtime().sessions()
        filename = f"contractering-{collection_id}.{args['format']}"
        headers = {"Content-Disposition": f'attachment; filename="{filename}"'}
        try:
            rows = spreadsheets.export_rows(session, actor, str(collection_id))
            header = next(rows)  # checks access before the response starts
        except BaseException:
            session.close()
            raise
        if args["format"] == "xlsx":
            try:
                body = spreadsheets.to_xlsx(_chain(header, rows))
            finally:
                session.close()
            return Response(
                body,
                mimetype=XLSX,
                headers=headers,
            )

        def generate() -> Any:
            try:
                yield "\ufeff"
                yield from spreadsheets.to_csv(_chain(header, rows))
            finally:
                session.close()

        return Response(stream_with_context(generate()), mimetype="text/csv", headers=headers)


def _chain(first: list[Any], rest: Any) -> Any:
    yield first
    yield from rest


@blp.route("/<uuid:collection_id>/import")
class Import(MethodView):
    @insurer
    @responds(409)
    @blp.doc(requestBody=UPLOAD)
    @blp.response(200, ImportResultSchema)
    def post(self, collection_id: UUID) -> Any:
        """Import a CSV/XLSX in the export's format (multipart ``file``): all lines or none, with a report per line."""
        actor = insurer_actor()
        upload = request.files.get("file")
        content, filename = (upload.read(), upload.filename or "") if upload is not None else (None, "")
        return spreadsheets.import_collection(
            actor, str(collection_id), content, filename, current_runtime().unit_of_work()
        )
