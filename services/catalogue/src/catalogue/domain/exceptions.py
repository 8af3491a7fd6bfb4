"""Domain exceptions: the kit's kinds (``servicekit.exceptions``, each with its HTTP status), and two of our own.

Messages are Dutch (they reach the user); ``errors`` names every field concerned.
"""

from __future__ import annotations

from servicekit.exceptions import Conflict, DomainError, InvalidInput, NotFound

__all__ = ["Conflict", "DomainError", "ImportRejected", "InvalidInput", "NotFound", "RuleViolation"]


class RuleViolation(InvalidInput):
    """A numbered domain rule (e.g. R11) forbids the change: 422, the message names the rule."""


class ImportRejected(InvalidInput):
    """A bulk import was refused as a whole; ``rows`` lists every bad row (line, field, reason)."""

    def __init__(self, message: str, rows: list[dict[str, object]]) -> None:
        super().__init__(message, {"rows": rows})
        self.rows = rows
