"""Schemas of companies (maatschappijen / labels)."""

from marshmallow import fields, validate

from servicekit.schemas import BaseSchema


class CompanyCreateSchema(BaseSchema):
    insurer_id = fields.UUID(required=True, metadata={"description": "The insurer (concern) it belongs to"})
    name = fields.String(required=True, validate=validate.Length(min=1, max=200))
    uzovi_code = fields.String(required=True, metadata={"description": "4 digits"})


class CompanyChangeSchema(BaseSchema):
    insurer_id = fields.UUID(metadata={"description": "Move the company to this insurer"})
    name = fields.String(validate=validate.Length(min=1, max=200))


class CompanyQueryArgsSchema(BaseSchema):
    insurer_id = fields.UUID()


class CompanySchema(BaseSchema):
    company_id = fields.String()
    insurer_id = fields.String()
    name = fields.String()
    uzovi_code = fields.String()
