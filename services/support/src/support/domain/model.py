"""Problem reports (R14) and data change requests (R15): their statuses, who may move them, their fields.

Values arrive as plain Python (the API has parsed the types); the functions here normalise them and
raise :class:`servicekit.exceptions.DomainError` kinds naming the field and the rule.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from enum import StrEnum
from typing import Any, TypeVar

from servicekit.exceptions import Conflict, InvalidInput


class Side(StrEnum):
    """Who acts: the insurer who reported or requested, or the platform's maintainers."""

    INSURER = "insurer"
    MAINTAINER = "maintainer"


class ReportStatus(StrEnum):
    NEW = "new"
    IN_PROGRESS = "in_progress"
    WAITING_FOR_REPORTER = "waiting_for_reporter"
    RESOLVED = "resolved"
    CLOSED = "closed"


REPORT_STATUS_NAMES = {
    ReportStatus.NEW: "Nieuw",
    ReportStatus.IN_PROGRESS: "In behandeling",
    ReportStatus.WAITING_FOR_REPORTER: "Wacht op melder",
    ReportStatus.RESOLVED: "Opgelost",
    ReportStatus.CLOSED: "Gesloten",
}

_R = ReportStatus
#: R14: (from, to) -> who may make that move. A closed report is final.
REPORT_TRANSITIONS: dict[tuple[ReportStatus, ReportStatus], frozenset[Side]] = {
    (_R.NEW, _R.IN_PROGRESS): frozenset({Side.MAINTAINER}),
    (_R.NEW, _R.WAITING_FOR_REPORTER): frozenset({Side.MAINTAINER}),
    (_R.NEW, _R.RESOLVED): frozenset({Side.MAINTAINER}),
    (_R.NEW, _R.CLOSED): frozenset({Side.MAINTAINER, Side.INSURER}),
    (_R.IN_PROGRESS, _R.WAITING_FOR_REPORTER): frozenset({Side.MAINTAINER}),
    (_R.IN_PROGRESS, _R.RESOLVED): frozenset({Side.MAINTAINER}),
    (_R.IN_PROGRESS, _R.CLOSED): frozenset({Side.MAINTAINER, Side.INSURER}),
    (_R.WAITING_FOR_REPORTER, _R.IN_PROGRESS): frozenset({Side.MAINTAINER, Side.INSURER}),
    (_R.WAITING_FOR_REPORTER, _R.RESOLVED): frozenset({Side.MAINTAINER}),
    (_R.WAITING_FOR_REPORTER, _R.CLOSED): frozenset({Side.MAINTAINER, Side.INSURER}),
    (_R.RESOLVED, _R.IN_PROGRESS): frozenset({Side.MAINTAINER, Side.INSURER}),  # reopened
    (_R.RESOLVED, _R.CLOSED): frozenset({Side.MAINTAINER, Side.INSURER}),
}


class RequestStatus(StrEnum):
    SUBMITTED = "submitted"
    IN_REVIEW = "in_review"
    APPROVED = "approved"
    REJECTED = "rejected"
    WITHDRAWN = "withdrawn"


REQUEST_STATUS_NAMES = {
    RequestStatus.SUBMITTED: "Ingediend",
    RequestStatus.IN_REVIEW: "In behandeling",
    RequestStatus.APPROVED: "Goedgekeurd",
    RequestStatus.REJECTED: "Afgewezen",
    RequestStatus.WITHDRAWN: "Ingetrokken",
}
OPEN_REQUEST_STATUSES = (RequestStatus.SUBMITTED, RequestStatus.IN_REVIEW)

_Q = RequestStatus
#: R15: submitted -> in review -> approved / rejected; the requester may withdraw while it is open.
REQUEST_TRANSITIONS: dict[tuple[RequestStatus, RequestStatus], frozenset[Side]] = {
    (_Q.SUBMITTED, _Q.IN_REVIEW): frozenset({Side.MAINTAINER}),
    (_Q.SUBMITTED, _Q.APPROVED): frozenset({Side.MAINTAINER}),
    (_Q.SUBMITTED, _Q.REJECTED): frozenset({Side.MAINTAINER}),
    (_Q.SUBMITTED, _Q.WITHDRAWN): frozenset({Side.INSURER}),
    (_Q.IN_REVIEW, _Q.APPROVED): frozenset({Side.MAINTAINER}),
    (_Q.IN_REVIEW, _Q.REJECTED): frozenset({Side.MAINTAINER}),
    (_Q.IN_REVIEW, _Q.WITHDRAWN): frozenset({Side.INSURER}),
}


def addressed(side: Side) -> str:
    """How a message to the one acting names them: the insurer's user is "u", a maintainer "de beheerder"."""
    return "u" if side is Side.INSURER else "de beheerder"


Status = TypeVar("Status", ReportStatus, RequestStatus)


