"""Statuses at institution, department and condition level (R5-R12), and the history.

Routes translate only: query/body -> command -> handler; domain exceptions -> common error body.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any
from uuid import UUID

from flask import request
from flask.views import MethodView

from contracting import queries
from contracting.api.common import insurer, insurer_actor
from contracting.api.statuses import schemas
from contracting.domain import commands
from contracting.domain.model import Level, Status
from contracting.service_layer import statuses as handlers
from servicekit.api import abort, blueprint, current_runtime, read, responds

blp = blueprint(
    "statuses",
    "/collections",
    description="Contract statuses and remarks at three levels (R5-R11), with history.",
)
across = blueprint("institutions", "/institutions", "One institution across collections (R12).")

IF_MATCH = {
    "in": "header",
    "name": "If-Match",
    "required": True,
    "description": "R5: the listing's `status_version` the rows were shown at (428 without it, 412 when stale).",
    "schema": {"type": "string", "pattern": '^(W/)?"?[0-9]{1,9}"?$'},
}

INSTITUTIONS = "/<uuid:collection_id>/institutions"
DEPARTMENTS = INSTITUTIONS + "/<uuid:institution_id>/departments"
CONDITIONS = DEPARTMENTS + "/<uuid:specialism_id>/conditions"


def _institution_filter(args: dict[str, Any]) -> commands.InstitutionFilter:
    return commands.InstitutionFilter(
        group_id=str(args["group_id"]) if args.get("group_id") else None,
        name=args.get("name"),
        type=args.get("type"),
        agb_code=args.get("agb_code"),
        status=Status(args["status"]) if args.get("status") else None,
        is_new=args.get("is_new"),
        foreign=args.get("foreign"),
    )


def _sub_filter(args: dict[str, Any]) -> commands.SubFilter:
    return commands.SubFilter(
        name=args.get("name"), status=Status(args["status"]) if args.get("status") else None, is_new=args.get("is_new")
    )


def _edit(row: dict[str, Any]) -> dict[str, Any]:
    """A saved row's status, version read and remark: the fields every row change carries."""
    return {
        "status": Status(row["status"]),
        "version": row["version"],
        "remark": row.get("remark"),
        "remark_given": "remark" in row,
    }


def _rows(rows: list[dict[str, Any]], key: str) -> tuple[commands.RowChange, ...]:
    return tuple(commands.RowChange(key=str(r[key]), **_edit(r)) for r in rows)


# A strong or weak ETag (``"7"``, ``W/"7"``) or the bare number: all name the same status_version.
_ETAG = re.compile(r'^(?:W/)?"?([0-9]{1,9})"?$')


def _if_match() -> int | None:
    raw = request.headers.get("If-Match")
    if raw is None:
        return None
    match = _ETAG.match(raw.strip())
    if not match:
        abort(
            422,
            message="If-Match moet de status_version van de collectie zijn.",
            errors={"If-Match": ["R5: geen getal"]},
        )
    return int(match.group(1))


def _target(
    level: Level, collection_id: UUID, institution_id: UUID | None = None, specialism_id: UUID | None = None
) -> commands.Target:
    return commands.Target(
        collection_id=str(collection_id),
        level=level,
        institution_id=str(institution_id) if institution_id else None,
        specialism_id=str(specialism_id) if specialism_id else None,
    )


def _with_collection(result: dict[str, Any], collection_id: UUID) -> dict[str, Any]:
    return {"collection_id": str(collection_id)} | result


def _listing(
    query: Callable[..., Any],
    target: commands.Target,
    row_filter: Callable[[dict[str, Any]], Any],
    args: dict[str, Any],
) -> Any:
    """One page of a level's rows (``queries.list_*``), filtered by ``args``, as the caller may see them."""
    return read(query, insurer_actor(), target, row_filter(args), args["page"], args["page_size"])


def _save(target: commands.Target, payload: dict[str, Any], key: str, dry_run: bool = False) -> Any:
    """R6: the batch save of the payload's rows (named by their ``key``) at ``target``, or its preview."""
    cmd = commands.SaveRows(target, _rows(payload["rows"], key), payload.get("cascade", False))
    result = handlers.save_rows(cmd, insurer_actor(), current_runtime().unit_of_work(), dry_run=dry_run)
    return _with_collection(result, UUID(target.collection_id))


