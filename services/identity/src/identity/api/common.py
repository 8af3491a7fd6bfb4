"""What every identity route shares: the runtime, the caller as an ``Actor``, domain errors -> HTTP, Dutch field errors."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from flask import current_app, g
from flask_smorest import abort
from marshmallow import fields, validate

from identity.bootstrap import Runtime
from identity.domain.exceptions import (
    Conflict,
    DomainError,
    Forbidden,
    InvalidCredentials,
    InvalidInput,
    NotFound,
    PasswordChangeRequired,
    PasswordRejected,
    SessionInvalid,
    Throttled,
)
from identity.domain.model import Actor
from servicekit.auth import Principal, require_principal

STATUS: dict[type[DomainError], int] = {
    InvalidInput: 422,
    PasswordRejected: 422,
    NotFound: 404,
    Forbidden: 403,
    PasswordChangeRequired: 403,
    Conflict: 409,
    InvalidCredentials: 401,
    SessionInvalid: 401,
    Throttled: 429,
}

DUTCH_FIELD_ERRORS: dict[str, Any] = {
    "required": "Verplicht veld.",
    "null": "Mag niet leeg (null) zijn.",
    "invalid": "Ongeldige waarde.",
}


def runtime() -> Runtime:
    built: Runtime = current_app.extensions["runtime"]
    return built


def actor(*roles: str) -> Actor:
    """The verified caller (401 when none, 403 when none of ``roles`` is held) as a domain ``Actor``."""
    principal: Principal = require_principal(*roles)
    return Actor(
        subject=principal.subject,
        roles=principal.roles,
        tenant_id=principal.tenant_id,
        session_id=principal.session_id,
    )


def add_response_header(name: str, value: str) -> None:
    """Headers for the response, error responses included (see ``create_app``)."""
    headers: dict[str, str] = g.setdefault("extra_headers", {})
    headers[name] = value


@contextmanager
def domain_errors() -> Iterator[None]:
    """Map domain exceptions to the common error body, naming the field and the broken rule."""
    try:
        yield
    except DomainError as exc:
        status = next(code for kind, code in STATUS.items() if isinstance(exc, kind))
        if isinstance(exc, Throttled):
            add_response_header("Retry-After", str(exc.retry_after))
        if status == 401:
            add_response_header("WWW-Authenticate", 'Bearer realm="zcp"')
        errors: dict[str, Any] | None = {exc.field: exc.messages} if exc.field else None
        abort(status, message=exc.message, errors=errors)


def text(*, required: bool = False, max_length: int = 200, **kwargs: Any) -> fields.String:
    return fields.String(
        required=required,
        validate=validate.Length(min=1, max=max_length, error=f"Tussen 1 en {max_length} tekens."),
        error_messages={**DUTCH_FIELD_ERRORS, "invalid": "Tekst verwacht."},
        **kwargs,
    )


def password_field(*, required: bool = True, **kwargs: Any) -> fields.String:
    # The policy decides about length; this bound only keeps absurd input away from argon2.
    return fields.String(
        required=required,
        validate=validate.Length(max=1024, error="Hoogstens 1024 tekens."),
        error_messages={**DUTCH_FIELD_ERRORS, "invalid": "Tekst verwacht."},
        load_only=True,
        **kwargs,
    )
