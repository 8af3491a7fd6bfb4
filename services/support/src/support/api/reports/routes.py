"""Routes of the problem reports resource (R14)."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from flask.views import MethodView

from servicekit.api import blueprint, read, read_found, responds
from support import queries
from support.api.common import anyone, current_actor, insurer, maintainer, now, unit_of_work, viewer_insurer
from support.api.reports import schemas
from support.domain import commands
from support.service_layer import reports

blp = blueprint("reports", "/reports", "Meld een probleem (R14): meldingen, reacties en hun status.")


def _report(report_id: str) -> dict[str, Any]:
    return read_found(
        f"Melding {report_id} bestaat niet.", queries.get_report, viewer_insurer(current_actor()), report_id
    )


@blp.route("")
class Reports(MethodView):
    @anyone
    @blp.arguments(schemas.ReportQueryArgsSchema, location="query")
    @blp.response(200, schemas.ReportPageSchema)
    def get(self, args: dict[str, Any]) -> dict[str, Any]:
        """Meldingen, nieuwste eerst: van uw eigen verzekeraar, of (beheerder) alle."""
        return read(
            queries.list_reports,
            viewer_insurer(current_actor()),
            status=args.get("status"),
            page=args["page"],
            page_size=args["page_size"],
        )

    @insurer
    @blp.arguments(schemas.ReportCreateSchema)
    @blp.response(201, schemas.ReportSchema)
    def post(self, data: dict[str, Any]) -> dict[str, Any]:
        """Meld een probleem (R14): naam, e-mailadres en omschrijving; krijgt een nummer en de status Nieuw."""
        report_id = reports.create_report(commands.CreateReport(current_actor(), data, now()), unit_of_work())
        return _report(report_id)


@blp.route("/<uuid:report_id>")
class ReportById(MethodView):
    @anyone
    @blp.response(200, schemas.ReportSchema)
    def get(self, report_id: UUID) -> dict[str, Any]:
        """Eén melding met haar reacties."""
        return _report(str(report_id))


@blp.route("/<uuid:report_id>/comments")
class ReportComments(MethodView):
    @anyone
    @responds(409)
    @blp.arguments(schemas.CommentCreateSchema)
    @blp.response(201, schemas.ReportSchema)
    def post(self, data: dict[str, Any], report_id: UUID) -> dict[str, Any]:
        """Reageer op een melding (R14): de beheerder antwoordt, de melder reageert terug."""
        cmd = commands.CommentOnReport(current_actor(), str(report_id), data["body"], now())
        reports.comment_on_report(cmd, unit_of_work())
        return _report(str(report_id))


@blp.route("/<uuid:report_id>/status")
class ReportStatus(MethodView):
    @anyone
    @responds(409)
    @blp.arguments(schemas.ReportStatusSchema)
    @blp.response(200, schemas.ReportSchema)
    def post(self, data: dict[str, Any], report_id: UUID) -> dict[str, Any]:
        """Zet de status (R14). De beheerder behandelt; de melder kan sluiten of heropenen."""
        cmd = commands.ChangeReportStatus(current_actor(), str(report_id), data["status"], now())
        reports.change_report_status(cmd, unit_of_work())
        return _report(str(report_id))


@blp.route("/<uuid:report_id>/assignee")
class ReportAssignee(MethodView):
    @maintainer
    @responds(409)
    @blp.arguments(schemas.AssigneeSchema)
    @blp.response(200, schemas.ReportSchema)
    def put(self, data: dict[str, Any], report_id: UUID) -> dict[str, Any]:
        """Wijs de melding toe (R14), standaard aan uzelf; een nieuwe melding gaat dan in behandeling."""
        actor = current_actor()
        cmd = commands.AssignReport(actor, str(report_id), data.get("assignee") or actor.user_name, now())
        reports.assign_report(cmd, unit_of_work())
        return _report(str(report_id))