def _apply(target: commands.Target, payload: dict[str, Any], row_filter: Callable[[dict[str, Any]], Any]) -> Any:
    """R5/R9/R10: the payload's status for every row its filter shows, at the ``status_version`` of If-Match."""
    actor = insurer_actor()
    status, shown = Status(payload["status"]), row_filter(payload["filter"])
    cmd = commands.ApplyToShown(target, status, shown, payload.get("cascade", False), _if_match())
    result = handlers.apply_to_shown(cmd, actor, current_runtime().unit_of_work())
    return _with_collection(result, UUID(target.collection_id))


@blp.route(INSTITUTIONS)
class Institutions(MethodView):
    @insurer
    @blp.arguments(schemas.InstitutionQueryArgsSchema, location="query")
    @blp.response(200, schemas.InstitutionPageSchema)
    def get(self, args: dict[str, Any], collection_id: UUID) -> Any:
        """R8: the collection's institutions, filtered (group, name part, type, AGB code, status, new, foreign), paginated, with counts."""
        target = _target(Level.INSTITUTION, collection_id)
        return _listing(queries.list_institutions, target, _institution_filter, args)

    @insurer
    @responds(409)
    @blp.arguments(schemas.InstitutionSaveSchema)
    @blp.arguments(schemas.DryRunArgsSchema, location="query")
    @blp.response(200, schemas.SaveResultSchema)
    def patch(self, payload: dict[str, Any], args: dict[str, Any], collection_id: UUID) -> Any:
        """R6: save a batch of institution rows (status, remark, version read); only this level unless cascade (R7).

        With ``?dry_run=true`` nothing is written: the answer counts what the save would change (R7 preview).
        """
        target = _target(Level.INSTITUTION, collection_id)
        return _save(target, payload, "institution_id", args["dry_run"])


@blp.route(INSTITUTIONS + "/apply-to-shown")
class InstitutionsApply(MethodView):
    @insurer
    @responds(409, 412, 428)
    @blp.doc(parameters=[IF_MATCH])
    @blp.arguments(schemas.InstitutionApplySchema)
    @blp.response(200, schemas.SaveResultSchema)
    def post(self, payload: dict[str, Any], collection_id: UUID) -> Any:
        """R5: one status for all institutions the filter shows (header row), server-side; If-Match: status_version."""
        target = _target(Level.INSTITUTION, collection_id)
        return _apply(target, payload, _institution_filter)


@blp.route(DEPARTMENTS)
class Departments(MethodView):
    @insurer
    @blp.arguments(schemas.SubQueryArgsSchema, location="query")
    @blp.response(200, schemas.DepartmentPageSchema)
    def get(self, args: dict[str, Any], collection_id: UUID, institution_id: UUID) -> Any:
        """R9: the departments of one institution, filtered by name part and status; refused for foreign hospitals (R11)."""
        target = _target(Level.DEPARTMENT, collection_id, institution_id)
        return _listing(queries.list_departments, target, _sub_filter, args)

    @insurer
    @responds(409)
    @blp.arguments(schemas.DepartmentSaveSchema)
    @blp.arguments(schemas.DryRunArgsSchema, location="query")
    @blp.response(200, schemas.SaveResultSchema)
    def patch(self, payload: dict[str, Any], args: dict[str, Any], collection_id: UUID, institution_id: UUID) -> Any:
        """R9: save a batch of department rows; only this level unless cascade to the conditions.

        With ``?dry_run=true`` nothing is written: the answer counts what the save would change (R9 preview).
        """
        target = _target(Level.DEPARTMENT, collection_id, institution_id)
        return _save(target, payload, "specialism_id", args["dry_run"])


@blp.route(DEPARTMENTS + "/apply-to-shown")
class DepartmentsApply(MethodView):
    @insurer
    @responds(409, 412, 428)
    @blp.doc(parameters=[IF_MATCH])
    @blp.arguments(schemas.DepartmentApplySchema)
    @blp.response(200, schemas.SaveResultSchema)
    def post(self, payload: dict[str, Any], collection_id: UUID, institution_id: UUID) -> Any:
        """R9: one status for all departments shown (header row); If-Match: status_version."""
        target = _target(Level.DEPARTMENT, collection_id, institution_id)
        return _apply(target, payload, _sub_filter)


