"""Routes of the groups resource."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from flask.views import MethodView

from catalogue import queries
from catalogue.api.common import logged_in, unit_of_work, writer
from catalogue.api.groups import schemas
from catalogue.domain import commands
from catalogue.service_layer import handlers
from servicekit.api import blueprint, read, read_found, responds

blp = blueprint(
    "groups", "/groups", "Groepen van instellingen, bijvoorbeeld alle locaties van één ziekenhuisorganisatie."
)


def _group(group_id: str) -> dict[str, Any]:
    return read_found(f"Groep {group_id} bestaat niet.", queries.get_group, group_id)


@blp.route("")
class Groups(MethodView):
    @logged_in
    @blp.arguments(schemas.GroupQueryArgsSchema, location="query")
    @blp.response(200, schemas.GroupSchema(many=True))
    def get(self, args: dict[str, Any]) -> list[dict[str, Any]]:
        """Alle groepen op naam, met het aantal open instellingen; filter op deel van de naam.

        Vervallen groepen alleen met `include_retired=true` (na de actieve).
        """
        return read(queries.list_groups, args.get("name"), args["include_retired"])

    @writer
    @responds(409)
    @blp.arguments(schemas.GroupCreateSchema)
    @blp.response(201, schemas.GroupSchema)
    def post(self, data: dict[str, Any]) -> dict[str, Any]:
        """Maak een groep (naam uniek); publiceert `catalogue.group.changed`."""
        group_id = handlers.create_group(commands.CreateGroup(data["name"], data["kind"]), unit_of_work())
        return _group(group_id)


@blp.route("/<uuid:group_id>")
class GroupById(MethodView):
    @logged_in
    @blp.response(200, schemas.GroupSchema)
    def get(self, group_id: UUID) -> dict[str, Any]:
        """Eén groep."""
        return _group(str(group_id))

    @writer
    @responds(409)
    @blp.arguments(schemas.GroupChangeSchema)
    @blp.response(200, schemas.GroupSchema)
    def patch(self, data: dict[str, Any], group_id: UUID) -> dict[str, Any]:
        """Wijzig naam of soort van een groep; publiceert `catalogue.group.changed`."""
        handlers.change_group(
            commands.ChangeGroup(str(group_id), data.get("name"), data.get("kind")),
            unit_of_work(),
        )
        return _group(str(group_id))


@blp.route("/<uuid:group_id>/retire")
class GroupRetire(MethodView):
    @writer
    @responds(409)
    @blp.response(200, schemas.GroupSchema)
    def post(self, group_id: UUID) -> dict[str, Any]:
        """Laat een lege groep vervallen; publiceert `catalogue.group.retired`.

        Geweigerd (409) zolang er open instellingen in de groep zitten: zet die eerst in een andere groep
        of sluit ze. Gesloten instellingen houden hun groep (geschiedenis). Een vervallen groep kan niet
        meer worden gewijzigd of aan een instelling worden gegeven.
        """
        handlers.retire_group(commands.RetireGroup(str(group_id)), unit_of_work())
        return _group(str(group_id))
