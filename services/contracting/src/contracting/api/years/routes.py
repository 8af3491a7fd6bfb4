"""Contract years (closing makes them read-only), the year rollover job (R3), reference lists."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from flask.views import MethodView

from contracting import queries
from contracting.api.common import INSURER_ROLES, ROLLOVER_ROLES
from contracting.api.years import schemas
from contracting.domain.commands import StartRollover
from contracting.domain.model import ALLOWED, CARE_TYPES, COLLECTION_TYPES, INSTITUTION_TYPES, STATUS_LABELS, Status
from contracting.service_layer import collections as collection_handlers
from contracting.service_layer import rollover as rollover_handlers
from servicekit.api import abort, blueprint, current_runtime, read, requires, responds
from servicekit.auth import require_principal

blp = blueprint("years", "", "Contract years and the yearly rollover (R3).")


def _insurer_for(args_insurer: UUID | None, *roles: str) -> tuple[str, Any]:
    """The insurer acted on: a platform admin names one; an insurer works on its own only."""
    principal = require_principal(*roles)
    if "platform_admin" in principal.roles:
        if not args_insurer:
            abort(422, message="Kies een verzekeraar.", errors={"insurer_id": ["verplicht voor een platformbeheerder"]})
        return str(args_insurer), principal
    if not principal.tenant_id:
        abort(403, message="U heeft geen rechten voor deze handeling.")
    if args_insurer and str(args_insurer) != principal.tenant_id:
        abort(
            403, message="U kunt alleen uw eigen verzekeraar beheren.", errors={"insurer_id": ["Niet uw verzekeraar."]}
        )
    return str(principal.tenant_id), principal


@blp.route("/years")
class Years(MethodView):
    @requires(*INSURER_ROLES, "platform_admin")
    @blp.arguments(schemas.YearArgsSchema, location="query")
    @blp.response(200, schemas.YearSchema(many=True))
    def get(self, args: dict[str, Any]) -> Any:
        """The insurer's contract years: open or closed, with their number of collections."""
        insurer_id, _ = _insurer_for(args.get("insurer_id"), *INSURER_ROLES, "platform_admin")
        return read(queries.list_years, insurer_id)


@blp.route("/years/<int:year>/close")
class YearClose(MethodView):
    @requires(*ROLLOVER_ROLES)
    @responds(409)
    @blp.arguments(schemas.YearArgsSchema, location="query")
    @blp.response(200, schemas.YearSchema)
    def post(self, args: dict[str, Any], year: int) -> Any:
        """Close a contract year: it becomes read-only and stays as history (insurer admin or platform admin)."""
        insurer_id, principal = _insurer_for(args.get("insurer_id"), *ROLLOVER_ROLES)
        collection_handlers.close_year(
            insurer_id, year, principal.username or principal.subject, current_runtime().unit_of_work()
        )
        return next(y for y in read(queries.list_years, insurer_id) if y["year"] == year)


@blp.route("/rollovers")
class Rollovers(MethodView):
    @requires(*ROLLOVER_ROLES)
    @responds(409)
    @blp.arguments(schemas.RolloverCreateSchema)
    @blp.response(202, schemas.RolloverJobSchema)
    def post(self, payload: dict[str, Any]) -> Any:
        """R3: open year+1 pre-filled from the year (collections, statuses at 3 levels, remarks); a job, poll it.

        A worker runs the job. Starting it again while it is queued or running answers with that job.
        """
        principal = require_principal(*ROLLOVER_ROLES)
        if "platform_admin" in principal.roles:
            insurer_id = str(payload["insurer_id"]) if payload.get("insurer_id") else None
        else:
            if payload.get("insurer_id") and str(payload["insurer_id"]) != principal.tenant_id:
                abort(
                    403,
                    message="U kunt alleen uw eigen verzekeraar naar het nieuwe jaar overzetten.",
                    errors={"insurer_id": ["Niet uw verzekeraar."]},
                )
            insurer_id = principal.tenant_id
        from_year = payload.get("from_year") or principal.contract_year
        if not from_year:
            abort(422, message="Geef het jaar op waarvan u uitgaat.", errors={"from_year": ["R3: verplicht"]})
        cmd = StartRollover(
            from_year=int(from_year), insurer_id=insurer_id, requested_by=principal.username or principal.subject
        )
        return rollover_handlers.start_rollover(cmd, current_runtime().unit_of_work())


@blp.route("/rollovers/<uuid:job_id>")
class RolloverById(MethodView):
    @requires(*ROLLOVER_ROLES)
    @blp.response(200, schemas.RolloverJobSchema)
    def get(self, job_id: UUID) -> Any:
        """R3: a rollover job's state and progress (rows done of rows total, percent). Reads only.

        A job whose worker died is marked failed by the next worker pass (nothing was written), so it
        can be started again.
        """
        principal = require_principal(*ROLLOVER_ROLES)
        scope = None if "platform_admin" in principal.roles else principal.tenant_id
        if scope is None and "platform_admin" not in principal.roles:
            abort(403, message="U heeft geen rechten voor deze handeling.")
        return read(queries.get_job, str(job_id), scope)


@blp.route("/reference-lists")
class ReferenceLists(MethodView):
    @requires()
    @blp.response(200, schemas.ReferenceListsSchema)
    def get(self) -> Any:
        """The maintained lists: collection types, care types, statuses (with the levels they exist at), institution types."""
        return {
            "collection_types": COLLECTION_TYPES,
            "care_types": CARE_TYPES,
            "statuses": [
                {
                    "code": s.value,
                    "label": STATUS_LABELS[s],
                    "levels": [lv.value for lv, allowed in ALLOWED.items() if s in allowed],
                }
                for s in Status
            ],
            "institution_types": list(INSTITUTION_TYPES),
        }
