"""Domain errors: the one base every service's business-rule refusals subclass.

Pure Python (no Flask): a service's ``domain/`` raises them. Each carries its HTTP ``status`` as a
class attribute, a Dutch ``message`` for the user and, when it concerns one field, the ``field`` and
the numbered ``rule`` it enforces (e.g. ``R11``). The app chassis (``servicekit.errors``) turns any
of them, raised anywhere in a request, into the common error body ``{code, status, message, errors}``
where ``errors`` maps the field to ``"R11: <message>"``. Routes therefore never map errors themselves.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, ClassVar


class DomainError(Exception):
    """A business rule refuses the request.

    ``errors``: an explicit ``{field: [reasons]}`` when several fields are wrong at once; otherwise it is
    derived from ``field`` (and ``rule``) and ``messages`` (default: the message itself). ``details`` is
    extra structured information (e.g. a line-by-line import report), given under ``errors.details``.
    """

    status: ClassVar[int] = 422

    def __init__(
        self,
        message: str,
        errors: Mapping[str, Any] | None = None,
        *,
        field: str | None = None,
        rule: str | None = None,
        messages: list[str] | None = None,
        details: Any = None,
    ) -> None:
        super().__init__(message)
        self.message = message
        self.field = field
        self.rule = rule
        self.messages = messages or [message]
        self.details = details
        self._errors = dict(errors) if errors is not None else None

    @property
    def errors(self) -> dict[str, Any] | None:
        """``{field: ["R…: reason", …]}`` for the error body, or ``None`` when no field is concerned."""
        errors = self._errors
        if errors is None and self.field is not None:
            prefix = f"{self.rule}: " if self.rule else ""
            errors = {self.field: [prefix + message for message in self.messages]}
        if self.details is not None:
            errors = (errors or {}) | {"details": self.details}
        return errors

    def headers(self) -> dict[str, str]:
        """Extra response headers (e.g. ``Retry-After``); none by default."""
        return {}


class InvalidInput(DomainError):
    """A value breaks a business rule (422)."""

    status = 422


class NotFound(DomainError):
    """The thing does not exist, or the caller may not know that it does (404)."""

    status = 404


class Forbidden(DomainError):
    """The caller may not do this (403)."""

    status = 403


class Conflict(DomainError):
    """The request clashes with the current state: a duplicate, a closed year, a stale version (409)."""

    status = 409


class Unauthenticated(DomainError):
    """No valid credentials behind the request (401)."""

    status = 401
