"""Schemas of insurers (the tenants)."""

from __future__ import annotations

from marshmallow import fields

from identity.api.common import text
from servicekit.schemas import BaseSchema


class InsurerSchema(BaseSchema):
    id = fields.String(required=True, metadata={"description": "uuid5(NAMESPACE_URL, 'zcp:insurer:' + slug)"})
    slug = fields.String(required=True)
    name = fields.String(required=True)


class InsurerCreateSchema(BaseSchema):
    slug = text(required=True, max_length=64, metadata={"description": "Stable code, e.g. 'menzis'; fixes the id"})
    name = text(required=True)


class InsurerUpdateSchema(BaseSchema):
    name = text(required=True)
