"""Schemas of the status listings and saves at three levels, and of R12 and the history."""

from marshmallow import Schema, fields, validate

from contracting.api.collections.schemas import CountsSchema, PagesSchema
from contracting.domain.model import INSTITUTION_TYPES, Level, Status
from servicekit.schemas import BaseSchema, PageArgsSchema

STATUSES = [s.value for s in Status]
MAX_ROWS = 2000


class SubFilterSchema(BaseSchema):
    """R9/R10: name part and status, combined (a listing's query, an apply-to-shown's filter)."""

    name = fields.String(validate=validate.Length(min=1, max=200))
    status = fields.String(validate=validate.OneOf(STATUSES))
    is_new = fields.Boolean()


class InstitutionFilterSchema(SubFilterSchema):
    """R8: filters combine."""

    group_id = fields.UUID()
    type = fields.String(validate=validate.OneOf(INSTITUTION_TYPES))
    agb_code = fields.String(validate=validate.Regexp(r"^\d{8}$", error="Een AGB-code bestaat uit 8 cijfers (R8)."))
    foreign = fields.Boolean(metadata={"description": "true: foreign hospitals only (BE/DE); false: Dutch only"})


class InstitutionQueryArgsSchema(PageArgsSchema, InstitutionFilterSchema):
    """R8: filters combine."""


class SubQueryArgsSchema(PageArgsSchema, SubFilterSchema):
    """R9/R10: name part and status, combined."""


class _RowBase(BaseSchema):
    status = fields.String(required=True, validate=validate.OneOf(STATUSES))
    remark = fields.String(allow_none=True, validate=validate.Length(max=2000), metadata={"multiline": True})
    version = fields.Integer(required=True, strict=True, metadata={"description": "The row's version as read"})


class InstitutionRowSchema(_RowBase):
    institution_id = fields.UUID(required=True)


class DepartmentRowSchema(_RowBase):
    specialism_id = fields.UUID(required=True)


class ConditionRowSchema(_RowBase):
    condition_id = fields.UUID(required=True)


class CollectionRowSchema(_RowBase):
    collection_id = fields.UUID(required=True)


def _save(row_schema: type[BaseSchema], cascade_doc: str) -> type[Schema]:
    return BaseSchema.from_dict(
        {
            "rows": fields.List(
                fields.Nested(row_schema), required=True, validate=validate.Length(min=1, max=MAX_ROWS)
            ),
            "cascade": fields.Boolean(load_default=False, metadata={"description": cascade_doc}),
        },
        name=f"{row_schema.__name__.replace('RowSchema', '')}SaveSchema",
    )


INSTITUTION_CASCADE = "R7: also set every department and condition of these institutions"
DEPARTMENT_CASCADE = "R9: also set every condition of these departments"
InstitutionSaveSchema = _save(InstitutionRowSchema, INSTITUTION_CASCADE)
DepartmentSaveSchema = _save(DepartmentRowSchema, DEPARTMENT_CASCADE)
ConditionSaveSchema = BaseSchema.from_dict(
    {
        "rows": fields.List(
            fields.Nested(ConditionRowSchema), required=True, validate=validate.Length(min=1, max=MAX_ROWS)
        )
    },
    name="ConditionSaveSchema",
)
CollectionsSaveSchema = _save(CollectionRowSchema, INSTITUTION_CASCADE)


class InstitutionApplySchema(BaseSchema):
    """R5: the listing's filter and one status; applied to every row shown."""

    filter = fields.Nested(InstitutionFilterSchema, load_default=dict)
    status = fields.String(required=True, validate=validate.OneOf(STATUSES))
    cascade = fields.Boolean(load_default=False, metadata={"description": INSTITUTION_CASCADE})


class DepartmentApplySchema(BaseSchema):
    filter = fields.Nested(SubFilterSchema, load_default=dict)
    status = fields.String(required=True, validate=validate.OneOf(STATUSES))
    cascade = fields.Boolean(load_default=False, metadata={"description": DEPARTMENT_CASCADE})


