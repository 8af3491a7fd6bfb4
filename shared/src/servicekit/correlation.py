"""The correlation id of the current request or message, and the id of the message that caused it.

Kept in context variables so that logging, the outbox and outgoing HTTP calls can read them without
passing them through every function.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar

_correlation_id: ContextVar[str | None] = ContextVar("correlation_id", default=None)
_causation_id: ContextVar[str | None] = ContextVar("causation_id", default=None)

CORRELATION_HEADER = "X-Correlation-ID"
REQUEST_ID_HEADER = "X-Request-ID"


def new_id() -> str:
    return str(uuid.uuid4())


def current_correlation_id() -> str | None:
    return _correlation_id.get()


def current_causation_id() -> str | None:
    return _causation_id.get()


@contextmanager
def correlation_scope(correlation_id: str | None, causation_id: str | None = None) -> Iterator[str]:
    """Run a block under a correlation id (a new one when none is given)."""
    cid = correlation_id or new_id()
    token_c = _correlation_id.set(cid)
    token_k = _causation_id.set(causation_id)
    try:
        yield cid
    finally:
        _correlation_id.reset(token_c)
        _causation_id.reset(token_k)


def bind(correlation_id: str, causation_id: str | None = None) -> None:
    """Set the ids for the rest of this request; :func:`unbind` at its end (the thread serves the next one)."""
    _correlation_id.set(correlation_id)
    _causation_id.set(causation_id)


def unbind() -> None:
    _correlation_id.set(None)
    _causation_id.set(None)
