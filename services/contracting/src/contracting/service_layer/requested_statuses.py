"""R15/R16: the status an approved data change request asks for in the requester's collection.

``support.change_request.approved`` names the requester's collection and a status for the new data
(a new institution; a new condition at the named institutions; the departments and conditions an
offering change adds). The rows that status goes on appear only when the catalogue's own events
arrive (``institution.registered``, ``offering.changed``), and events on different queues arrive in
any order. So the wish is stored first (``requested_status``), applied at once if its row exists,
and otherwise applied by the catalogue handlers in the same transaction that adds the row
(:func:`apply_waiting`, registered in ``integration/inbound.py``). Whichever comes last, the
collection ends with the requested status, once.

A wish is applied as a user's save would be (``statuses.save_rows_in``: history, cascade of FULL and
NOT_CONTRACTED as in R7/R9, ``contracting.statuses.changed``), by the actor "Wijzigingsverzoek
DW-…". A wish that can no longer apply (the collection is gone or not the requester's, its year is
closed, R10/R11 refuse the status there) is settled as refused with the reason, and logged; it
never blocks the consumer.
"""

from __future__ import annotations

import logging
from typing import Any

from sqlalchemy import and_, insert, select, update

from contracting.adapters.access import get_collection
from contracting.adapters.orm import collection, condition, institution, requested_status
from contracting.adapters.scopes import key_column, status_table, target_where
from contracting.adapters.sql import new_id, now
from contracting.domain.commands import Actor, RowChange, SaveRows, Target
from contracting.domain.model import Level, Status, is_foreign
from contracting.service_layer.statuses import save_rows_in
from servicekit.db import UnitOfWork
from servicekit.exceptions import DomainError

log = logging.getLogger(__name__)

CASCADING = (Status.FULL, Status.NOT_CONTRACTED)  # R7/R9: the statuses that carry down


def _wishes(data: dict[str, Any], condition_specialism: dict[str, str]) -> list[dict[str, Any]]:
    """(level, institution, department, subject) for each row the request's status goes on."""
    proposal, new_ids, kind = data["proposal"], data["new_ids"], data["kind"]
    if kind == "new_institution":
        return [{"level": "institution", "institution_id": new_ids["institution_id"]}]
    if kind == "new_condition":
        return [
            {
                "level": "condition",
                "institution_id": institution_id,
                "specialism_id": proposal["specialism_id"],
                "subject_id": new_ids["condition_id"],
            }
            for institution_id in proposal["institution_ids"]
        ]
    institution_id = proposal["institution_id"]
    departments = [
        {"level": "department", "institution_id": institution_id, "subject_id": s}
        for s in proposal["add_specialism_ids"]
    ]
    conditions = [
        {
            "level": "condition",
            "institution_id": institution_id,
            "specialism_id": condition_specialism.get(c),
            "subject_id": c,
        }
        for c in proposal["add_condition_ids"]
    ]
    return departments + conditions


def request_approved(data: dict[str, Any], uow: UnitOfWork) -> None:
    """``support.change_request.approved``: store the requested status, and apply what can be applied now."""
    if not data.get("collection_id") or not data.get("collection_status"):
        return
    session = uow.session
    added = data["proposal"].get("add_condition_ids") or []
    specialism_of = dict(
        session.execute(select(condition.c.id, condition.c.specialism_id).where(condition.c.id.in_(added))).all()
    )
    wishes = _wishes(data, {str(k): str(v) for k, v in specialism_of.items()})
    common = {
        "request_id": data["request_id"],
        "request_number": data["number"],
        "insurer_id": data["insurer_id"],
        "collection_id": data["collection_id"],
        "status": data["collection_status"],
        "created_at": now(),
    }
    session.execute(
        insert(requested_status),
        [{"id": new_id(), "specialism_id": None, "subject_id": None, **common, **wish} for wish in wishes],
    )
    apply_waiting(uow, request_id=data["request_id"])


def apply_waiting(uow: UnitOfWork, *, institution_id: str | None = None, request_id: str | None = None) -> None:
    """Apply every waiting wish (of this institution or request) whose status row now exists."""
    query = select(requested_status).where(requested_status.c.outcome.is_(None))
    if institution_id:
        query = query.where(requested_status.c.institution_id == institution_id)
    if request_id:
        query = query.where(requested_status.c.request_id == request_id)
    for wish in uow.session.execute(query.order_by(requested_status.c.created_at)).mappings().all():
        _apply(uow, wish)


def _settle(uow: UnitOfWork, wish: Any, outcome: str, reason: str | None = None) -> None:
    uow.session.execute(
        update(requested_status)
        .where(requested_status.c.id == wish["id"])
        .values(outcome=outcome, outcome_reason=reason, settled_at=now())
    )
    if outcome == "refused":
        log.warning(
            "requested status not applied",
            extra={
                "fields": {"request": wish["request_number"], "collection_id": wish["collection_id"], "reason": reason}
            },
        )


def _current_version(uow: UnitOfWork, target: Target, key: str) -> int | None:
    table = status_table(target.level)
    return uow.session.execute(
        select(table.c.version).where(*target_where(target, table), key_column(target.level, table) == key)
    ).scalar_one_or_none()


def _foreign(uow: UnitOfWork, institution_id: str) -> bool:
    """R11: a foreign hospital never gets department or condition rows, so such a wish can never apply."""
    found = uow.session.execute(
        select(institution.c.country, institution.c.type).where(institution.c.id == institution_id)
    ).first()
    return found is not None and is_foreign(found.country, found.type)


def _apply(uow: UnitOfWork, wish: Any) -> None:
    session = uow.session
    owner = session.execute(
        select(collection.c.year).where(
            and_(collection.c.id == wish["collection_id"], collection.c.insurer_id == wish["insurer_id"])
        )
    ).scalar_one_or_none()
    if owner is None:
        _settle(uow, wish, "refused", "De collectie bestaat niet (meer) bij deze verzekeraar.")
        return
    level = Level(wish["level"])
    key = str(wish["subject_id"] or wish["institution_id"])
    institution = str(wish["institution_id"]) if level is not Level.INSTITUTION else None
    specialism = str(wish["specialism_id"]) if wish["specialism_id"] else None
    target = Target(str(wish["collection_id"]), level, institution, specialism)
    version = _current_version(uow, target, key)
    if version is None:
        if level is not Level.INSTITUTION and _foreign(uow, str(wish["institution_id"])):
            _settle(
                uow, wish, "refused", "R11: een buitenlands ziekenhuis heeft alleen een status op instellingsniveau."
            )
        return  # its row is not there yet: the catalogue's event will bring it
    actor = Actor(
        str(wish["insurer_id"]),
        int(owner),
        f"support:{wish['request_number']}",
        f"Wijzigingsverzoek {wish['request_number']}",
    )
    status = Status(wish["status"])
    cmd = SaveRows(
        target, (RowChange(key, status, version),), cascade=status in CASCADING and level is not Level.CONDITION
    )
    savepoint = session.begin_nested()
    try:
        collection_row = get_collection(session, actor, target.collection_id, for_write=True)
        save_rows_in(uow, actor, collection_row, cmd)
    except DomainError as refused:
        savepoint.rollback()
        _settle(uow, wish, "refused", refused.message)
        return
    savepoint.commit()
    _settle(uow, wish, "applied")
