"""Schemas of the public read API (R17)."""

from marshmallow import fields, validate

from products.api.products.schemas import ProductBaseSchema
from servicekit.schemas import BaseSchema, PageArgsSchema

STATUS_DOC = "FULL, PARTIAL or NOT_CONTRACTED; IN_NEGOTIATION is never published (R17)"


class ProductQueryArgsSchema(BaseSchema):
    year = fields.Integer(validate=validate.Range(2000, 2999))
    uzovi_code = fields.String(validate=validate.Regexp(r"^[0-9]{4}$", error="4 cijfers."))


class InstitutionQueryArgsSchema(PageArgsSchema):
    type = fields.String(validate=validate.Length(max=40), metadata={"description": "Institution type"})
    agb_code = fields.String(validate=validate.Regexp(r"^[0-9]{8}$", error="8 cijfers."))
    specialism = fields.String(
        validate=validate.Length(max=20), metadata={"description": "Vektis specialism code, contracted (FULL/PARTIAL)"}
    )
    condition_id = fields.UUID(metadata={"description": "Only institutions contracted (FULL) for this condition"})


class LookupArgsSchema(BaseSchema):
    condition_id = fields.UUID(metadata={"description": "Ask for this condition (aandoening)"})


class ProductsOfInstitutionArgsSchema(BaseSchema):
    year = fields.Integer(required=True, validate=validate.Range(2000, 2999))
    condition_id = fields.UUID()


class FeedArgsSchema(BaseSchema):
    format = fields.String(load_default="ndjson", validate=validate.OneOf(["ndjson", "csv"]))


class ChangesArgsSchema(BaseSchema):
    since = fields.Integer(load_default=0, validate=validate.Range(0, 2**62), metadata={"description": "Cursor"})
    limit = fields.Integer(load_default=500, validate=validate.Range(1, 2000))


class PublishedProductSchema(ProductBaseSchema):
    last_changed_at = fields.DateTime(
        allow_none=True, metadata={"description": "When this product's published contracting last changed"}
    )
    status = fields.String(metadata={"description": STATUS_DOC})


class DepartmentSchema(BaseSchema):
    specialism_id = fields.String()
    code = fields.String()
    name = fields.String()
    status = fields.String(metadata={"description": STATUS_DOC})


class ConditionSchema(BaseSchema):
    condition_id = fields.String()
    specialism_id = fields.String()
    name = fields.String()
    status = fields.String(metadata={"description": STATUS_DOC})


class InstitutionSchema(BaseSchema):
    institution_id = fields.String()
    agb_code = fields.String()
    name = fields.String()
    type = fields.String()
    country = fields.String()
    city = fields.String(allow_none=True)
    status = fields.String(allow_none=True, metadata={"description": STATUS_DOC})
    changed_at = fields.DateTime()
    departments = fields.List(fields.Nested(DepartmentSchema))
    conditions = fields.List(fields.Nested(ConditionSchema))


class InstitutionPageSchema(BaseSchema):
    product = fields.Nested(PublishedProductSchema)
    last_changed_at = fields.DateTime(allow_none=True)
    total = fields.Integer()
    page = fields.Integer()
    page_size = fields.Integer()
    items = fields.List(fields.Nested(InstitutionSchema))


class LookupSchema(BaseSchema):
    product = fields.Nested(PublishedProductSchema)
    last_changed_at = fields.DateTime(allow_none=True)
    published = fields.Boolean(metadata={"description": "False: nothing published (e.g. still in negotiation)"})
    contracted = fields.Boolean(allow_none=True)
    status = fields.String(allow_none=True, metadata={"description": STATUS_DOC})
    institution = fields.Dict(allow_none=True)
    condition = fields.Dict(allow_none=True)


class ChangeSchema(InstitutionSchema):
    position = fields.Integer()


class ChangesSchema(BaseSchema):
    product = fields.Nested(PublishedProductSchema)
    last_changed_at = fields.DateTime(allow_none=True)
    cursor = fields.Integer(metadata={"description": "Send as ?since= next time"})
    more = fields.Boolean()
    changes = fields.List(fields.Nested(ChangeSchema))
