"""R17: from when an insurer's contract year is published (default 12 November of the year before)."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from flask.views import MethodView
from marshmallow import fields

from products import queries
from products.api.common import platform_admin, reader
from products.domain.commands import SetPublicationDate
from products.service_layer import handlers
from servicekit.api import blueprint, current_runtime
from servicekit.schemas import BaseSchema

blp = blueprint("publication_dates", "/publication-dates", "R17: publication dates per insurer and year.")


class PublicationDateChangeSchema(BaseSchema):
    publish_from = fields.Date(required=True, metadata={"description": "First day the year is published"})


class PublicationDateSchema(BaseSchema):
    insurer_id = fields.String()
    year = fields.Integer()
    publish_from = fields.Date()
    is_default = fields.Boolean()


@blp.route("/<uuid:insurer_id>/<int:year>")
class PublicationDate(MethodView):
    @reader
    @blp.response(200, PublicationDateSchema)
    def get(self, insurer_id: UUID, year: int) -> Any:
        """From when this insurer's year is published."""
        with current_runtime().sessions() as session:
            return queries.publication_dates(session, str(insurer_id), year)

    @platform_admin
    @blp.arguments(PublicationDateChangeSchema)
    @blp.response(200, PublicationDateSchema)
    def put(self, payload: dict[str, Any], insurer_id: UUID, year: int) -> Any:
        """Set another publication date for this insurer and year (platform admin)."""
        handlers.set_publication_date(
            SetPublicationDate(str(insurer_id), year, payload["publish_from"]), current_runtime().unit_of_work()
        )
        with current_runtime().sessions() as session:
            return queries.publication_dates(session, str(insurer_id), year)