def _checked_move(
    moves: Mapping[tuple[Status, Status], frozenset[Side]],
    names: Mapping[Status, str],
    current: Status,
    target: Status,
    side: Side,
    *,
    noun: str,
    rule: str,
) -> Status:
    """``target``, or 409 naming ``rule`` when ``side`` may not move a ``noun`` from ``current`` to it."""
    if side not in moves.get((current, target), frozenset()):
        reason = f"Een {noun} met status {names[current]} kan {addressed(side)} niet op {names[target]} zetten."
        raise Conflict(reason, field="status", rule=rule)
    return target


def check_report_transition(current: str, wanted: str, side: Side) -> ReportStatus:
    """The new status, or 409 (R14) when ``side`` may not move a report from ``current`` to ``wanted``."""
    return _checked_move(
        REPORT_TRANSITIONS,
        REPORT_STATUS_NAMES,
        ReportStatus(current),
        ReportStatus(wanted),
        side,
        noun="melding",
        rule="R14",
    )


def check_request_transition(current: str, wanted: str, side: Side) -> RequestStatus:
    """The new status, or 409 (R15) when ``side`` may not move a request from ``current`` to ``wanted``."""
    return _checked_move(
        REQUEST_TRANSITIONS,
        REQUEST_STATUS_NAMES,
        RequestStatus(current),
        RequestStatus(wanted),
        side,
        noun="verzoek",
        rule="R15",
    )


# -- fields ---------------------------------------------------------------------------------------

MAX_NAME = 200
MAX_TEXT = 5000
_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
_PHONE = re.compile(r"^\+?[0-9][0-9 ()\-]{5,19}$")
_AGB = re.compile(r"^\d{8}$")
_NL_POSTCODE = re.compile(r"^[1-9][0-9]{3} ?[A-Za-z]{2}$")


def required_text(raw: object, field: str, rule: str, *, label: str, maximum: int = MAX_NAME) -> str:
    """Trimmed text; 422 naming ``field`` when it is empty or too long."""
    text = str(raw).strip() if raw is not None else ""
    if not text:
        raise InvalidInput(f"{label} is verplicht.", field=field, rule=rule)
    if len(text) > maximum:
        raise InvalidInput(f"{label} mag hoogstens {maximum} tekens lang zijn.", field=field, rule=rule)
    return text


def optional_text(raw: object, field: str, rule: str, *, label: str, maximum: int = MAX_NAME) -> str | None:
    if raw is None or str(raw).strip() == "":
        return None
    return required_text(raw, field, rule, label=label, maximum=maximum)


def email_address(raw: object, field: str, rule: str, *, required: bool = True) -> str | None:
    text = str(raw).strip() if raw is not None else ""
    if not text:
        if required:
            raise InvalidInput("E-mailadres is verplicht.", field=field, rule=rule)
        return None
    if len(text) > 254 or not _EMAIL.match(text):
        raise InvalidInput(f"{text!r} is geen geldig e-mailadres.", field=field, rule=rule)
    return text


@dataclass(frozen=True)
class ReportFields:
    """R14: name, e-mail and description; optionally the screen or collection it is about."""

    name: str
    email: str
    description: str
    about_screen: str | None = None
    about_collection_id: str | None = None

    @classmethod
    def build(cls, raw: Mapping[str, Any]) -> ReportFields:
        return cls(
            name=required_text(raw.get("name"), "name", "R14", label="Naam"),
            email=email_address(raw.get("email"), "email", "R14") or "",
            description=required_text(
                raw.get("description"), "description", "R14", label="Omschrijving", maximum=MAX_TEXT
            ),
            about_screen=optional_text(raw.get("about_screen"), "about_screen", "R14", label="Scherm"),
            about_collection_id=str(raw["about_collection_id"]) if raw.get("about_collection_id") else None,
        )


def comment_text(raw: object, rule: str) -> str:
    return required_text(raw, "body", rule, label="Een reactie", maximum=MAX_TEXT)


def rejection_reason(raw: object) -> str:
    """R15: a rejection always says why."""
    return required_text(raw, "reason", "R15", label="De reden van afwijzing", maximum=MAX_TEXT)


def agb_code(raw: object, field: str = "agb_code") -> str:
    text = str(raw).strip() if raw is not None else ""
    if not _AGB.match(text):
        raise InvalidInput("Een AGB-code bestaat uit precies 8 cijfers.", field=field, rule="R15")
    return text


def phone_number(raw: object, field: str = "phone") -> str | None:
    text = str(raw).strip() if raw is not None else ""
    if not text:
        return None
    if not _PHONE.match(text):
        raise InvalidInput(f"{text!r} is geen geldig telefoonnummer.", field=field, rule="R15")
    return text


def postcode(raw: object, field: str = "postcode") -> str | None:
    text = str(raw).strip() if raw is not None else ""
    if not text:
        return None
    if not _NL_POSTCODE.match(text):
        raise InvalidInput(f"{text!r} is geen Nederlandse postcode (1234 AB).", field=field, rule="R15")
    return text.upper().replace(" ", "")[:4] + " " + text.upper().replace(" ", "")[4:]
