"""Domain exceptions. Routes map them to HTTP statuses; messages are Dutch (they reach the user)."""

from __future__ import annotations


class CatalogueError(Exception):
    """Base: a user-facing Dutch ``message`` and optional ``errors`` per field."""

    def __init__(self, message: str, errors: dict[str, list[str]] | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.errors = errors


class InvalidInput(CatalogueError):
    """A value breaks a rule (format, unknown reference, inconsistent fields): 422."""


class RuleViolation(CatalogueError):
    """A numbered domain rule (e.g. R11) forbids the change: 422, the message names the rule."""


class NotFound(CatalogueError):
    """The addressed entity does not exist: 404."""


class Conflict(CatalogueError):
    """The change clashes with current state (duplicate, already closed, retired): 409."""


class ImportRejected(CatalogueError):
    """A bulk import was refused as a whole; ``rows`` lists every bad row (line, field, reason)."""

    def __init__(self, message: str, rows: list[dict[str, object]]) -> None:
        super().__init__(message)
        self.rows = rows
