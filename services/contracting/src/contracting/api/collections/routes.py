"""Collections (R4): list, create, read, rename, delete; the saves of a collection."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from flask.views import MethodView

from contracting import queries
from contracting.api.collections import schemas
from contracting.api.common import insurer, insurer_actor
from contracting.domain.commands import CreateCollection, DeleteCollection, UpdateCollection
from contracting.service_layer import collections as handlers
from servicekit.api import blueprint, current_runtime, read, responds
from servicekit.schemas import PageArgsSchema

blp = blueprint("collections", "/collections", "Contract collections (R4).")


@blp.route("")
class Collections(MethodView):
    @insurer
    @blp.response(200, schemas.CollectionSchema(many=True))
    def get(self) -> Any:
        """The insurer's collections of the login year, each with its counts per status at institution level."""
        return read(queries.list_collections, insurer_actor())

    @insurer
    @responds(409)
    @blp.arguments(schemas.CollectionCreateSchema)
    @blp.response(201, schemas.CollectionSchema)
    def post(self, payload: dict[str, Any]) -> Any:
        """R4: add a collection (name, care type, collection type, description) for the login year."""
        actor = insurer_actor()
        row = handlers.create_collection(CreateCollection(**payload), actor, current_runtime().unit_of_work())
        return read(queries.get_collection_view, actor, str(row["id"]))


@blp.route("/<uuid:collection_id>")
class CollectionById(MethodView):
    @insurer
    @blp.response(200, schemas.CollectionSchema)
    def get(self, collection_id: UUID) -> Any:
        """One collection with its counts per status at each level."""
        return read(queries.get_collection_view, insurer_actor(), str(collection_id))

    @insurer
    @responds(409)
    @blp.arguments(schemas.CollectionUpdateSchema)
    @blp.response(200, schemas.CollectionSchema)
    def patch(self, payload: dict[str, Any], collection_id: UUID) -> Any:
        """Rename a collection or change its description."""
        actor = insurer_actor()
        cmd = UpdateCollection(
            collection_id=str(collection_id),
            name=payload.get("name"),
            description=payload.get("description"),
            expected_version=payload.get("version"),
        )
        handlers.update_collection(cmd, actor, current_runtime().unit_of_work())
        return read(queries.get_collection_view, actor, str(collection_id))

    @insurer
    @responds(409)
    @blp.response(204)
    def delete(self, collection_id: UUID) -> None:
        """Delete a collection; refused (409) while a product links to it."""
        actor = insurer_actor()
        handlers.delete_collection(DeleteCollection(str(collection_id)), actor, current_runtime().unit_of_work())


@blp.route("/<uuid:collection_id>/changes")
class CollectionChanges(MethodView):
    @insurer
    @blp.arguments(PageArgsSchema, location="query")
    @blp.response(200, schemas.ChangePageSchema)
    def get(self, args: dict[str, Any], collection_id: UUID) -> Any:
        """The saves of a collection, newest first: who, when, level, scope and count."""
        return read(queries.changes, insurer_actor(), str(collection_id), args["page"], args["page_size"])
