"""Schemas of contract years, rollover jobs and reference lists."""

from marshmallow import fields, validate

from servicekit.schemas import BaseSchema


class YearSchema(BaseSchema):
    year = fields.Integer()
    state = fields.String()
    collections = fields.Integer()


class YearArgsSchema(BaseSchema):
    insurer_id = fields.UUID(metadata={"description": "platform admin only: the insurer"})


class RolloverCreateSchema(BaseSchema):
    from_year = fields.Integer(strict=True, validate=validate.Range(min=2000, max=2999))
    insurer_id = fields.UUID(
        allow_none=True,
        metadata={"description": "platform admin: one insurer, or omitted for all; an insurer admin: its own"},
    )


class RolloverJobSchema(BaseSchema):
    job_id = fields.String()
    insurer_id = fields.String(allow_none=True)
    from_year = fields.Integer()
    to_year = fields.Integer()
    state = fields.String(metadata={"description": "queued | running | done | failed"})
    rows_total = fields.Integer()
    rows_done = fields.Integer()
    percent = fields.Float()
    collections_copied = fields.Integer()
    requested_by = fields.String()
    created_at = fields.DateTime()
    started_at = fields.DateTime(allow_none=True)
    finished_at = fields.DateTime(allow_none=True)
    error = fields.String(allow_none=True)


class ReferenceListsSchema(BaseSchema):
    collection_types = fields.Dict(keys=fields.String(), values=fields.String())
    care_types = fields.Dict(keys=fields.String(), values=fields.String())
    statuses = fields.List(fields.Dict())
    institution_types = fields.List(fields.String())
