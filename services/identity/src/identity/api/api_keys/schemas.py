"""Schemas of publication consumers' API keys."""

from __future__ import annotations

from marshmallow import fields

from identity.api.common import text
from servicekit.schemas import BaseSchema


class ApiKeySchema(BaseSchema):
    id = fields.String(required=True)
    name = fields.String(required=True)
    prefix = fields.String(required=True, metadata={"description": "First characters of the key, to recognise it"})
    created_at = fields.DateTime(required=True)
    revoked_at = fields.DateTime(allow_none=True)
    last_used_at = fields.DateTime(allow_none=True)


class ApiKeyCreatedSchema(ApiKeySchema):
    key = fields.String(
        required=True, metadata={"description": "The key itself: shown this once, only its hash is stored"}
    )


class ApiKeyCreateSchema(BaseSchema):
    name = text(required=True, metadata={"description": "Who uses it, e.g. 'Independer'"})
