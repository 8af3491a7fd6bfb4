"""Jaarovergang (R3): an insurer admin opens the next contract year, pre-filled from this one,
and follows the job's progress bar."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, redirect, render_template, url_for

from portal.adapters.gateway import ApiError
from portal.web import pages, session

bp = Blueprint("rollover", __name__)

CONTRACTING = "/api/contracting"


@bp.get("/jaarovergang")
@pages.login_required(admin=True)
def start_form() -> Any:
    years = pages.api().get(f"{CONTRACTING}/years")
    return render_template("rollover.html", years=years, job=None, message=None)


@bp.post("/jaarovergang")
@pages.login_required(admin=True)
def start() -> Any:
    state = session.current()
    assert state is not None
    try:
        job = pages.api().call("POST", f"{CONTRACTING}/rollovers", json={"from_year": state.year})
    except ApiError as exc:
        if exc.status not in (409, 422):
            raise
        years = pages.api().get(f"{CONTRACTING}/years")
        return render_template("rollover.html", years=years, job=None, message=exc.message), exc.status
    return redirect(url_for("rollover.progress", job_id=job["job_id"]), 303)


@bp.get("/jaarovergang/<uuid:job_id>")
@pages.login_required(admin=True)
def progress(job_id: Any) -> Any:
    job = pages.api().get(f"{CONTRACTING}/rollovers/{job_id}")
    template = "partials/rollover_progress.html" if pages.is_htmx() else "rollover.html"
    return render_template(template, job=job, years=None, message=None)
