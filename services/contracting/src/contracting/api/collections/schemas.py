"""Schemas of collections and contract years."""

from marshmallow import fields, validate

from contracting.domain.model import CARE_TYPES, COLLECTION_TYPES
from servicekit.schemas import BaseSchema, PageSchema


class NewCollectionFields(BaseSchema):
    """What a user gives a collection it makes, new or as a copy (R4)."""

    name = fields.String(required=True, validate=validate.Length(min=1, max=200))
    collection_type = fields.String(required=True, validate=validate.OneOf(list(COLLECTION_TYPES)))
    description = fields.String(
        allow_none=True, load_default=None, validate=validate.Length(max=2000), metadata={"multiline": True}
    )


class CollectionCreateSchema(NewCollectionFields):
    care_type = fields.String(load_default="hospital", validate=validate.OneOf(list(CARE_TYPES)))


class CollectionUpdateSchema(BaseSchema):
    name = fields.String(validate=validate.Length(min=1, max=200))
    description = fields.String(allow_none=True, validate=validate.Length(max=2000), metadata={"multiline": True})
    version = fields.Integer(
        strict=True,
        required=True,
        metadata={
            "description": "The version read (required: a rename never silently replaces another); a mismatch gives 409."
        },
    )


class CountsSchema(BaseSchema):
    NOT_CONTRACTED = fields.Integer()
    IN_NEGOTIATION = fields.Integer()
    PARTIAL = fields.Integer()
    FULL = fields.Integer()


class CollectionSchema(BaseSchema):
    collection_id = fields.String()
    insurer_id = fields.String()
    contract_year = fields.Integer()
    name = fields.String()
    care_type = fields.String()
    collection_type = fields.String()
    description = fields.String(allow_none=True)
    version = fields.Integer()
    status_version = fields.Integer(metadata={"description": "ETag of the statuses; send as If-Match."})
    source_collection_id = fields.String(allow_none=True)
    linked_products = fields.Integer()
    created_at = fields.DateTime()
    created_by = fields.String()
    counts = fields.Dict(keys=fields.String(), values=fields.Nested(CountsSchema))


class ChangeSchema(BaseSchema):
    change_id = fields.String()
    level = fields.String()
    kind = fields.String()
    status = fields.String(allow_none=True)
    cascade = fields.Boolean()
    scope = fields.Dict()
    count = fields.Integer()
    changed_by = fields.String()
    changed_at = fields.DateTime()


class PagesSchema(PageSchema):
    """The kit's page, with its size and the number of pages."""

    page_size = fields.Integer()
    pages = fields.Integer()


class ChangePageSchema(PagesSchema):
    items = fields.List(fields.Nested(ChangeSchema))
