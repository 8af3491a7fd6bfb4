"""Schemas of the specialisms resource."""

from marshmallow import fields

from servicekit.schemas import BaseSchema


class SpecialismSchema(BaseSchema):
    id = fields.String()
    code = fields.String(metadata={"description": "Vektis COD016-specialismecode, 4 cijfers."})
    name = fields.String()
    retired = fields.Boolean()
    revision = fields.Integer()


class SpecialismCreateSchema(BaseSchema):
    code = fields.String(required=True, metadata={"description": "Vektis-code, 4 cijfers."})
    name = fields.String(required=True)


class SpecialismRenameSchema(BaseSchema):
    name = fields.String(required=True)


class SpecialismQueryArgsSchema(BaseSchema):
    include_retired = fields.Boolean(load_default=False)
