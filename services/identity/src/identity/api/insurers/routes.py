"""Insurers: every logged-in caller reads them; platform admins register and rename them."""

from __future__ import annotations

import uuid
from typing import Any

from flask.views import MethodView

from identity import queries
from identity.api.common import actor
from identity.api.insurers.schemas import InsurerCreateSchema, InsurerSchema, InsurerUpdateSchema
from identity.domain.commands import RegisterInsurer, RenameInsurer
from identity.domain.model import PLATFORM_ADMIN
from servicekit.api import blueprint, current_runtime, found, requires, responds

blp = blueprint("insurers", "/insurers", "Insurers (tenants)")


def _insurer(insurer_id: str) -> dict[str, Any]:
    return found(queries.insurer_by_id(current_runtime().engine, insurer_id), "Verzekeraar niet gevonden.")


@blp.route("")
class Insurers(MethodView):
    @requires()
    @blp.response(200, InsurerSchema(many=True))
    def get(self) -> list[dict[str, Any]]:
        """All insurers, by name."""
        actor()
        return queries.insurers(current_runtime().engine)

    @requires(PLATFORM_ADMIN)
    @responds(409)
    @blp.arguments(InsurerCreateSchema)
    @blp.response(201, InsurerSchema)
    def post(self, data: dict[str, Any]) -> dict[str, Any]:
        """Register an insurer (platform admin); publishes ``identity.insurer.registered``."""
        insurer_id = current_runtime().handle(RegisterInsurer(actor=actor(), slug=data["slug"], name=data["name"]))
        return _insurer(insurer_id)


@blp.route("/<uuid:insurer_id>")
class InsurerById(MethodView):
    @requires()
    @blp.response(200, InsurerSchema)
    def get(self, insurer_id: uuid.UUID) -> dict[str, Any]:
        """One insurer."""
        actor()
        return _insurer(str(insurer_id))

    @requires(PLATFORM_ADMIN)
    @responds(409)
    @blp.arguments(InsurerUpdateSchema)
    @blp.response(200, InsurerSchema)
    def patch(self, data: dict[str, Any], insurer_id: uuid.UUID) -> dict[str, Any]:
        """Rename an insurer (platform admin); publishes ``identity.insurer.renamed`` when the name changes."""
        current_runtime().handle(RenameInsurer(actor=actor(), insurer_id=str(insurer_id), name=data["name"]))
        return _insurer(str(insurer_id))
