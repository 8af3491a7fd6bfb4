"""Schemas of users (and of the user in a login answer)."""

from __future__ import annotations

from marshmallow import fields, validate

from identity.api.common import password_field, text
from identity.domain.model import USER_ROLES
from servicekit.schemas import BaseSchema


class InsurerRefSchema(BaseSchema):
    id = fields.String(required=True)
    name = fields.String(required=True)


class UserSchema(BaseSchema):
    id = fields.String(required=True)
    username = fields.String(required=True)
    display_name = fields.String(required=True)
    role = fields.String(required=True, metadata={"enum": list(USER_ROLES)})
    roles = fields.List(fields.String(), metadata={"description": "Roles the identity token carries"})
    insurer = fields.Nested(InsurerRefSchema, allow_none=True)
    active = fields.Boolean(required=True)
    must_change_password = fields.Boolean(required=True)
    created_at = fields.DateTime()
    deactivated_at = fields.DateTime(allow_none=True)


def role_field(*, required: bool) -> fields.String:
    return fields.String(
        required=required,
        validate=validate.OneOf(USER_ROLES, error="Kies een van: " + ", ".join(USER_ROLES) + "."),
    )


class UserCreateSchema(BaseSchema):
    username = text(required=True, max_length=64)
    display_name = text(required=True)
    role = role_field(required=True)
    insurer_id = fields.UUID(
        load_default=None,
        allow_none=True,
        error_messages={"invalid_uuid": "Ongeldig id."},
        metadata={"description": "Required for insurer roles; an insurer admin may leave it out (its own insurer)"},
    )
    password = password_field(
        metadata={"description": "Initial password; the user must choose a new one at first login"}
    )


class UserUpdateSchema(BaseSchema):
    display_name = text()
    role = role_field(required=False)


class UserQueryArgsSchema(BaseSchema):
    insurer_id = fields.UUID(load_default=None, error_messages={"invalid_uuid": "Ongeldig id."})
    active = fields.Boolean(load_default=None, allow_none=True)


class PasswordResetSchema(BaseSchema):
    new_password = password_field(
        metadata={"description": "Temporary password; the user must choose a new one at next login"}
    )


class PasswordChangeSchema(BaseSchema):
    current_password = password_field()
    new_password = password_field()
