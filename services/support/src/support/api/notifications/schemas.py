"""Schemas of the notifications resource."""

from marshmallow import fields, validate

from servicekit.schemas import BaseSchema
from support.queries import MAX_PAGE_SIZE


class NotificationSchema(BaseSchema):
    id = fields.String()
    subject_kind = fields.String(metadata={"description": "report (melding) of request (wijzigingsverzoek)."})
    subject_id = fields.String()
    subject_number = fields.String()
    message = fields.String()
    created_at = fields.DateTime()
    read_at = fields.DateTime(allow_none=True)
    unread = fields.Boolean()


class NotificationPageSchema(BaseSchema):
    items = fields.List(fields.Nested(NotificationSchema))
    total = fields.Integer()
    unread = fields.Integer(metadata={"description": "Aantal ongelezen berichten."})
    page = fields.Integer()


class NotificationQueryArgsSchema(BaseSchema):
    unread_only = fields.Boolean(load_default=False)
    page = fields.Integer(load_default=1, validate=validate.Range(min=1, max=1_000_000))
    page_size = fields.Integer(load_default=25, validate=validate.Range(min=1, max=MAX_PAGE_SIZE))


class MarkReadSchema(BaseSchema):
    ids = fields.List(fields.UUID(), load_default=list, metadata={"description": "Leeg: alle berichten."})


class MarkedSchema(BaseSchema):
    marked = fields.Integer()
