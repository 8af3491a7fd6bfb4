"""Domain exceptions: the kit's kinds (``servicekit.exceptions``), and those of optimistic concurrency.

Each carries a Dutch message for the user, the field it concerns and the rule it enforces; its class
gives the HTTP status. The chassis turns them into the common error body (``errors``: field -> "R…: …").
"""

from __future__ import annotations

from servicekit.exceptions import Conflict, DomainError, Forbidden, InvalidInput, NotFound

__all__ = [
    "Conflict",
    "DomainError",
    "Forbidden",
    "InvalidInput",
    "NotFound",
    "PreconditionFailed",
    "PreconditionRequired",
    "StaleData",
    "UnknownReference",
]


class StaleData(Conflict):
    """Optimistic concurrency: someone else changed the rows since they were read (409)."""


class PreconditionFailed(StaleData):
    """An ``If-Match`` collection version no longer matches (412)."""

    status = 412


class PreconditionRequired(DomainError):
    """ "Apply to all shown" without the collection version it was shown at (428)."""

    status = 428


class UnknownReference(Exception):
    """An inbound event refers to a catalogue entity not known yet (out of order): retry later."""