class ConditionApplySchema(BaseSchema):
    filter = fields.Nested(SubFilterSchema, load_default=dict)
    status = fields.String(required=True, validate=validate.OneOf(STATUSES))


class _StatusFields(BaseSchema):
    status = fields.String()
    status_label = fields.String()
    remark = fields.String(allow_none=True)
    is_new = fields.Boolean()
    version = fields.Integer()
    changed_by = fields.String(allow_none=True)
    changed_at = fields.DateTime(allow_none=True)


class _InstitutionFields(BaseSchema):
    """An institution as the catalogue names it."""

    institution_id = fields.String()
    agb_code = fields.String()
    name = fields.String()
    type = fields.String()
    country = fields.String()


class InstitutionRowOutSchema(_InstitutionFields, _StatusFields):
    city = fields.String(allow_none=True)
    group_id = fields.String(allow_none=True)
    group_name = fields.String(allow_none=True)


class DepartmentRowOutSchema(_StatusFields):
    specialism_id = fields.String()
    code = fields.String()
    name = fields.String()


class ConditionRowOutSchema(_StatusFields):
    condition_id = fields.String()
    name = fields.String()


class _Page(PagesSchema):
    counts = fields.Nested(CountsSchema, metadata={"description": "per status, over the filter without its status"})
    status_version = fields.Integer(metadata={"description": "send back as If-Match with apply-to-shown"})


class InstitutionPageSchema(_Page):
    items = fields.List(fields.Nested(InstitutionRowOutSchema))


class InstitutionRefSchema(BaseSchema):
    institution_id = fields.String()
    name = fields.String()
    agb_code = fields.String()


class DepartmentPageSchema(_Page):
    institution = fields.Nested(InstitutionRefSchema)
    items = fields.List(fields.Nested(DepartmentRowOutSchema))


class ConditionPageSchema(_Page):
    institution = fields.Nested(InstitutionRefSchema)
    specialism_id = fields.String()
    items = fields.List(fields.Nested(ConditionRowOutSchema))


class DryRunArgsSchema(BaseSchema):
    dry_run = fields.Boolean(
        load_default=False,
        metadata={"description": "true: do the save, report what it would change, and write nothing"},
    )


class SaveResultSchema(BaseSchema):
    change_id = fields.String()
    collection_id = fields.String()
    level = fields.String()
    count = fields.Integer(metadata={"description": "rows changed at the level saved"})
    cascaded = fields.Dict(keys=fields.String(), values=fields.Integer())
    status_version = fields.Integer()
    dry_run = fields.Boolean(metadata={"description": "true when nothing was written (a preview)"})


class CollectionStatusSchema(_StatusFields):
    collection_id = fields.String()
    name = fields.String()
    collection_type = fields.String()


class InstitutionAcrossSchema(_InstitutionFields):
    collections = fields.List(fields.Nested(CollectionStatusSchema))


class HistoryArgsSchema(PageArgsSchema):
    institution_id = fields.UUID()
    level = fields.String(validate=validate.OneOf([lv.value for lv in Level]))
    subject_id = fields.UUID(metadata={"description": "specialism (department) or condition"})
    to_status = fields.String(validate=validate.OneOf(STATUSES))


class HistoryEntrySchema(BaseSchema):
    change_id = fields.String()
    collection_id = fields.String()
    level = fields.String()
    institution_id = fields.String()
    institution_name = fields.String(allow_none=True)
    subject_id = fields.String(allow_none=True)
    subject_name = fields.String(allow_none=True)
    from_status = fields.String(allow_none=True)
    to_status = fields.String(allow_none=True)
    remark_changed = fields.Boolean()
    changed_by = fields.String()
    changed_at = fields.DateTime()
    kind = fields.String()
    cascade = fields.Boolean()


class HistoryPageSchema(PagesSchema):
    items = fields.List(fields.Nested(HistoryEntrySchema))