@blp.route(CONDITIONS)
class Conditions(MethodView):
    @insurer
    @blp.arguments(schemas.SubQueryArgsSchema, location="query")
    @blp.response(200, schemas.ConditionPageSchema)
    def get(self, args: dict[str, Any], collection_id: UUID, institution_id: UUID, specialism_id: UUID) -> Any:
        """R10: the conditions of one department of one institution, filtered by name part and status."""
        target = _target(Level.CONDITION, collection_id, institution_id, specialism_id)
        return _listing(queries.list_conditions, target, _sub_filter, args)

    @insurer
    @responds(409)
    @blp.arguments(schemas.ConditionSaveSchema)
    @blp.response(200, schemas.SaveResultSchema)
    def patch(self, payload: dict[str, Any], collection_id: UUID, institution_id: UUID, specialism_id: UUID) -> Any:
        """R10: save a batch of condition rows (no PARTIAL at this level)."""
        target = _target(Level.CONDITION, collection_id, institution_id, specialism_id)
        return _save(target, payload, "condition_id")


@blp.route(CONDITIONS + "/apply-to-shown")
class ConditionsApply(MethodView):
    @insurer
    @responds(409, 412, 428)
    @blp.doc(parameters=[IF_MATCH])
    @blp.arguments(schemas.ConditionApplySchema)
    @blp.response(200, schemas.SaveResultSchema)
    def post(self, payload: dict[str, Any], collection_id: UUID, institution_id: UUID, specialism_id: UUID) -> Any:
        """R10: one status for all conditions shown (header row); If-Match: status_version."""
        target = _target(Level.CONDITION, collection_id, institution_id, specialism_id)
        return _apply(target, payload, _sub_filter)


def _history(args: dict[str, Any], *, institution_id: str | None, collection_id: str | None = None) -> Any:
    """The history page of a collection and/or an institution, filtered by the query ``args``."""
    return read(
        queries.row_history,
        insurer_actor(),
        collection_id=collection_id,
        institution_id=institution_id,
        level=Level(args["level"]) if args.get("level") else None,
        subject_id=str(args["subject_id"]) if args.get("subject_id") else None,
        to_status=Status(args["to_status"]) if args.get("to_status") else None,
        page=args["page"],
        page_size=args["page_size"],
    )


@blp.route("/<uuid:collection_id>/history")
class CollectionHistory(MethodView):
    @insurer
    @blp.arguments(schemas.HistoryArgsSchema, location="query")
    @blp.response(200, schemas.HistoryPageSchema)
    def get(self, args: dict[str, Any], collection_id: UUID) -> Any:
        """Who changed which row of the collection when, at which level, from which status to which."""
        institution_id = args.get("institution_id")
        return _history(args, collection_id=str(collection_id), institution_id=institution_id and str(institution_id))


@across.route("/<uuid:institution_id>/collections")
class InstitutionAcrossCollections(MethodView):
    @insurer
    @across.response(200, schemas.InstitutionAcrossSchema)
    def get(self, institution_id: UUID) -> Any:
        """R12: one institution's status and remark in every collection of the insurer's year."""
        return read(queries.institution_across_collections, insurer_actor(), str(institution_id))

    @insurer
    @responds(409)
    @across.arguments(schemas.CollectionsSaveSchema)
    @across.response(200, schemas.SaveResultSchema(many=True))
    def patch(self, payload: dict[str, Any], institution_id: UUID) -> Any:
        """R12: change the institution's status in several collections at once, all or nothing."""
        actor = insurer_actor()
        cmd = commands.SaveInstitutionAcrossCollections(
            institution_id=str(institution_id),
            rows=_rows(payload["rows"], "collection_id"),
            cascade=payload["cascade"],
        )
        return handlers.save_institution_across_collections(cmd, actor, current_runtime().unit_of_work())


@across.route("/<uuid:institution_id>/history")
class InstitutionHistory(MethodView):
    @insurer
    @across.arguments(schemas.HistoryArgsSchema, location="query")
    @across.response(200, schemas.HistoryPageSchema)
    def get(self, args: dict[str, Any], institution_id: UUID) -> Any:
        """The history of one institution across the insurer's collections of the year (all levels)."""
        return _history(args, institution_id=str(institution_id))
