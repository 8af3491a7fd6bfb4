"""Read side (CQRS-lite): plain SELECTs returning dicts, no domain objects, no writes.

Every query takes the viewer's insurer (``None`` for a maintainer): an insurer's user sees its own
insurer's reports and requests only, and a link to another insurer's request shows no number.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from datetime import date
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from servicekit.paging import count as _total
from servicekit.paging import page_of as _page
from servicekit.paging import paged
from support.adapters.orm import change_request, notification, problem_report, report_comment
from support.domain.model import OPEN_REQUEST_STATUSES, REPORT_STATUS_NAMES, REQUEST_STATUS_NAMES

MAX_PAGE_SIZE = 100


# -- reports -------------------------------------------------------------------------------------------


def _report(row: Any) -> dict[str, Any]:
    item = dict(row._mapping)
    item["status_name"] = REPORT_STATUS_NAMES[item["status"]]
    return item


def list_reports(
    session: Session, insurer_id: str | None, *, status: str | None, page: int, page_size: int
) -> dict[str, Any]:
    query = select(problem_report).order_by(problem_report.c.created_at.desc(), problem_report.c.number.desc())
    if insurer_id is not None:
        query = query.where(problem_report.c.insurer_id == insurer_id)
    if status:
        query = query.where(problem_report.c.status == status)
    return paged(session, query, page=page, page_size=page_size, item=_report)


def get_report(session: Session, insurer_id: str | None, report_id: str) -> dict[str, Any] | None:
    query = select(problem_report).where(problem_report.c.id == report_id)
    if insurer_id is not None:
        query = query.where(problem_report.c.insurer_id == insurer_id)
    row = session.execute(query).first()
    if row is None:
        return None
    item = _report(row)
    comments = session.execute(
        select(report_comment).where(report_comment.c.report_id == report_id).order_by(report_comment.c.created_at)
    ).all()
    item["comments"] = [dict(comment._mapping) for comment in comments]
    return item


# -- change requests -----------------------------------------------------------------------------------


def _request(row: Any, insurer_id: str | None, today: date, linked: dict[str, Any]) -> dict[str, Any]:
    item = dict(row._mapping)
    item.pop("duplicate_key", None)
    item["proposal"] = json.loads(item["proposal"])
    item["status_name"] = REQUEST_STATUS_NAMES[item["status"]]
    item["overdue"] = item["status"] in OPEN_REQUEST_STATUSES and item["due_on"] < today
    link: dict[str, Any] | None = linked.get(item["linked_request_id"]) if item["linked_request_id"] else None
    if link is not None and (insurer_id is None or link["insurer_id"] == insurer_id):
        item["linked_request_number"] = link["number"]
    else:  # another insurer's request: neither its id nor its number is shown
        item["linked_request_number"] = None
        item["linked_request_id"] = None
    return item


def _links(session: Session, rows: Sequence[Any]) -> dict[str, Any]:
    ids = {row.linked_request_id for row in rows if row.linked_request_id}
    if not ids:
        return {}
    found = session.execute(
        select(change_request.c.id, change_request.c.number, change_request.c.insurer_id).where(
            change_request.c.id.in_(ids)
        )
    ).all()
    return {row.id: dict(row._mapping) for row in found}


def list_requests(
    session: Session,
    insurer_id: str | None,
    today: date,
    *,
    status: str | None,
    overdue: bool | None,
    page: int,
    page_size: int,
) -> dict[str, Any]:
    """Oldest first, so the maintainer answers in order; ``overdue`` flags an open request past its due date."""
    query = select(change_request).order_by(change_request.c.created_at, change_request.c.number)
    if insurer_id is not None:
        query = query.where(change_request.c.insurer_id == insurer_id)
    if status:
        query = query.where(change_request.c.status == status)
    if overdue is not None:
        late = change_request.c.status.in_(OPEN_REQUEST_STATUSES) & (change_request.c.due_on < today)
        query = query.where(late if overdue else ~late)
    rows = session.execute(_page(query, page, page_size)).all()
    linked = _links(session, rows)
    return {
        "items": [_request(row, insurer_id, today, linked) for row in rows],
        "total": _total(session, query),
        "page": page,
    }


def get_request(session: Session, insurer_id: str | None, request_id: str, today: date) -> dict[str, Any] | None:
    query = select(change_request).where(change_request.c.id == request_id)
    if insurer_id is not None:
        query = query.where(change_request.c.insurer_id == insurer_id)
    row = session.execute(query).first()
    return _request(row, insurer_id, today, _links(session, [row])) if row else None


# -- notifications -------------------------------------------------------------------------------------


def list_notifications(
    session: Session, recipient_id: str, *, unread_only: bool, page: int, page_size: int
) -> dict[str, Any]:
    query = select(notification).where(notification.c.recipient_id == recipient_id)
    if unread_only:
        query = query.where(notification.c.read_at.is_(None))
    query = query.order_by(notification.c.created_at.desc())
    rows = session.execute(_page(query, page, page_size)).all()
    unread = session.execute(
        select(func.count()).where(notification.c.recipient_id == recipient_id, notification.c.read_at.is_(None))
    ).scalar_one()
    items = [dict(row._mapping) | {"unread": row.read_at is None} for row in rows]
    return {"items": items, "total": _total(session, query), "unread": int(unread), "page": page}
