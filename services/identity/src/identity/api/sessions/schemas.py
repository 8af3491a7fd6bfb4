"""Schemas of sessions (R1)."""

from __future__ import annotations

from marshmallow import fields, validate

from identity.api.common import password_field
from identity.api.users.schemas import UserSchema
from identity.domain.model import MAX_CONTRACT_YEAR, MIN_CONTRACT_YEAR
from servicekit.schemas import BaseSchema


class SessionCreateSchema(BaseSchema):
    contract_year = fields.Integer(
        required=True,
        strict=True,
        validate=validate.Range(
            MIN_CONTRACT_YEAR,
            MAX_CONTRACT_YEAR,
            error=f"Contractjaar: een jaar van {MIN_CONTRACT_YEAR} tot en met {MAX_CONTRACT_YEAR}.",
        ),
        error_messages={"invalid": "Contractjaar: een geheel getal."},
    )
    username = fields.String(
        required=True,
        validate=validate.Length(min=1, max=200, error="Tussen 1 en 200 tekens."),
    )
    password = password_field()
    new_password = password_field(
        required=False,
        load_default=None,
        metadata={"description": "Only when an admin reset the password: the new password, chosen at this login"},
    )


class SessionSchema(BaseSchema):
    token = fields.String(required=True, metadata={"description": "Send as 'Authorization: Bearer <token>'"})
    session_id = fields.String(required=True)
    contract_year = fields.Integer(required=True)
    expires_after_idle_seconds = fields.Integer(required=True)
    user = fields.Nested(UserSchema, required=True)


class CurrentSessionSchema(BaseSchema):
    session_id = fields.String(allow_none=True)
    contract_year = fields.Integer(allow_none=True)
    user = fields.Nested(UserSchema, required=True)


class ContractYearsSchema(BaseSchema):
    open_years = fields.List(
        fields.Integer(), required=True, metadata={"description": "OPEN_CONTRACT_YEARS, ascending"}
    )
