"""Schemas of products (basic policies) and of the collections they may link to."""

from marshmallow import fields, validate

from products.domain.model import PRODUCT_KINDS
from servicekit.schemas import BaseSchema


class ProductCreateSchema(BaseSchema):
    company_id = fields.UUID(required=True)
    year = fields.Integer(required=True, validate=validate.Range(2000, 2999))
    name = fields.String(required=True, validate=validate.Length(min=1, max=200))
    code = fields.String(required=True, validate=validate.Length(min=1, max=40))
    kind = fields.String(required=True, validate=validate.OneOf(list(PRODUCT_KINDS)))


class ProductQueryArgsSchema(BaseSchema):
    year = fields.Integer(validate=validate.Range(2000, 2999))
    insurer_id = fields.UUID()
    company_id = fields.UUID()


class ProductBaseSchema(BaseSchema):
    """A product as every answer names it, the public one (R17) too: with its company's name and UZOVI code."""

    product_id = fields.String()
    company_name = fields.String()
    uzovi_code = fields.String()
    year = fields.Integer()
    name = fields.String()
    code = fields.String()
    kind = fields.String()


class ProductSchema(ProductBaseSchema):
    company_id = fields.String()
    insurer_id = fields.String()
    carried_from_id = fields.String(allow_none=True, metadata={"description": "R3: last year's product"})
    collection_id = fields.String(allow_none=True, metadata={"description": "R13: the linked hospital collection"})
    collection_name = fields.String(allow_none=True)


class CollectionSchema(BaseSchema):
    collection_id = fields.String()
    insurer_id = fields.String()
    year = fields.Integer()
    name = fields.String()
    collection_type = fields.String(allow_none=True)
