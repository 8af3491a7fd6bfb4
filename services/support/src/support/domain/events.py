"""Domain events the support service records; ``integration/outbound.py`` maps them to integration events."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class ChangeRequestApproved:
    """R15/R16: the maintainer approved a data change request; the catalogue is to take it over.

    ``new_ids`` are the catalogue ids the new institution or condition is to get: chosen here, so
    that contracting can give the requester's collection its status whichever event arrives first.
    """

    request_id: str
    number: str
    insurer_id: str
    kind: str
    proposal: dict[str, Any]
    new_ids: dict[str, str]
    collection_id: str | None
    collection_status: str | None
