"""Routes of the conditions resource."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from flask.views import MethodView

from catalogue import queries
from catalogue.api.common import logged_in, unit_of_work, writer
from catalogue.api.conditions import schemas
from catalogue.domain import commands
from catalogue.service_layer import handlers
from servicekit.api import blueprint, read, read_found, responds

blp = blueprint("conditions", "/conditions", "Aandoeningen en behandelingen, elk onder één specialisme.")


def _condition(condition_id: str) -> dict[str, Any]:
    return read_found(f"Aandoening {condition_id} bestaat niet.", queries.get_condition, condition_id)


@blp.route("")
class Conditions(MethodView):
    @logged_in
    @blp.arguments(schemas.ConditionQueryArgsSchema, location="query")
    @blp.response(200, schemas.ConditionSchema(many=True))
    def get(self, args: dict[str, Any]) -> list[dict[str, Any]]:
        """Aandoeningen op naam; filter op specialisme en deel van de naam."""
        specialism_id = str(args["specialism_id"]) if args.get("specialism_id") else None
        return read(queries.list_conditions, specialism_id, args.get("name"), args["include_retired"])

    @writer
    @responds(409)
    @blp.arguments(schemas.ConditionCreateSchema)
    @blp.response(201, schemas.ConditionSchema)
    def post(self, data: dict[str, Any]) -> dict[str, Any]:
        """Voeg een aandoening toe onder een specialisme (naam uniek binnen het specialisme); publiceert `catalogue.condition.added`."""
        cmd = commands.AddCondition(str(data["specialism_id"]), data["name"])
        return _condition(handlers.add_condition(cmd, unit_of_work()))


@blp.route("/<uuid:condition_id>")
class ConditionById(MethodView):
    @logged_in
    @blp.response(200, schemas.ConditionSchema)
    def get(self, condition_id: UUID) -> dict[str, Any]:
        """Eén aandoening."""
        return _condition(str(condition_id))

    @writer
    @responds(409)
    @blp.arguments(schemas.ConditionRenameSchema)
    @blp.response(200, schemas.ConditionSchema)
    def patch(self, data: dict[str, Any], condition_id: UUID) -> dict[str, Any]:
        """Hernoem een aandoening; publiceert `catalogue.condition.renamed`."""
        handlers.rename_condition(commands.RenameCondition(str(condition_id), data["name"]), unit_of_work())
        return _condition(str(condition_id))


@blp.route("/<uuid:condition_id>/retire")
class ConditionRetire(MethodView):
    @writer
    @responds(409)
    @blp.response(200, schemas.ConditionSchema)
    def post(self, condition_id: UUID) -> dict[str, Any]:
        """Laat een aandoening vervallen; ze verdwijnt uit elk aanbod.

        Publiceert `catalogue.condition.retired` en `catalogue.offering.changed` per geraakte instelling.
        """
        handlers.retire_condition(commands.RetireCondition(str(condition_id)), unit_of_work())
        return _condition(str(condition_id))
