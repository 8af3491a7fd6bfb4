"""Request and response schemas of the institutions resource."""

from __future__ import annotations

from marshmallow import fields, validate

from catalogue.domain.model import COUNTRIES, INSTITUTION_TYPES
from catalogue.queries import MAX_PAGE_SIZE, SORTS
from servicekit.schemas import BaseSchema, PageArgsSchema

_TYPE = validate.OneOf(INSTITUTION_TYPES, error="Onbekend instellingstype; kies uit: {choices}.")
_COUNTRY = validate.OneOf(COUNTRIES, error="Land moet NL, BE of DE zijn.")
_AGB_DOC = "AGB-code, 8 cijfers als tekst; een 7-cijferige code krijgt zijn voorloopnul terug."


class InstitutionSchema(BaseSchema):
    id = fields.String()
    agb_code = fields.String(metadata={"description": _AGB_DOC})
    name = fields.String()
    type = fields.String(metadata={"enum": list(INSTITUTION_TYPES)})
    country = fields.String(metadata={"enum": list(COUNTRIES)})
    address = fields.String(allow_none=True)
    postcode = fields.String(allow_none=True)
    city = fields.String(allow_none=True)
    email = fields.String(allow_none=True)
    phone = fields.String(allow_none=True)
    group_id = fields.String(allow_none=True)
    group_name = fields.String(allow_none=True)
    opened_on = fields.Date(allow_none=True)
    closed_on = fields.Date(allow_none=True)
    merged_into_id = fields.String(allow_none=True)
    status = fields.String(metadata={"enum": ["open", "closed"]})
    revision = fields.Integer()
    offering_revision = fields.Integer()


class InstitutionPageSchema(BaseSchema):
    items = fields.List(fields.Nested(InstitutionSchema))
    total = fields.Integer(metadata={"description": "Aantal instellingen dat aan alle filters voldoet."})
    page = fields.Integer()
    page_size = fields.Integer()


class InstitutionCreateSchema(BaseSchema):
    agb_code = fields.String(required=True, metadata={"description": _AGB_DOC})
    name = fields.String(required=True)
    type = fields.String(required=True, validate=_TYPE)
    country = fields.String(load_default="NL", validate=_COUNTRY)
    address = fields.String(allow_none=True, load_default=None)
    postcode = fields.String(allow_none=True, load_default=None)
    city = fields.String(allow_none=True, load_default=None)
    email = fields.String(allow_none=True, load_default=None)
    phone = fields.String(allow_none=True, load_default=None)
    group_id = fields.UUID(allow_none=True, load_default=None)
    opened_on = fields.Date(allow_none=True, load_default=None)


class InstitutionChangeSchema(BaseSchema):
    """Only the fields sent change; send null to clear an optional field."""

    agb_code = fields.String(metadata={"description": _AGB_DOC})
    name = fields.String()
    type = fields.String(validate=_TYPE)
    country = fields.String(validate=_COUNTRY)
    address = fields.String(allow_none=True)
    postcode = fields.String(allow_none=True)
    city = fields.String(allow_none=True)
    email = fields.String(allow_none=True)
    phone = fields.String(allow_none=True)
    group_id = fields.UUID(allow_none=True)
    opened_on = fields.Date(allow_none=True)


class InstitutionQueryArgsSchema(PageArgsSchema):
    name = fields.String(metadata={"description": "Deel van de naam (hoofdletterongevoelig)."})
    type = fields.List(fields.String(validate=_TYPE), metadata={"description": "Een of meer types (of)."})
    agb_code = fields.String(metadata={"description": "Hele AGB-code."})
    group_id = fields.UUID()
    country = fields.String(validate=_COUNTRY)
    status = fields.String(validate=validate.OneOf(("open", "closed"), error="Status is open of closed."))
    sort = fields.String(
        load_default="name",
        validate=validate.OneOf(
            SORTS + tuple(f"-{s}" for s in SORTS), error="Sorteer op name, agb_code of city (- voor aflopend)."
        ),
    )
    page_size = fields.Integer(
        load_default=50,
        validate=validate.Range(min=1, max=MAX_PAGE_SIZE, error=f"Paginagrootte is 1 tot en met {MAX_PAGE_SIZE}."),
    )


class CloseSchema(BaseSchema):
    closed_on = fields.Date(load_default=None, metadata={"description": "Sluitingsdatum; standaard vandaag."})


class MergeSchema(BaseSchema):
    into_institution_id = fields.UUID(required=True)
    closed_on = fields.Date(load_default=None, metadata={"description": "Fusiedatum; standaard vandaag."})


class OfferingSchema(BaseSchema):
    specialism_ids = fields.List(fields.UUID(), required=True)
    condition_ids = fields.List(fields.UUID(), load_default=list)


class OfferingConditionSchema(BaseSchema):
    id = fields.String()
    name = fields.String()


class OfferingSpecialismSchema(BaseSchema):
    id = fields.String()
    code = fields.String()
    name = fields.String()
    conditions = fields.List(fields.Nested(OfferingConditionSchema))


class OfferingViewSchema(BaseSchema):
    institution_id = fields.String()
    revision = fields.Integer()
    specialism_ids = fields.List(fields.String())
    condition_ids = fields.List(fields.String())
    specialisms = fields.List(fields.Nested(OfferingSpecialismSchema))


class ImportArgsSchema(BaseSchema):
    dry_run = fields.Boolean(load_default=False, metadata={"description": "Alleen controleren, niets opslaan."})
    import_id = fields.UUID(
        metadata={
            "description": "Door de aanroeper gekozen id; de voortgang is dan te volgen op "
            "`GET /institutions/import/progress/{import_id}` (een id één keer, anders 409)."
        }
    )


class ImportResultSchema(BaseSchema):
    created = fields.Integer()
    updated = fields.Integer()
    closed = fields.Integer()
    unchanged = fields.Integer()
    events = fields.Integer()
    dry_run = fields.Boolean()


class ImportProgressSchema(BaseSchema):
    import_id = fields.String()
    phase = fields.String(
        metadata={"enum": ["lezen", "controleren", "opslaan", "klaar", "geweigerd"], "description": "Fase"}
    )
    done = fields.Integer(metadata={"description": "Regels gecontroleerd of opgeslagen in deze fase"})
    total = fields.Integer(metadata={"description": "Regels in deze fase"})
    percent = fields.Integer(metadata={"description": "0-100 over de hele import"})
    finished = fields.Boolean()
