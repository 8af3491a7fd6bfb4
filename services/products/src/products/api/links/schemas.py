"""Schemas of R13's "Koppel producten"."""

from marshmallow import fields, validate

from servicekit.schemas import BaseSchema


class LinkRowSchema(BaseSchema):
    product_id = fields.UUID(required=True)
    collection_id = fields.UUID(required=True, allow_none=True, metadata={"description": "null: unlink"})


class LinkBatchSchema(BaseSchema):
    rows = fields.List(fields.Nested(LinkRowSchema), required=True, validate=validate.Length(min=1, max=500))


class LinkResultSchema(BaseSchema):
    count = fields.Integer()
    changed = fields.Integer()
