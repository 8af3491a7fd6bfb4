"""Commands: what a reporter, requester or maintainer asks. Imperative names, plain data."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from support.domain.model import Side


@dataclass(frozen=True)
class Actor:
    """Who acts. An insurer's user acts for ``insurer_id``; a maintainer (or platform admin) for none."""

    side: Side
    user_id: str
    user_name: str
    insurer_id: str | None = None


@dataclass(frozen=True)
class CreateReport:
    actor: Actor
    fields: dict[str, Any]
    at: datetime


@dataclass(frozen=True)
class CommentOnReport:
    actor: Actor
    report_id: str
    body: str
    at: datetime


@dataclass(frozen=True)
class ChangeReportStatus:
    actor: Actor
    report_id: str
    status: str
    at: datetime


@dataclass(frozen=True)
class AssignReport:
    actor: Actor
    report_id: str
    assignee: str
    at: datetime


@dataclass(frozen=True)
class SubmitChangeRequest:
    actor: Actor
    kind: str
    proposal: dict[str, Any]
    at: datetime
    requester_name: str | None = None
    requester_email: str | None = None
    explanation: str | None = None
    collection_id: str | None = None
    collection_status: str | None = None


@dataclass(frozen=True)
class CorrectChangeRequest:
    """The maintainer corrects the proposed data before deciding (only the fields sent change)."""

    actor: Actor
    request_id: str
    proposal: dict[str, Any]
    at: datetime
    version: int | None = None


@dataclass(frozen=True)
class ChangeRequestStatus:
    actor: Actor
    request_id: str
    status: str
    at: datetime
    reason: str | None = None
    version: int | None = None


@dataclass(frozen=True)
class MarkNotificationsRead:
    recipient_id: str
    at: datetime
    notification_ids: list[str] = field(default_factory=list)  # empty: all of them
