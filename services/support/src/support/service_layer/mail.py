"""The mail sender: e-mails from the mail outbox to the SMTP server, retried until they are sent.

Rows are claimed with ``FOR UPDATE SKIP LOCKED`` (two senders never send the same e-mail), sent one
by one, and marked sent in the same transaction. A failure (server down, refused) leaves the row
unsent with a growing back-off (``next_attempt_at``), so an e-mail is never lost and a request never
waits for the mail server. An e-mail can be sent twice only if the process dies between the
server's acceptance and the commit: at-least-once, as with the event outbox.
"""

from __future__ import annotations

import logging
import smtplib
import threading
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from email.message import EmailMessage
from typing import Protocol
from urllib.parse import unquote, urlsplit

from sqlalchemy import select, update
from sqlalchemy.orm import Session, sessionmaker

from support.adapters.orm import mail_outbox

log = logging.getLogger(__name__)

MAX_BACKOFF_SECONDS = 300.0
BATCH = 50


class MailTransport(Protocol):
    def send(self, message: EmailMessage) -> None: ...


class SmtpTransport:
    """One SMTP connection per batch, from ``smtp://[user:password@]host[:port]`` (``smtps://``: TLS)."""

    def __init__(self, url: str, timeout: float = 10.0) -> None:
        self.parts = urlsplit(url)
        self.timeout = timeout
        self._client: smtplib.SMTP | None = None

    def __enter__(self) -> SmtpTransport:
        host, port = self.parts.hostname or "localhost", self.parts.port
        if self.parts.scheme == "smtps":
            self._client = smtplib.SMTP_SSL(host, port or 465, timeout=self.timeout)
        else:
            self._client = smtplib.SMTP(host, port or 25, timeout=self.timeout)
        if self.parts.username:
            self._client.login(unquote(self.parts.username), unquote(self.parts.password or ""))
        return self

    def __exit__(self, *exc: object) -> None:
        if self._client is not None:
            try:
                self._client.quit()
            except smtplib.SMTPException:
                pass
            except OSError:
                pass
            self._client = None

    def send(self, message: EmailMessage) -> None:
        assert self._client is not None
        self._client.send_message(message)


def backoff(attempts: int) -> timedelta:
    return timedelta(seconds=min(MAX_BACKOFF_SECONDS, 0.5 * 2 ** min(attempts, 12)))


def _message(row: object, sender: str) -> EmailMessage:
    message = EmailMessage()
    message["From"] = sender
    message["To"] = row.recipient  # type: ignore[attr-defined]
    message["Subject"] = row.subject  # type: ignore[attr-defined]
    message["Message-ID"] = f"<{row.id}@zorgcontractering.example>"  # type: ignore[attr-defined]
    message.set_content(row.body)  # type: ignore[attr-defined]
    return message


def send_due_mails(
    sessions: sessionmaker[Session], connect: Callable[[], SmtpTransport], sender: str, now: datetime | None = None
) -> int:
    """Send what is due; returns how many were sent. Any failure ends the batch (the rest waits its turn)."""
    at = now or datetime.now(UTC)
    sent = 0
    with sessions() as session, session.begin():
        rows = session.execute(
            select(mail_outbox)
            .where(mail_outbox.c.sent_at.is_(None), mail_outbox.c.next_attempt_at <= at)
            .order_by(mail_outbox.c.created_at)
            .limit(BATCH)
            .with_for_update(skip_locked=True)
        ).all()
        if not rows:
            return 0
        try:
            with connect() as transport:
                for row in rows:
                    transport.send(_message(row, sender))
                    session.execute(update(mail_outbox).where(mail_outbox.c.id == row.id).values(sent_at=at))
                    sent += 1
        except (OSError, smtplib.SMTPException) as exc:
            failed = [row for row in rows[sent:]]
            log.warning("mail not sent; will retry", extra={"fields": {"error": str(exc), "waiting": len(failed)}})
            for row in failed:
                session.execute(
                    update(mail_outbox)
                    .where(mail_outbox.c.id == row.id)
                    .values(
                        attempts=row.attempts + 1, next_attempt_at=at + backoff(row.attempts), last_error=str(exc)[:500]
                    )
                )
    return sent


def mail_worker(
    sessions: sessionmaker[Session], smtp_url: str, sender: str, poll_interval: float
) -> Callable[[threading.Event], None]:
    """A background worker of the consumer process: drains the mail outbox until stopped."""

    def run(stop: threading.Event) -> None:
        while not stop.is_set():
            try:
                send_due_mails(sessions, lambda: SmtpTransport(smtp_url), sender)
            except Exception:
                log.exception("mail sender failed; retrying")
            stop.wait(poll_interval)

    return run
