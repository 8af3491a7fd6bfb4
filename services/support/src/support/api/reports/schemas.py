"""Schemas of the problem reports resource."""

from marshmallow import fields, validate

from servicekit.schemas import BaseSchema, PageArgsSchema, PageSchema, page_size_field
from support.api.common import CaseSchema
from support.domain.model import ReportStatus
from support.queries import MAX_PAGE_SIZE

MULTILINE = {"multiline": True}


class CommentSchema(BaseSchema):
    id = fields.String()
    side = fields.String(metadata={"description": "insurer (de melder) of maintainer (de beheerder)."})
    author_name = fields.String()
    body = fields.String()
    created_at = fields.DateTime()


class ReportSchema(CaseSchema):
    number = fields.String(metadata={"description": "Leesbaar nummer, bijvoorbeeld MP-2026-0001."})
    name = fields.String()
    email = fields.String()
    description = fields.String()
    about_screen = fields.String(allow_none=True)
    about_collection_id = fields.String(allow_none=True)
    status = fields.String(metadata={"description": "new, in_progress, waiting_for_reporter, resolved, closed."})
    assignee = fields.String(allow_none=True)
    comments = fields.List(fields.Nested(CommentSchema))


class ReportPageSchema(PageSchema):
    items = fields.List(fields.Nested(ReportSchema))


class ReportCreateSchema(BaseSchema):
    name = fields.String(required=True, metadata={"description": "Vooraf ingevuld met de ingelogde gebruiker."})
    email = fields.String(required=True)
    description = fields.String(required=True, metadata=MULTILINE)
    about_screen = fields.String(allow_none=True, metadata={"description": "Het scherm waar het over gaat."})
    about_collection_id = fields.UUID(allow_none=True, metadata={"description": "De collectie waar het over gaat."})


class ReportQueryArgsSchema(PageArgsSchema):
    status = fields.String(validate=validate.OneOf([s.value for s in ReportStatus]))
    page_size = page_size_field(25, MAX_PAGE_SIZE)


class CommentCreateSchema(BaseSchema):
    body = fields.String(required=True, metadata=MULTILINE)


class ReportStatusSchema(BaseSchema):
    status = fields.String(required=True, validate=validate.OneOf([s.value for s in ReportStatus]))


class AssigneeSchema(BaseSchema):
    assignee = fields.String(
        load_default=None, metadata={"description": "Gebruikersnaam van de behandelaar; leeg: uzelf."}
    )
