"""Companies: which labels (with their UZOVI code) belong to which insurer; kept by the platform admin."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from flask.views import MethodView

from products import queries
from products.api.common import platform_admin, reader
from products.api.companies import schemas
from products.domain.commands import ChangeCompany, RegisterCompany
from products.service_layer import handlers
from servicekit.api import blueprint, current_runtime, read, read_found, responds

blp = blueprint("companies", "/companies", "Companies (maatschappijen) of insurers, with their UZOVI code.")


@blp.route("")
class Companies(MethodView):
    @reader
    @blp.arguments(schemas.CompanyQueryArgsSchema, location="query")
    @blp.response(200, schemas.CompanySchema(many=True))
    def get(self, args: dict[str, Any]) -> Any:
        """Every company, or those of one insurer."""
        insurer_id = str(args["insurer_id"]) if args.get("insurer_id") else None
        return read(queries.companies, insurer_id)

    @platform_admin
    @responds(409)
    @blp.arguments(schemas.CompanyCreateSchema)
    @blp.response(201, schemas.CompanySchema)
    def post(self, payload: dict[str, Any]) -> Any:
        """Register a company of an insurer (platform admin)."""
        command = RegisterCompany(str(payload["insurer_id"]), payload["name"], payload["uzovi_code"])
        row = handlers.register_company(command, current_runtime().unit_of_work())
        return read(queries.company_view, str(row["id"]))


@blp.route("/<uuid:company_id>")
class CompanyById(MethodView):
    @reader
    @blp.response(200, schemas.CompanySchema)
    def get(self, company_id: UUID) -> Any:
        """One company."""
        return read_found("Deze maatschappij bestaat niet.", queries.company_view, str(company_id))

    @platform_admin
    @blp.arguments(schemas.CompanyChangeSchema)
    @blp.response(200, schemas.CompanySchema)
    def patch(self, payload: dict[str, Any], company_id: UUID) -> Any:
        """Rename a company, or move it to another insurer (platform admin)."""
        insurer_id = str(payload["insurer_id"]) if payload.get("insurer_id") else None
        command = ChangeCompany(str(company_id), insurer_id, payload.get("name"))
        handlers.change_company(command, current_runtime().unit_of_work())
        return read(queries.company_view, str(company_id))
