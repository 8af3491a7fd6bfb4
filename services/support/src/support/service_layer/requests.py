"""R15 data change requests ("Data wijzigingsverzoek"): submit, correct, review, decide, withdraw.

The proposal is checked against the local catalogue copy on submission, on correction and again on
approval (the catalogue may have changed meanwhile). A request that repeats an open one is accepted
and linked to it, so the maintainer handles them together. On approval the event
``support.change_request.approved`` goes out through the outbox with the ids the new institution or
condition is to get; the catalogue registers it and contracting gives the requester's collection the
requested status (R16).
"""

from __future__ import annotations

import json
from datetime import date, datetime
from typing import Any
from zoneinfo import ZoneInfo

from servicekit.db import UnitOfWork
from servicekit.exceptions import Conflict, NotFound
from support.adapters import repository
from support.domain import change_requests, commands, model
from support.domain.events import ChangeRequestApproved
from support.domain.working_days import answer_due_on
from support.service_layer.notify import Subject, tell

REQUEST_PREFIX = "DW"
DUTCH_TIME = ZoneInfo("Europe/Amsterdam")


def local_day(at: datetime) -> date:
    return at.astimezone(DUTCH_TIME).date()


def _load(uow: UnitOfWork, actor: commands.Actor, request_id: str, version: int | None = None) -> Any:
    row = repository.get_request(uow.session, request_id, for_update=True)
    if row is None or (actor.side is model.Side.INSURER and row.insurer_id != actor.insurer_id):
        raise NotFound(f"Wijzigingsverzoek {request_id} bestaat niet.")
    if version is not None and version != row.version:
        raise Conflict(
            "Dit verzoek is intussen gewijzigd; laad het opnieuw en probeer het nog eens.", field="version", rule="R15"
        )
    return row


def _requester(row: Any) -> Subject:
    return Subject(
        "request", row.id, row.number, row.insurer_id, row.requester_id, row.requester_name, row.requester_email
    )


def submit_request(cmd: commands.SubmitChangeRequest, uow: UnitOfWork) -> str:
    """R15: a new request, checked against the catalogue copy; due in five working days."""
    kind = change_requests.request_kind(cmd.kind)
    collection_id, collection_status = change_requests.collection_target(kind, cmd.collection_id, cmd.collection_status)
    note = change_requests.explanation(cmd.explanation)
    name = model.optional_text(cmd.requester_name, "requester_name", "R15", label="Uw naam") or cmd.actor.user_name
    email = model.email_address(cmd.requester_email, "requester_email", "R15", required=False)
    request_id = repository.new_id()
    submitted_on = local_day(cmd.at)
    with uow:
        proposal = change_requests.build_proposal(kind, cmd.proposal, repository.CatalogueCopy(uow.session))
        key = change_requests.duplicate_key(kind, proposal)
        earlier = repository.open_request_with_key(uow.session, key)
        repository.add_request(
            uow.session,
            {
                "id": request_id,
                "number": repository.next_number(uow.session, REQUEST_PREFIX, cmd.at.year),
                "insurer_id": cmd.actor.insurer_id,
                "requester_id": cmd.actor.user_id,
                "requester_name": name,
                "requester_email": email,
                "kind": kind.value,
                "proposal": json.dumps(proposal, sort_keys=True),
                "explanation": note,
                "collection_id": collection_id,
                "collection_status": collection_status,
                "duplicate_key": key,
                "linked_request_id": earlier.id if earlier else None,
                "status": model.RequestStatus.SUBMITTED.value,
                "submitted_on": submitted_on,
                "due_on": answer_due_on(submitted_on),
                "created_at": cmd.at,
                "updated_at": cmd.at,
                "version": 1,
            },
        )
        uow.commit()
    return request_id


def _check_correctable(row: Any, side: model.Side) -> None:
    """R15: the maintainer corrects an open request; the requester changes it until review starts."""
    editable = (
        (model.RequestStatus.SUBMITTED, model.RequestStatus.IN_REVIEW)
        if side is model.Side.MAINTAINER
        else (model.RequestStatus.SUBMITTED,)
    )
    if row.status not in editable:
        reason = f"Een verzoek met status {model.REQUEST_STATUS_NAMES[model.RequestStatus(row.status)]} kan {model.addressed(side)} niet meer wijzigen."
        raise Conflict(reason, field="status", rule="R15")


def correct_request(cmd: commands.CorrectChangeRequest, uow: UnitOfWork) -> None:
    """R15/R16: change the proposed data of an open request (checked again); only the fields sent change."""
    with uow:
        row = _load(uow, cmd.actor, cmd.request_id, cmd.version)
        _check_correctable(row, cmd.actor.side)
        kind = change_requests.RequestKind(row.kind)
        proposal = change_requests.build_proposal(
            kind, {**repository.proposal_of(row), **cmd.proposal}, repository.CatalogueCopy(uow.session)
        )
        key = change_requests.duplicate_key(kind, proposal)
        earlier = repository.open_request_with_key(uow.session, key, other_than=row.id)
        repository.update_request(
            uow.session,
            row.id,
            {
                "proposal": json.dumps(proposal, sort_keys=True),
                "duplicate_key": key,
                "linked_request_id": earlier.id if earlier else None,
                "updated_at": cmd.at,
            },
        )
        if cmd.actor.side is model.Side.MAINTAINER:
            message = f"Wijzigingsverzoek {row.number}: de beheerder heeft de gegevens aangepast."
            tell(uow.session, _requester(row), message, cmd.at)
        uow.commit()


def _approve(uow: UnitOfWork, row: Any) -> None:
    """Check the proposal once more against today's catalogue copy, then emit the approval (R16)."""
    kind = change_requests.RequestKind(row.kind)
    proposal = change_requests.build_proposal(kind, repository.proposal_of(row), repository.CatalogueCopy(uow.session))
    new_ids: dict[str, str] = {}
    if kind is change_requests.RequestKind.NEW_INSTITUTION:
        new_ids["institution_id"] = repository.new_id()
    elif kind is change_requests.RequestKind.NEW_CONDITION:
        new_ids["condition_id"] = repository.new_id()
    uow.emit(
        ChangeRequestApproved(
            request_id=row.id,
            number=row.number,
            insurer_id=row.insurer_id,
            kind=kind.value,
            proposal=proposal,
            new_ids=new_ids,
            collection_id=row.collection_id,
            collection_status=row.collection_status,
        )
    )


def change_request_status(cmd: commands.ChangeRequestStatus, uow: UnitOfWork) -> None:
    """R15: review, approve, reject (with a reason) or withdraw; the requester is told of each change."""
    with uow:
        row = _load(uow, cmd.actor, cmd.request_id, cmd.version)
        target = model.check_request_transition(row.status, cmd.status, cmd.actor.side)
        changes: dict[str, Any] = {"status": target.value, "updated_at": cmd.at}
        message = f"Wijzigingsverzoek {row.number} heeft nu de status {model.REQUEST_STATUS_NAMES[target]}."
        if target is model.RequestStatus.REJECTED:
            changes["reason"] = model.rejection_reason(cmd.reason)
            message += f" Reden: {changes['reason']}"
        if target in (model.RequestStatus.APPROVED, model.RequestStatus.REJECTED, model.RequestStatus.WITHDRAWN):
            changes |= {"decided_at": cmd.at, "decided_by": cmd.actor.user_name}
        if target is model.RequestStatus.APPROVED:
            _approve(uow, row)
        repository.update_request(uow.session, row.id, changes)
        if cmd.actor.side is model.Side.MAINTAINER:
            tell(uow.session, _requester(row), message, cmd.at)
        uow.commit()
