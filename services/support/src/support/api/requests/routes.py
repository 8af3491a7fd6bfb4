"""Routes of the data change requests resource (R15)."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from flask.views import MethodView

from servicekit.api import blueprint, read, read_found, responds
from support import queries
from support.api.common import anyone, current_actor, insurer, now, today, unit_of_work, viewer_insurer
from support.api.requests import schemas
from support.domain import commands
from support.domain.change_requests import ALL_PROPOSAL_FIELDS
from support.service_layer import requests

blp = blueprint("requests", "/requests", "Data wijzigingsverzoeken (R15) aan de beheerder van de catalogus.")


def _request(request_id: str) -> dict[str, Any]:
    missing = f"Wijzigingsverzoek {request_id} bestaat niet."
    return read_found(missing, queries.get_request, viewer_insurer(current_actor()), request_id, today())


def _proposal(data: dict[str, Any]) -> dict[str, Any]:
    return {name: data[name] for name in ALL_PROPOSAL_FIELDS if name in data}


@blp.route("")
class Requests(MethodView):
    @anyone
    @blp.arguments(schemas.RequestQueryArgsSchema, location="query")
    @blp.response(200, schemas.RequestPageSchema)
    def get(self, args: dict[str, Any]) -> dict[str, Any]:
        """Verzoeken, oudste eerst, met `overdue` voor open verzoeken over hun termijn (R15).

        Een verzekeraar ziet de eigen verzoeken; de beheerder alle.
        """
        return read(
            queries.list_requests,
            viewer_insurer(current_actor()),
            today(),
            status=args.get("status"),
            overdue=args.get("overdue"),
            page=args["page"],
            page_size=args["page_size"],
        )

    @insurer
    @responds(409)
    @blp.arguments(schemas.RequestCreateSchema)
    @blp.response(201, schemas.RequestSchema)
    def post(self, data: dict[str, Any]) -> dict[str, Any]:
        """Dien een data wijzigingsverzoek in (R15).

        - `new_institution` (ziekenhuis of kliniek): `name`, `agb_code`, optioneel `type`, `address`,
          `postcode`, `city`, `email`, `phone`, plus `specialism_id` en `condition_id`;
        - `new_condition` (aandoening of behandeling): `condition_name`, `specialism_id`, `institution_ids` (minstens één);
        - `offering_change` (wijziging in het behandelaanbod): `institution_id` en `add_`/`remove_specialism_ids`, `add_`/`remove_condition_ids`.

        Optioneel `collection_id` + `collection_status`: die status krijgen de nieuwe gegevens in uw collectie.
        Het antwoord komt binnen 5 werkdagen (`due_on`).
        """
        cmd = commands.SubmitChangeRequest(
            actor=current_actor(),
            kind=data["kind"],
            proposal=_proposal(data),
            at=now(),
            requester_name=data.get("requester_name"),
            requester_email=data.get("requester_email"),
            explanation=data.get("explanation"),
            collection_id=str(data["collection_id"]) if data.get("collection_id") else None,
            collection_status=data.get("collection_status"),
        )
        return _request(requests.submit_request(cmd, unit_of_work()))


@blp.route("/<uuid:request_id>")
class RequestById(MethodView):
    @anyone
    @blp.response(200, schemas.RequestSchema)
    def get(self, request_id: UUID) -> dict[str, Any]:
        """Eén verzoek."""
        return _request(str(request_id))

    @anyone
    @responds(409)
    @blp.arguments(schemas.RequestCorrectSchema)
    @blp.response(200, schemas.RequestSchema)
    def patch(self, data: dict[str, Any], request_id: UUID) -> dict[str, Any]:
        """Wijzig de voorgestelde gegevens (R15); alleen de meegestuurde velden veranderen, alles wordt opnieuw gecontroleerd.

        De aanvrager zolang het verzoek is ingediend; de beheerder corrigeert tot het besluit.
        """
        cmd = commands.CorrectChangeRequest(
            current_actor(), str(request_id), _proposal(data), now(), data.get("version")
        )
        requests.correct_request(cmd, unit_of_work())
        return _request(str(request_id))


@blp.route("/<uuid:request_id>/status")
class RequestStatus(MethodView):
    @anyone
    @responds(409)
    @blp.arguments(schemas.RequestStatusSchema)
    @blp.response(200, schemas.RequestSchema)
    def post(self, data: dict[str, Any], request_id: UUID) -> dict[str, Any]:
        """Zet de status (R15): de beheerder `in_review`, `approved` of `rejected` (met `reason`); de aanvrager `withdrawn`.

        Goedkeuren publiceert `support.change_request.approved`: de catalogus neemt de gegevens over (R16).
        """
        cmd = commands.ChangeRequestStatus(
            current_actor(), str(request_id), data["status"], now(), data.get("reason"), data.get("version")
        )
        requests.change_request_status(cmd, unit_of_work())
        return _request(str(request_id))
