"""The catalogue maintainers' work (issue 13): the queue of data change requests (oldest and overdue
first, R15), the problem reports with assignment and status (R14), and corrections before a decision.
Platform admins may do the same; support checks every role again."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, flash, redirect, render_template, request, url_for

from portal.web import forms, pages
from portal.web.support import SUPPORT, unread_subjects

bp = Blueprint("maintenance", __name__)

#: the proposal fields a maintainer may correct on the request's page
CORRECTABLE = ("name", "agb_code", "condition_name", "address", "postcode", "city", "email", "phone")
REPORT_FILTERS = {
    "": "Alle",
    "new": "Nieuw",
    "in_progress": "In behandeling",
    "waiting_for_reporter": "Wacht op melder",
    "resolved": "Opgelost",
    "closed": "Gesloten",
}


@bp.get("/beheer")
@pages.login_required(maintainer=True)
def home() -> Any:
    return redirect(url_for("maintenance.requests_queue"))


@bp.get("/beheer/verzoeken")
@pages.login_required(maintainer=True)
def requests_queue() -> Any:
    """Open requests first, overdue ones on top, each group oldest first (the API lists oldest first)."""
    client = pages.api()
    open_only = request.args.get("alle") != "1"
    found, (unread, _count) = client.gather(
        lambda: client.get(f"{SUPPORT}/requests", page_size=100), lambda: unread_subjects(client)
    )
    items = [r for r in found["items"] if not open_only or r["status"] in ("submitted", "in_review")]
    items.sort(key=lambda r: (not r.get("overdue"), r.get("submitted_on") or "", r.get("created_at") or ""))
    overdue = sum(1 for r in items if r.get("overdue"))
    return render_template(
        "maintenance_requests.html", requests={"items": items}, unread=unread, open_only=open_only, overdue=overdue
    )


@bp.post("/beheer/verzoeken/<uuid:request_id>/corrigeren")
@pages.login_required(maintainer=True)
def correct(request_id: Any) -> Any:
    """The maintainer's corrections of the proposal (only changed fields are sent; R15)."""
    client = pages.api()
    current = client.get(f"{SUPPORT}/requests/{request_id}")
    proposal = current.get("proposal") or {}
    changes = {
        key: request.form[key].strip() or None
        for key in CORRECTABLE
        if key in request.form and (request.form[key].strip() or None) != proposal.get(key)
    }
    if not changes:
        flash("Er is niets gewijzigd.", "info")
        return redirect(url_for("support.change_request", request_id=request_id), 303)
    corrected = {**changes, "version": current["version"]}
    done = "De correctie is opgeslagen; de aanvrager krijgt er bericht van."
    forms.submit("PATCH", f"{SUPPORT}/requests/{request_id}", corrected, done, refused=(409, 412, 422))
    return redirect(url_for("support.change_request", request_id=request_id), 303)


@bp.get("/beheer/meldingen")
@pages.login_required(maintainer=True)
def reports_queue() -> Any:
    client = pages.api()
    wanted = request.args.get("status", "")
    wanted = wanted if wanted in REPORT_FILTERS else ""
    found, (unread, _count) = client.gather(
        lambda: client.get(f"{SUPPORT}/reports", page_size=100, status=wanted or None),
        lambda: unread_subjects(client),
    )
    return render_template(
        "maintenance_reports.html", reports=found, unread=unread, wanted=wanted, filters=REPORT_FILTERS
    )


@bp.post("/beheer/meldingen/<uuid:report_id>/toewijzen")
@pages.login_required(maintainer=True)
def assign(report_id: Any) -> Any:
    forms.submit("PUT", f"{SUPPORT}/reports/{report_id}/assignee", {}, "De melding is aan u toegewezen.")
    return redirect(url_for("support.report", report_id=report_id), 303)
