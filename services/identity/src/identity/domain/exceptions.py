"""Domain exceptions: each names the field it concerns (if any) and carries a Dutch message for the user."""

from __future__ import annotations


class DomainError(Exception):
    """Base of every business-rule refusal."""

    def __init__(self, message: str, field: str | None = None, messages: list[str] | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.field = field
        self.messages = messages or [message]


class InvalidInput(DomainError):
    """A value breaks a business rule (422)."""


class NotFound(DomainError):
    """The thing does not exist, or the caller may not know that it does (404)."""


class Forbidden(DomainError):
    """The caller may not do this (403)."""


class Conflict(DomainError):
    """The change clashes with the current state, e.g. a username already taken (409)."""


class InvalidCredentials(DomainError):
    """Unknown username, wrong password or deactivated account: one answer for all three (401)."""


class SessionInvalid(DomainError):
    """No live session or API key behind the credentials (401)."""


class PasswordChangeRequired(DomainError):
    """The right password, but an admin reset it: a new one must be chosen at this login (403)."""


class PasswordRejected(DomainError):
    """A new password breaks the password policy; ``messages`` names every broken rule (422)."""


class Throttled(DomainError):
    """Too many failed logins for this account or client address; try again after ``retry_after`` seconds (429)."""

    def __init__(self, message: str, retry_after: int) -> None:
        super().__init__(message)
        self.retry_after = retry_after
