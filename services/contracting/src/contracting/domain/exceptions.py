"""Domain exceptions: each carries a Dutch message for the user, the field it concerns and the rule it enforces.

The API maps the class to an HTTP status (see ``contracting.api.common``); the message and the
``errors`` mapping end up in the common error body.
"""

from __future__ import annotations

from typing import Any


class ContractingError(Exception):
    """Base class: ``message`` is shown to the user (Dutch), ``field`` and ``rule`` name what was broken."""

    def __init__(self, message: str, *, field: str | None = None, rule: str | None = None, details: Any = None) -> None:
        super().__init__(message)
        self.message = message
        self.field = field
        self.rule = rule
        self.details = details

    def errors(self) -> dict[str, list[str]] | None:
        if self.field is None:
            return None
        prefix = f"{self.rule}: " if self.rule else ""
        return {self.field: [prefix + self.message]}


class NotFound(ContractingError):
    """The thing does not exist for this insurer and year (another insurer's data looks the same: absent)."""


class InvalidInput(ContractingError):
    """The request breaks a domain rule (422)."""


class Conflict(ContractingError):
    """The request conflicts with the current state: a closed year, a linked collection, a duplicate name (409)."""


class StaleData(ContractingError):
    """Optimistic concurrency: someone else changed the rows since they were read (409/412)."""


class PreconditionFailed(StaleData):
    """An ``If-Match`` collection version no longer matches (412)."""


class PreconditionRequired(ContractingError):
    """ "Apply to all shown" without the collection version it was shown at (428)."""


class Forbidden(ContractingError):
    """The caller may not do this (403)."""


class UnknownReference(Exception):
    """An inbound event refers to a catalogue entity not known yet (out of order): retry later."""
