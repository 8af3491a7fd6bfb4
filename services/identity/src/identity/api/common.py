"""What identity's routes share: the caller as a domain ``Actor``, and the text fields of its schemas."""

from __future__ import annotations

from typing import Any

from marshmallow import fields, validate

from identity.domain.model import Actor
from servicekit.auth import require_principal


def actor() -> Actor:
    """The verified caller (the route's ``requires`` has let it in) as a domain ``Actor``."""
    principal = require_principal()
    return Actor(
        subject=principal.subject,
        roles=principal.roles,
        tenant_id=principal.tenant_id,
        session_id=principal.session_id,
    )


def text(*, required: bool = False, max_length: int = 200, **kwargs: Any) -> fields.String:
    return fields.String(
        required=required,
        validate=validate.Length(min=1, max=max_length, error=f"Tussen 1 en {max_length} tekens."),
        **kwargs,
    )


def password_field(*, required: bool = True, **kwargs: Any) -> fields.String:
    # The policy decides about length; this bound only keeps absurd input away from argon2.
    return fields.String(
        required=required,
        validate=validate.Length(max=1024, error="Hoogstens 1024 tekens."),
        load_only=True,
        **kwargs,
    )
