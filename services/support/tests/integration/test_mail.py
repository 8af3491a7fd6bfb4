"""R14/R15 e-mail: sent from the mail outbox to a real SMTP server (aiosmtpd), retried while it is down.

The request never waits for the mail server: the change and its e-mail row are saved together; the
sender delivers the row when the server answers, and not again afterwards.
"""

from __future__ import annotations

import socket
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from aiosmtpd.controller import Controller
from aiosmtpd.handlers import Message
from sqlalchemy import select

from conftest import Api
from support.adapters.orm import mail_outbox
from support.config import Settings
from support.service_layer.mail import SmtpTransport, send_due_mails

REPORT = {"name": "Anna de Vries", "email": "anna@zk.example", "description": "Export geeft een fout."}


class Catcher(Message):  # type: ignore[misc]
    def __init__(self) -> None:
        super().__init__()
        self.messages: list[Any] = []

    def handle_message(self, message: Any) -> None:
        self.messages.append(message)


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@pytest.fixture
def smtp_port() -> int:
    return _free_port()


@pytest.fixture
def catcher(smtp_port: int) -> Iterator[Catcher]:
    handler = Catcher()
    controller = Controller(handler, hostname="127.0.0.1", port=smtp_port)
    controller.start()
    yield handler
    controller.stop()


def _send(runtime: Any, port: int, at: datetime | None = None) -> int:
    return send_due_mails(
        runtime.sessions, lambda: SmtpTransport(f"smtp://127.0.0.1:{port}", timeout=5), "noreply@zcp.example", at
    )


def _rows(runtime: Any) -> list[Any]:
    with runtime.engine.connect() as connection:
        return list(connection.execute(select(mail_outbox)).all())


def test_r14_a_status_change_mails_the_reporter_once(
    runtime: Any, insurer_a: Api, maintainer: Api, catcher: Catcher, smtp_port: int
) -> None:
    report = insurer_a.post("/reports", json=REPORT).json
    maintainer.post(f"/reports/{report['id']}/status", json={"status": "in_progress"})
    assert _send(runtime, smtp_port) == 1
    assert _send(runtime, smtp_port) == 0  # sent rows are not sent again
    [mail] = catcher.messages
    assert mail["To"] == "anna@zk.example"
    assert (
        " ".join(mail["Subject"].split())
        == f"[{report['number']}] Melding {report['number']} heeft nu de status In behandeling."
    )
    assert "Beste Anna de Vries" in mail.get_payload(decode=True).decode("utf-8")


def test_r14_with_the_server_down_the_change_is_saved_and_the_mail_sent_later(
    runtime: Any, insurer_a: Api, maintainer: Api, smtp_port: int
) -> None:
    report = insurer_a.post("/reports", json=REPORT).json
    changed = maintainer.post(f"/reports/{report['id']}/status", json={"status": "resolved"})
    assert changed.status_code == 200 and changed.json["status"] == "resolved"
    assert _send(runtime, smtp_port) == 0  # nobody listens on the port
    [row] = _rows(runtime)
    assert row.sent_at is None and row.attempts == 1 and row.last_error
    assert row.next_attempt_at > datetime.now(UTC)  # backs off
    handler = Catcher()
    controller = Controller(handler, hostname="127.0.0.1", port=smtp_port)
    controller.start()
    try:
        assert _send(runtime, smtp_port) == 0  # not due yet
        assert _send(runtime, smtp_port, datetime.now(UTC) + timedelta(minutes=10)) == 1
    finally:
        controller.stop()
    assert len(handler.messages) == 1
    [row] = _rows(runtime)
    assert row.sent_at is not None


def test_the_settings_read_and_check_smtp_url() -> None:
    base = {"SUPPORT_DATABASE_URL": "sqlite:///x.db"}
    assert Settings.from_env(base).smtp_url is None
    assert Settings.from_env({**base, "SMTP_URL": "smtp://127.0.0.1:2525"}).smtp_url == "smtp://127.0.0.1:2525"
    from servicekit.settings import SettingsError

    for wrong in ("http://x", "smtp://", "smtp://host:port"):
        with pytest.raises(SettingsError):
            Settings.from_env({**base, "SMTP_URL": wrong})
