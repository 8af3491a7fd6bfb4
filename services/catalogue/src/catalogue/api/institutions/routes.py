"""Routes of the institutions resource: load schema -> command -> handler -> response."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any
from uuid import UUID
from zoneinfo import ZoneInfo

from flask import Response, request
from flask.views import MethodView
from flask_smorest import abort

from catalogue import queries
from catalogue.adapters import import_progress
from catalogue.api.common import logged_in, unit_of_work, writer
from catalogue.api.institutions import schemas
from catalogue.domain import commands
from catalogue.domain.institution_csv import write_csv
from catalogue.domain.model import normalise_agb
from catalogue.service_layer import handlers
from servicekit.api import blueprint, current_runtime, found, read, read_found, responds
from servicekit.auth import require_principal

blp = blueprint(
    "institutions", "/institutions", "Instellingen: ziekenhuislocaties, ZBC's, categorale en buitenlandse instellingen."
)

_NOT_FOUND = "Instelling {} bestaat niet."
_CSV_BODY = {
    "description": "CSV-bestand (UTF-8), als multipart-veld `file` of als text/csv-body.",
    "content": {
        "text/csv": {"schema": {"type": "string"}},
        "multipart/form-data": {
            "schema": {"type": "object", "properties": {"file": {"type": "string", "format": "binary"}}}
        },
    },
}


def _today() -> date:
    return datetime.now(ZoneInfo("Europe/Amsterdam")).date()


def _plain(values: dict[str, Any]) -> dict[str, Any]:
    return {k: str(v) if isinstance(v, UUID) else v for k, v in values.items()}


def _institution(institution_id: str) -> dict[str, Any]:
    return read_found(_NOT_FOUND.format(institution_id), queries.get_institution, institution_id)


def _offering(institution_id: UUID) -> dict[str, Any]:
    return read_found(_NOT_FOUND.format(institution_id), queries.get_offering, str(institution_id))


@blp.route("")
class Institutions(MethodView):
    @logged_in
    @blp.arguments(schemas.InstitutionQueryArgsSchema, location="query")
    @blp.response(200, schemas.InstitutionPageSchema)
    def get(self, args: dict[str, Any]) -> dict[str, Any]:
        """Zoek instellingen (R8): op groep, deel van de naam, type, hele AGB-code, land en open/gesloten.

        Filters combineren; de uitkomst is gepagineerd en gesorteerd (name, agb_code of city; `-` ervoor
        voor aflopend), met het totaal aantal treffers.
        """
        agb_code = normalise_agb(args["agb_code"]) if args.get("agb_code") else None
        sort = args["sort"]
        search = queries.InstitutionSearch(
            name=args.get("name"),
            types=tuple(args.get("type") or ()),
            agb_code=agb_code,
            group_id=str(args["group_id"]) if args.get("group_id") else None,
            country=args.get("country"),
            status=args.get("status"),
            sort=sort.lstrip("-"),
            descending=sort.startswith("-"),
            page=args["page"],
            page_size=args["page_size"],
        )
        return read(queries.search_institutions, search)

    @writer
    @blp.arguments(schemas.InstitutionCreateSchema)
    @blp.response(201, schemas.InstitutionSchema)
    @blp.alt_response(409, description="De AGB-code is al in gebruik.")
    def post(self, data: dict[str, Any]) -> dict[str, Any]:
        """Registreer een instelling (alleen beheerders); publiceert `catalogue.institution.registered`."""
        institution_id = handlers.register_institution(commands.RegisterInstitution(_plain(data)), unit_of_work())
        return _institution(institution_id)


@blp.route("/<uuid:institution_id>")
class InstitutionById(MethodView):
    @logged_in
    @blp.response(200, schemas.InstitutionSchema)
    def get(self, institution_id: UUID) -> dict[str, Any]:
        """Eén instelling."""
        return _institution(str(institution_id))

    @writer
    @responds(409)
    @blp.arguments(schemas.InstitutionChangeSchema)
    @blp.response(200, schemas.InstitutionSchema)
    def patch(self, data: dict[str, Any], institution_id: UUID) -> dict[str, Any]:
        """Wijzig gegevens van een instelling (alleen meegestuurde velden); publiceert `catalogue.institution.changed`."""
        handlers.change_institution(commands.ChangeInstitution(str(institution_id), _plain(data)), unit_of_work())
        return _institution(str(institution_id))


@blp.route("/<uuid:institution_id>/close")
class InstitutionClose(MethodView):
    @writer
    @responds(409)
    @blp.arguments(schemas.CloseSchema)
    @blp.response(200, schemas.InstitutionSchema)
    def post(self, data: dict[str, Any], institution_id: UUID) -> dict[str, Any]:
        """Sluit een instelling per een datum (standaard vandaag); publiceert `catalogue.institution.closed`."""
        cmd = commands.CloseInstitution(str(institution_id), data["closed_on"] or _today())
        handlers.close_institution(cmd, unit_of_work())
        return _institution(str(institution_id))


@blp.route("/<uuid:institution_id>/merge")
class InstitutionMerge(MethodView):
    @writer
    @responds(409)
    @blp.arguments(schemas.MergeSchema)
    @blp.response(200, schemas.InstitutionSchema)
    def post(self, data: dict[str, Any], institution_id: UUID) -> dict[str, Any]:
        """Fuseer deze instelling in een andere: deze sluit; publiceert `catalogue.institution.merged`."""
        cmd = commands.MergeInstitution(
            str(institution_id), str(data["into_institution_id"]), data["closed_on"] or _today()
        )
        handlers.merge_institution(cmd, unit_of_work())
        return _institution(str(institution_id))


@blp.route("/<uuid:institution_id>/offering")
class InstitutionOffering(MethodView):
    @logged_in
    @blp.response(200, schemas.OfferingViewSchema)
    def get(self, institution_id: UUID) -> dict[str, Any]:
        """Het behandelaanbod: specialismen (afdelingen) met hun aandoeningen."""
        return _offering(institution_id)

    @writer
    @responds(409)
    @blp.arguments(schemas.OfferingSchema)
    @blp.response(200, schemas.OfferingViewSchema)
    def put(self, data: dict[str, Any], institution_id: UUID) -> dict[str, Any]:
        """Vervang het hele behandelaanbod; publiceert `catalogue.offering.changed` als het wijzigt.

        Elke aandoening moet bij een specialisme uit het aanbod horen. Buitenlandse ziekenhuizen hebben geen
        aanbod (R11): dat wordt geweigerd.
        """
        cmd = commands.SetOffering(
            str(institution_id), [str(s) for s in data["specialism_ids"]], [str(c) for c in data["condition_ids"]]
        )
        handlers.set_offering(cmd, unit_of_work())
        return _offering(institution_id)


@blp.route("/export")
class InstitutionExport(MethodView):
    @logged_in
    @blp.doc(
        responses={
            "200": {"description": "Alle instellingen als CSV", "content": {"text/csv": {"schema": {"type": "string"}}}}
        }
    )
    def get(self) -> Response:
        """Exporteer alle instellingen als CSV (het formaat dat de import leest), gesorteerd op AGB-code."""
        return Response(
            write_csv(read(queries.export_rows)),
            mimetype="text/csv",
            headers={"Content-Disposition": 'attachment; filename="instellingen.csv"'},
        )


@blp.route("/import")
class InstitutionImport(MethodView):
    @writer
    @responds(409)
    @blp.arguments(schemas.ImportArgsSchema, location="query")
    @blp.doc(requestBody=_CSV_BODY)
    @blp.response(200, schemas.ImportResultSchema)
    @blp.alt_response(
        422, description="Het hele bestand is geweigerd; `errors.rows` noemt elke foute regel (line, field, reason)."
    )
    def post(self, args: dict[str, Any]) -> dict[str, Any]:
        """Lees een CSV-bestand met instellingen in: alles of niets (zie het formaat bij export).

        Nieuwe AGB-codes worden geregistreerd, bestaande bijgewerkt als ze verschillen en anders overgeslagen;
        een gevulde `closed_on` sluit een open instelling. Met `dry_run=true` wordt alleen gecontroleerd.
        """
        upload = request.files.get("file")
        raw = upload.read() if upload is not None else request.get_data()
        try:
            text = raw.decode("utf-8-sig")
        except UnicodeDecodeError:
            abort(
                422,
                message="Het bestand is geen UTF-8-tekst.",
                errors={"rows": [{"line": 1, "field": "bestand", "reason": "Geen UTF-8."}]},
            )
        import_id = str(args["import_id"]) if args.get("import_id") else None
        user = require_principal().username or "?"
        with import_progress.tracked(current_runtime().engine, import_id, user) as progress:
            result = handlers.import_institutions(
                commands.ImportInstitutions(text, args["dry_run"]), unit_of_work(), progress
            )
        return {**result, "dry_run": args["dry_run"]}


@blp.route("/import/progress/<uuid:import_id>")
class InstitutionImportProgress(MethodView):
    @writer
    @blp.response(200, schemas.ImportProgressSchema)
    def get(self, import_id: UUID) -> dict[str, Any]:
        """Hoe ver een import is (met `import_id` gestart): fase, regels, procent; voor de voortgangsbalk.

        Te vragen bij elke API-worker: de stand staat in de database, naast de transactie van de import.
        """
        return found(import_progress.read(current_runtime().engine, str(import_id)), f"Import {import_id} is onbekend.")
