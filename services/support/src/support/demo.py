"""Demo data for ``make run``: idempotent, written through the service's own handlers.

A few open problem reports and data change requests of the demo insurers, one of them overdue (it
was submitted two weeks ago). The requests are checked against the local catalogue copy like any
other, so they wait until the catalogue's demo events have arrived (``DEMO_SETTLE_TIMEOUT``);
without them only the reports are made.
"""

from __future__ import annotations

import logging
import os
import threading
import time
import uuid
from datetime import UTC, datetime, timedelta

from sqlalchemy import func, select

from servicekit.exceptions import DomainError
from support.adapters.orm import catalogue_condition, catalogue_institution, catalogue_specialism, problem_report
from support.bootstrap import Runtime
from support.domain import commands
from support.domain.model import Side
from support.service_layer import reports, requests

log = logging.getLogger(__name__)

MAINTAINER = commands.Actor(Side.MAINTAINER, "demo-beheerder", "beheerder")


def _insurer(slug: str, username: str) -> commands.Actor:
    insurer_id = str(uuid.uuid5(uuid.NAMESPACE_URL, "zcp:insurer:" + slug))
    return commands.Actor(Side.INSURER, f"demo-{username}", username, insurer_id)


ZK = _insurer("zilverenkruis", "zk-inkoper")
MENZIS = _insurer("menzis", "menzis-inkoper")
VGZ = _insurer("vgz", "vgz-inkoper")
CZ = _insurer("cz", "cz-inkoper")


def seed_demo(runtime: Runtime, *, settle_timeout: float | None = None) -> None:
    """Reports and requests of the demo insurers, once (nothing is added when any report exists)."""
    with runtime.sessions() as session:
        if session.scalar(select(func.count()).select_from(problem_report)):
            return
    now = datetime.now(UTC)
    _seed_reports(runtime, now)
    timeout = float(os.environ.get("DEMO_SETTLE_TIMEOUT", "120")) if settle_timeout is None else settle_timeout
    if not _catalogue_arrived(runtime, timeout):
        log.warning("demo catalogue not arrived after %.0f s: demo change requests skipped", timeout)
        return
    try:
        _seed_requests(runtime, now)
    except DomainError as exc:  # demo data is a convenience: never a reason for the platform not to start
        log.warning("demo change requests not (all) made: %s", exc.message)
    except LookupError:  # a catalogue without conditions, institutions or free AGB codes
        log.warning("demo change requests not made: the demo catalogue lacks what they refer to")


def _seed_reports(runtime: Runtime, now: datetime) -> None:
    def report(actor: commands.Actor, name: str, description: str, screen: str) -> str:
        fields = {
            "name": name,
            "email": f"{actor.user_name}@demo.example",
            "description": description,
            "about_screen": screen,
        }
        return reports.create_report(commands.CreateReport(actor, fields, now), runtime.unit_of_work())

    report(ZK, "Anna de Vries", "De export naar Excel van 'Basis 2026' geeft een foutmelding.", "Bewerk contractering")
    answered = report(
        ZK, "Anna de Vries", "Bij het filter op groep ontbreken twee locaties van Santeon.", "Instellingen zoeken"
    )
    reports.assign_report(commands.AssignReport(MAINTAINER, answered, "beheerder", now), runtime.unit_of_work())
    reports.comment_on_report(
        commands.CommentOnReport(MAINTAINER, answered, "Dank u; we controleren de groepsindeling.", now),
        runtime.unit_of_work(),
    )
    waiting = report(MENZIS, "Bram Jansen", "De status van een afdeling springt terug na opslaan.", "Afdelingen")
    reports.change_report_status(
        commands.ChangeReportStatus(MAINTAINER, waiting, "waiting_for_reporter", now), runtime.unit_of_work()
    )
    reports.comment_on_report(
        commands.CommentOnReport(MAINTAINER, waiting, "Om welke instelling en afdeling gaat het?", now),
        runtime.unit_of_work(),
    )


def _catalogue_arrived(runtime: Runtime, timeout: float, quiet_for: float = 1.0) -> bool:
    """True once the catalogue copy is non-empty and stopped growing for ``quiet_for`` seconds."""

    def size() -> tuple[int, int, int]:
        with runtime.sessions() as session:
            return tuple(  # type: ignore[return-value]
                session.scalar(select(func.count()).select_from(t)) or 0
                for t in (catalogue_institution, catalogue_specialism, catalogue_condition)
            )

    pause = threading.Event()
    deadline = time.monotonic() + timeout
    last, since = size(), time.monotonic()
    while time.monotonic() < deadline:
        if last[0] and last[2] and time.monotonic() - since >= quiet_for:
            return True
        pause.wait(0.25)
        current = size()
        if current != last:
            last, since = current, time.monotonic()
    return False


def _seed_requests(runtime: Runtime, now: datetime) -> None:
    with runtime.sessions() as session:
        specialism_id, condition_id = session.execute(
            select(catalogue_condition.c.specialism_id, catalogue_condition.c.id)
            .where(catalogue_condition.c.retired.is_(False))
            .order_by(catalogue_condition.c.name)
            .limit(1)
        ).one()
        institution_ids = list(
            session.execute(
                select(catalogue_institution.c.id)
                .where(catalogue_institution.c.closed.is_(False))
                .order_by(catalogue_institution.c.name)
                .limit(2)
            ).scalars()
        )
        taken = set(session.execute(select(catalogue_institution.c.agb_code)).scalars())
    # an AGB code the catalogue does not have yet (the demo catalogue's codes are dense in places)
    agb = next(code for code in (f"{n:08d}" for n in range(27_990_001, 28_000_000)) if code not in taken)
    new_hospital = {
        "name": "Kliniek De Linde",
        "agb_code": agb,
        "type": "zbc",
        "city": "Utrecht",
        "specialism_id": str(specialism_id),
        "condition_id": str(condition_id),
    }
    two_weeks_ago = now - timedelta(days=14)  # five working days have long passed: overdue
    submit = requests.submit_request
    submit(
        commands.SubmitChangeRequest(
            ZK, "new_institution", new_hospital, two_weeks_ago, requester_email="zk-inkoper@demo.example"
        ),
        runtime.unit_of_work(),
    )
    new_condition = {
        "condition_name": "Hallux valgus-correctie",
        "specialism_id": str(specialism_id),
        "institution_ids": [str(i) for i in institution_ids[:1]],
    }
    in_review = submit(commands.SubmitChangeRequest(VGZ, "new_condition", new_condition, now), runtime.unit_of_work())
    requests.change_request_status(
        commands.ChangeRequestStatus(MAINTAINER, in_review, "in_review", now), runtime.unit_of_work()
    )
    change = {"institution_id": str(institution_ids[-1]), "add_condition_ids": [str(condition_id)]}
    submit(commands.SubmitChangeRequest(CZ, "offering_change", change, now), runtime.unit_of_work())
