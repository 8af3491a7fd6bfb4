"""Schemas of the notifications resource."""

from marshmallow import fields

from servicekit.schemas import BaseSchema, PageArgsSchema, PageSchema, page_size_field
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


class NotificationPageSchema(PageSchema):
    items = fields.List(fields.Nested(NotificationSchema))
    unread = fields.Integer(metadata={"description": "Aantal ongelezen berichten."})


class NotificationQueryArgsSchema(PageArgsSchema):
    unread_only = fields.Boolean(load_default=False)
    page_size = page_size_field(25, MAX_PAGE_SIZE)


class MarkReadSchema(BaseSchema):
    ids = fields.List(fields.UUID(), load_default=list, metadata={"description": "Leeg: alle berichten."})


class MarkedSchema(BaseSchema):
    marked = fields.Integer()
