"""Telling the reporter or requester: always in the platform, and by e-mail through the mail outbox.

Both are written in the transaction of the change itself, so a change is never saved without its
notification, and an e-mail is never sent for a change that was rolled back. The mail sender
(``service_layer/mail.py``) sends the outbox's rows when an SMTP server is configured.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy.orm import Session

from servicekit.db import UnitOfWork
from support.adapters import repository
from support.domain import commands

PLATFORM_NAME = "Zorgcontracteringsplatform"


@dataclass(frozen=True)
class Subject:
    """The report or request a notification is about, and the person it goes to."""

    kind: str  # report | request
    id: str
    number: str
    insurer_id: str
    recipient_id: str
    recipient_name: str
    recipient_email: str | None


def tell(session: Session, subject: Subject, message: str, at: datetime) -> None:
    """One unread notification, and an e-mail when the recipient has an address."""
    repository.add_notification(
        session,
        {
            "recipient_id": subject.recipient_id,
            "insurer_id": subject.insurer_id,
            "subject_kind": subject.kind,
            "subject_id": subject.id,
            "subject_number": subject.number,
            "message": message,
            "created_at": at,
        },
    )
    if subject.recipient_email:
        what = "melding" if subject.kind == "report" else "wijzigingsverzoek"
        body = (
            f"Beste {subject.recipient_name},\n\n{message}\n\n"
            f"U vindt uw {what} {subject.number} in het {PLATFORM_NAME}.\n\n"
            "Met vriendelijke groet,\nHet beheer van het " + PLATFORM_NAME + "\n"
        )
        repository.queue_mail(session, subject.recipient_email, f"[{subject.number}] {message}"[:300], body, at)


def mark_notifications_read(cmd: commands.MarkNotificationsRead, uow: UnitOfWork) -> int:
    """Mark the recipient's own notifications read (none of anyone else's)."""
    with uow:
        changed = repository.mark_read(uow.session, cmd.recipient_id, cmd.notification_ids, cmd.at)
        uow.commit()
    return changed
