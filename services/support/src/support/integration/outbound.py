"""Domain events -> integration events (``shared/contracts/events/support/*.v1.json``).

The composition root hands :func:`integration_events` to every unit of work; handlers only
``uow.emit(domain_event)``.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import asdict
from typing import Any

from support.domain.events import ChangeRequestApproved

CHANGE_REQUEST_APPROVED = "support.change_request.approved"


def integration_events(event: Any) -> Iterable[tuple[str, dict[str, Any]]]:
    if isinstance(event, ChangeRequestApproved):
        return [(CHANGE_REQUEST_APPROVED, asdict(event))]
    raise TypeError(f"no integration event for {type(event).__name__}")
