"""Domain exceptions: the kit's kinds (``servicekit.exceptions``), and identity's own refusals.

Each names the field it concerns (if any) and carries a Dutch message for the user; its class gives
the HTTP status.
"""

from __future__ import annotations

from servicekit.exceptions import Conflict, DomainError, Forbidden, InvalidInput, NotFound, Unauthenticated

__all__ = [
    "Conflict",
    "DomainError",
    "Forbidden",
    "InvalidCredentials",
    "InvalidInput",
    "NotFound",
    "PasswordChangeRequired",
    "PasswordRejected",
    "SessionInvalid",
    "Throttled",
]


class InvalidCredentials(Unauthenticated):
    """Unknown username, wrong password or deactivated account: one answer for all three (401)."""


class SessionInvalid(Unauthenticated):
    """No live session or API key behind the credentials (401)."""


class PasswordChangeRequired(Forbidden):
    """The right password, but an admin reset it: a new one must be chosen at this login (403)."""


class PasswordRejected(InvalidInput):
    """A new password breaks the password policy; ``messages`` names every broken rule (422)."""


class Throttled(DomainError):
    """Too many failed logins for this account or client address; try again after ``retry_after`` seconds (429)."""

    status = 429

    def __init__(self, message: str, retry_after: int) -> None:
        super().__init__(message)
        self.retry_after = retry_after

    def headers(self) -> dict[str, str]:
        return {"Retry-After": str(self.retry_after)}
