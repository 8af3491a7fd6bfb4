"""Schemas of the conditions resource."""

from marshmallow import fields

from servicekit.schemas import BaseSchema


class ConditionSchema(BaseSchema):
    id = fields.String()
    specialism_id = fields.String()
    name = fields.String()
    retired = fields.Boolean()
    is_demo = fields.Boolean(metadata={"description": "Verzonnen demogegevens."})
    revision = fields.Integer()


class ConditionCreateSchema(BaseSchema):
    specialism_id = fields.UUID(required=True)
    name = fields.String(required=True)


class ConditionRenameSchema(BaseSchema):
    name = fields.String(required=True)


class ConditionQueryArgsSchema(BaseSchema):
    specialism_id = fields.UUID()
    name = fields.String(metadata={"description": "Deel van de naam."})
    include_retired = fields.Boolean(load_default=False)
