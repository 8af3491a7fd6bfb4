"""Routes of the specialisms resource."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from flask.views import MethodView

from catalogue import queries
from catalogue.api.common import logged_in, unit_of_work, writer
from catalogue.api.specialisms import schemas
from catalogue.domain import commands
from catalogue.service_layer import handlers
from servicekit.api import blueprint, read, read_found, responds

blp = blueprint("specialisms", "/specialisms", "Specialismen (afdelingen) met hun Vektis-code.")


def _specialism(specialism_id: str) -> dict[str, Any]:
    return read_found(f"Specialisme {specialism_id} bestaat niet.", queries.get_specialism, specialism_id)


@blp.route("")
class Specialisms(MethodView):
    @logged_in
    @blp.arguments(schemas.SpecialismQueryArgsSchema, location="query")
    @blp.response(200, schemas.SpecialismSchema(many=True))
    def get(self, args: dict[str, Any]) -> list[dict[str, Any]]:
        """Alle specialismen op code; vervallen alleen met `include_retired=true`."""
        return read(queries.list_specialisms, args["include_retired"])

    @writer
    @responds(409)
    @blp.arguments(schemas.SpecialismCreateSchema)
    @blp.response(201, schemas.SpecialismSchema)
    def post(self, data: dict[str, Any]) -> dict[str, Any]:
        """Voeg een specialisme toe (code uniek); publiceert `catalogue.specialism.added`."""
        specialism_id = handlers.add_specialism(commands.AddSpecialism(data["code"], data["name"]), unit_of_work())
        return _specialism(specialism_id)


@blp.route("/<uuid:specialism_id>")
class SpecialismById(MethodView):
    @logged_in
    @blp.response(200, schemas.SpecialismSchema)
    def get(self, specialism_id: UUID) -> dict[str, Any]:
        """Eén specialisme."""
        return _specialism(str(specialism_id))

    @writer
    @responds(409)
    @blp.arguments(schemas.SpecialismRenameSchema)
    @blp.response(200, schemas.SpecialismSchema)
    def patch(self, data: dict[str, Any], specialism_id: UUID) -> dict[str, Any]:
        """Hernoem een specialisme (de code blijft); publiceert `catalogue.specialism.renamed`."""
        handlers.rename_specialism(commands.RenameSpecialism(str(specialism_id), data["name"]), unit_of_work())
        return _specialism(str(specialism_id))


@blp.route("/<uuid:specialism_id>/retire")
class SpecialismRetire(MethodView):
    @writer
    @responds(409)
    @blp.response(200, schemas.SpecialismSchema)
    def post(self, specialism_id: UUID) -> dict[str, Any]:
        """Laat een specialisme vervallen, met zijn aandoeningen; ze verdwijnen uit elk aanbod.

        Publiceert `catalogue.condition.retired` per aandoening, `catalogue.specialism.retired` en
        `catalogue.offering.changed` per geraakte instelling.
        """
        handlers.retire_specialism(commands.RetireSpecialism(str(specialism_id)), unit_of_work())
        return _specialism(str(specialism_id))
