"""Schemas of the purchasing teams' tools: copy and compare."""

from marshmallow import fields, validate

from contracting.api.collections.schemas import CollectionSchema, NewCollectionFields
from contracting.api.spreadsheets.routes import ExportArgsSchema
from contracting.api.years.schemas import RolloverJobSchema
from contracting.domain.model import Level
from servicekit.schemas import BaseSchema


class CopyCollectionSchema(NewCollectionFields):
    with_remarks = fields.Boolean(load_default=False, metadata={"description": "Copy the remarks too."})


class CopiedCollectionSchema(CollectionSchema):
    copied = fields.Dict(keys=fields.String(), values=fields.Integer(), metadata={"description": "Rows per level."})


class ProductCompareArgsSchema(BaseSchema):
    level = fields.String(load_default=None, validate=validate.OneOf([level.value for level in Level]))
    group_id = fields.UUID(load_default=None)
    type = fields.String(load_default=None, validate=validate.Length(max=40))
    name = fields.String(load_default=None, validate=validate.Length(max=200))
    agb_code = fields.String(load_default=None, validate=validate.Length(max=8))
    specialism_id = fields.UUID(load_default=None)


class CopyJobSchema(RolloverJobSchema):
    kind = fields.String(metadata={"description": "copy"})
    source_collection_id = fields.String(allow_none=True)
    collection_id = fields.String(allow_none=True, metadata={"description": "The new collection, once done."})


class CompareArgsSchema(ProductCompareArgsSchema):
    other_collection_id = fields.UUID(
        load_default=None,
        metadata={"description": "The collection to compare with; without it, last year's predecessor."},
    )


class CompareExportArgsSchema(ExportArgsSchema, CompareArgsSchema):
    """The comparison's filters and the export's format (last: marshmallow orders a base's fields by reversed MRO)."""


class ComparedSideSchema(BaseSchema):
    collection_id = fields.String()
    name = fields.String()
    contract_year = fields.Integer()


class PairCountSchema(BaseSchema):
    status = fields.String(allow_none=True)
    other_status = fields.String(allow_none=True)
    count = fields.Integer()


class DifferenceSchema(BaseSchema):
    institution_id = fields.String()
    institution_name = fields.String()
    agb_code = fields.String()
    subject_id = fields.String(allow_none=True)
    subject_name = fields.String(allow_none=True)
    status = fields.String(allow_none=True, metadata={"description": "None: no row in this collection."})
    other_status = fields.String(allow_none=True, metadata={"description": "None: no row in the other one."})
    changed_by = fields.String(allow_none=True)
    other_changed_by = fields.String(allow_none=True)


class LevelDifferencesSchema(BaseSchema):
    counts = fields.List(fields.Nested(PairCountSchema))
    items = fields.List(fields.Nested(DifferenceSchema))


class ComparisonSchema(BaseSchema):
    collection = fields.Nested(ComparedSideSchema)
    other_collection = fields.Nested(ComparedSideSchema)
    levels = fields.Dict(keys=fields.String(), values=fields.Nested(LevelDifferencesSchema))


class ProductComparisonSchema(ComparisonSchema):
    product_id = fields.String()


class ProductCompareExportArgsSchema(ExportArgsSchema, ProductCompareArgsSchema):
    """The comparison's filters and the export's format."""


class ConsistencyArgsSchema(BaseSchema):
    include_intended = fields.Boolean(
        load_default=False, metadata={"description": "Also the findings marked intended."}
    )


class IntendedMarkSchema(BaseSchema):
    reason = fields.String(allow_none=True)
    marked_by = fields.String()
    marked_at = fields.DateTime()


class FindingSchema(BaseSchema):
    kind = fields.String()
    level = fields.String()
    institution_id = fields.String()
    subject_id = fields.String(allow_none=True)
    explanation = fields.String()
    link = fields.String(metadata={"description": "The API path of the listing that shows the rows."})
    intended = fields.Nested(IntendedMarkSchema, allow_none=True)


class ConsistencyReportSchema(BaseSchema):
    items = fields.List(fields.Nested(FindingSchema))
    counts = fields.Dict(keys=fields.String(), values=fields.Integer())
    total = fields.Integer()


class MarkIntendedSchema(BaseSchema):
    kind = fields.String(required=True, validate=validate.Length(min=1, max=60))
    institution_id = fields.UUID(required=True)
    subject_id = fields.UUID(load_default=None, allow_none=True)
    reason = fields.String(required=True, validate=validate.Length(min=1, max=2000))


class IntendedFindingSchema(BaseSchema):
    kind = fields.String()
    institution_id = fields.String()
    subject_key = fields.String()
    fingerprint = fields.String()
    reason = fields.String()
    marked_by = fields.String()
    marked_at = fields.DateTime()
