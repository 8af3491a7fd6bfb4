"""R14 problem reports ("Meld een probleem"): create, comment both ways, assign, move through statuses.

An insurer's user sees and acts on its own insurer's reports only; another insurer's report is
"not found" (404), never "forbidden", so its existence does not leak. Maintainers see all.
"""

from __future__ import annotations

from typing import Any

from servicekit.db import UnitOfWork
from servicekit.exceptions import Conflict, NotFound
from support.adapters import repository
from support.domain import commands, model
from support.service_layer.notify import Subject, tell

REPORT_PREFIX = "MP"


def _load(uow: UnitOfWork, actor: commands.Actor, report_id: str) -> Any:
    row = repository.get_report(uow.session, report_id, for_update=True)
    if row is None or (actor.side is model.Side.INSURER and row.insurer_id != actor.insurer_id):
        raise NotFound(f"Melding {report_id} bestaat niet.")
    return row


def _reporter(row: Any) -> Subject:
    return Subject("report", row.id, row.number, row.insurer_id, row.reporter_id, row.name, row.email)


def create_report(cmd: commands.CreateReport, uow: UnitOfWork) -> str:
    """R14: a new report, with a readable number, status new."""
    fields = model.ReportFields.build(cmd.fields)
    report_id = repository.new_id()
    with uow:
        number = repository.next_number(uow.session, REPORT_PREFIX, cmd.at.year)
        repository.add_report(
            uow.session,
            {
                "id": report_id,
                "number": number,
                "insurer_id": cmd.actor.insurer_id,
                "reporter_id": cmd.actor.user_id,
                **vars(fields),
                "status": model.ReportStatus.NEW.value,
                "created_at": cmd.at,
                "updated_at": cmd.at,
            },
        )
        uow.commit()
    return report_id


def comment_on_report(cmd: commands.CommentOnReport, uow: UnitOfWork) -> None:
    """R14: comments both ways. The maintainer's answer is told to the reporter; the reporter's
    answer to a report waiting for it puts the report back in progress."""
    body = model.comment_text(cmd.body, "R14")
    with uow:
        row = _load(uow, cmd.actor, cmd.report_id)
        if row.status == model.ReportStatus.CLOSED:
            raise Conflict("Op een gesloten melding kan niet meer worden gereageerd.", field="body", rule="R14")
        repository.add_comment(
            uow.session,
            {
                "report_id": row.id,
                "side": cmd.actor.side.value,
                "author_id": cmd.actor.user_id,
                "author_name": cmd.actor.user_name,
                "body": body,
                "created_at": cmd.at,
            },
        )
        changes: dict[str, Any] = {"updated_at": cmd.at}
        if cmd.actor.side is model.Side.MAINTAINER:
            tell(uow.session, _reporter(row), f"Melding {row.number}: de beheerder heeft gereageerd.", cmd.at)
        elif row.status == model.ReportStatus.WAITING_FOR_REPORTER:
            changes["status"] = model.ReportStatus.IN_PROGRESS.value
        repository.update_report(uow.session, row.id, changes)
        uow.commit()


def change_report_status(cmd: commands.ChangeReportStatus, uow: UnitOfWork) -> None:
    """R14: only the moves of ``REPORT_TRANSITIONS``; the reporter is told of every change."""
    with uow:
        row = _load(uow, cmd.actor, cmd.report_id)
        target = model.check_report_transition(row.status, cmd.status, cmd.actor.side)
        repository.update_report(uow.session, row.id, {"status": target.value, "updated_at": cmd.at})
        message = f"Melding {row.number} heeft nu de status {model.REPORT_STATUS_NAMES[target]}."
        tell(uow.session, _reporter(row), message, cmd.at)
        uow.commit()


def assign_report(cmd: commands.AssignReport, uow: UnitOfWork) -> None:
    """R14: a maintainer takes a report (or gives it to another); a new report is then in progress."""
    assignee = model.required_text(cmd.assignee, "assignee", "R14", label="De behandelaar")
    with uow:
        row = _load(uow, cmd.actor, cmd.report_id)
        if row.status == model.ReportStatus.CLOSED:
            raise Conflict("Een gesloten melding wordt niet meer toegewezen.", field="assignee", rule="R14")
        changes: dict[str, Any] = {"assignee": assignee, "updated_at": cmd.at}
        if row.status == model.ReportStatus.NEW:
            changes["status"] = model.ReportStatus.IN_PROGRESS.value
            message = f"Melding {row.number} is in behandeling genomen."
            tell(uow.session, _reporter(row), message, cmd.at)
        repository.update_report(uow.session, row.id, changes)
        uow.commit()
