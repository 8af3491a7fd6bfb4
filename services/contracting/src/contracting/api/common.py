"""What every route shares: the caller as an :class:`Actor`, and domain exceptions -> common error body."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from flask import current_app
from flask_smorest import abort

from contracting.bootstrap import Runtime
from contracting.domain.commands import Actor
from contracting.domain.exceptions import (
    Conflict,
    ContractingError,
    Forbidden,
    InvalidInput,
    NotFound,
    PreconditionFailed,
    PreconditionRequired,
    StaleData,
)
from servicekit.auth import Principal, require_principal

INSURER_ROLES = ("insurer_user", "insurer_admin")
ROLLOVER_ROLES = ("insurer_admin", "platform_admin")

# Most specific first: PreconditionFailed is a StaleData.
HTTP_STATUS: tuple[tuple[type[ContractingError], int], ...] = (
    (NotFound, 404),
    (PreconditionFailed, 412),
    (PreconditionRequired, 428),
    (StaleData, 409),
    (Conflict, 409),
    (Forbidden, 403),
    (InvalidInput, 422),
)


def runtime() -> Runtime:
    return current_app.extensions["runtime"]  # type: ignore[no-any-return]


def actor_of(principal: Principal) -> Actor:
    if not principal.tenant_id or principal.contract_year is None:
        abort(403, message="Uw sessie hoort niet bij een verzekeraar en contractjaar; log opnieuw in.")
    return Actor(
        insurer_id=str(principal.tenant_id),
        year=int(principal.contract_year or 0),
        user_id=principal.subject,
        user_name=principal.username or principal.subject,
    )


def insurer_actor() -> Actor:
    """The logged-in insurer user or admin, scoped to its own insurer and login year."""
    return actor_of(require_principal(*INSURER_ROLES))


@contextmanager
def domain_errors() -> Iterator[None]:
    """Translate a domain exception into the common error body, naming field and rule."""
    try:
        yield
    except ContractingError as exc:
        status = next((code for cls, code in HTTP_STATUS if isinstance(exc, cls)), 422)
        errors: Any = exc.errors()
        if exc.details is not None:
            errors = (errors or {}) | {"details": exc.details}
        abort(status, message=exc.message, errors=errors)
