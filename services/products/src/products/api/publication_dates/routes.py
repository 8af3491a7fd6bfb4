"""R17: from when an insurer's contract year is published (default 12 November of the year before)."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from flask.views import MethodView
from marshmallow import fields

from products import queries
from products.api.common import INSURER_ADMIN, PLATFORM_ADMIN, reader
from products.domain.commands import SetPublicationDate
from products.domain.model import check_year
from products.service_layer import handlers
from servicekit.api import blueprint, current_runtime, read, requires
from servicekit.auth import require_principal
from servicekit.exceptions import Forbidden
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
        check_year(year)
        return read(queries.publication_dates, str(insurer_id), year)

    @requires(PLATFORM_ADMIN, INSURER_ADMIN)
    @blp.arguments(PublicationDateChangeSchema)
    @blp.response(200, PublicationDateSchema)
    def put(self, payload: dict[str, Any], insurer_id: UUID, year: int) -> Any:
        """Set another publication date for this insurer and year (the platform admin, or the insurer's own admin)."""
        principal = require_principal(PLATFORM_ADMIN, INSURER_ADMIN)
        if PLATFORM_ADMIN not in principal.roles and principal.tenant_id != str(insurer_id):
            raise Forbidden(
                "U kunt alleen de publicatiedatum van uw eigen verzekeraar zetten.", field="insurer_id", rule="R17"
            )
        handlers.set_publication_date(
            SetPublicationDate(str(insurer_id), year, payload["publish_from"]), current_runtime().unit_of_work()
        )
        return read(queries.publication_dates, str(insurer_id), year)
