"""Schemas of the groups resource."""

from marshmallow import fields, validate

from catalogue.domain.model import GROUP_KINDS
from servicekit.schemas import BaseSchema

_KIND = validate.OneOf(GROUP_KINDS, error="Onbekende groepssoort; kies uit: {choices}.")


class GroupSchema(BaseSchema):
    id = fields.String()
    name = fields.String()
    kind = fields.String(metadata={"enum": list(GROUP_KINDS)})
    revision = fields.Integer()
    retired = fields.Boolean()
    open_institution_count = fields.Integer()


class GroupCreateSchema(BaseSchema):
    name = fields.String(required=True)
    kind = fields.String(load_default="hospital_organisation", validate=_KIND)


class GroupChangeSchema(BaseSchema):
    name = fields.String()
    kind = fields.String(validate=_KIND)


class GroupQueryArgsSchema(BaseSchema):
    name = fields.String(metadata={"description": "Deel van de naam."})
    include_retired = fields.Boolean(load_default=False, metadata={"description": "Ook vervallen groepen."})
