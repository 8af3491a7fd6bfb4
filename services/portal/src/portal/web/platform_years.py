"""Contractjaren (platform admin, issue 13): every insurer's contract years, closing one, and the
rollover (R3) of one insurer or of every insurer at once, with the job's progress bar.

Opening a year is the rollover: year+1 opens pre-filled from the year. Contracting checks the
role again (only a platform admin may name another insurer).
"""

from __future__ import annotations

from typing import Any

from flask import Blueprint, flash, redirect, render_template, request, url_for

from portal.web import forms, pages

bp = Blueprint("platform_years", __name__)

CONTRACTING = "/api/contracting"
IDENTITY = "/api/identity"


@bp.get("/beheer/contractjaren")
@pages.login_required(platform=True)
def years(status: int = 200, message: str | None = None) -> forms.Page:
    client = pages.api()
    insurers = client.get(f"{IDENTITY}/insurers")
    chosen = request.values.get("verzekeraar") or (insurers[0]["id"] if insurers else "")
    found = client.get(f"{CONTRACTING}/years", insurer_id=chosen) if chosen else []
    return render_template("admin_years.html", insurers=insurers, chosen=chosen, years=found, message=message), status


@bp.post("/beheer/contractjaren/<int:year>/sluiten")
@pages.login_required(platform=True)
def close(year: int) -> Any:
    """Closing is for good (the year becomes read-only history), so the admin ticks that first."""
    insurer = request.form.get("verzekeraar", "")
    if request.form.get("bevestig") != "ja":
        flash(f"Sluiten van {year}: vink eerst aan dat het jaar daarna alleen nog te lezen is.", "error")
        return redirect(url_for("platform_years.years", verzekeraar=insurer or None), 303)
    done = f"Contractjaar {year} is gesloten: het blijft als geschiedenis te lezen."
    path, params = f"{CONTRACTING}/years/{year}/close", {"insurer_id": insurer}
    forms.submit("POST", path, None, done, refused=(404, 409, 422), params=params)
    return redirect(url_for("platform_years.years", verzekeraar=insurer or None), 303)


@bp.post("/beheer/contractjaren/jaarovergang")
@pages.login_required(platform=True)
def rollover_start() -> Any:
    """One insurer, or every insurer when none is chosen; the job opens year+1 for each (R3)."""
    raw_year = request.form.get("from_year", "").strip()
    if not raw_year.isdigit():
        return years(422, "Van contractjaar: kies het jaar waaruit het volgende jaar wordt gevuld.")
    body = {"from_year": int(raw_year), "insurer_id": request.form.get("insurer_id") or None}
    job, refusal = forms.attempt("POST", f"{CONTRACTING}/rollovers", body)
    if refusal:
        detail = " ".join(refusal.field_errors().values())
        return years(refusal.status, f"{refusal.message} {detail}".strip())
    return redirect(url_for("platform_years.rollover_progress", job_id=job["job_id"]), 303)


@bp.get("/beheer/contractjaren/jaarovergang/<uuid:job_id>")
@pages.login_required(platform=True)
def rollover_progress(job_id: Any) -> Any:
    client = pages.api()
    job = client.get(f"{CONTRACTING}/rollovers/{job_id}")
    context = {
        "job": job,
        "poll_url": url_for("platform_years.rollover_progress", job_id=job_id),
        "restart_url": url_for("platform_years.rollover_start"),
        "restart_year": job.get("from_year"),
    }
    if pages.is_htmx():
        return render_template("partials/rollover_progress.html", **context)
    names = {i["id"]: i["name"] for i in client.get(f"{IDENTITY}/insurers")}
    return render_template("admin_rollover.html", insurer_names=names, **context)
