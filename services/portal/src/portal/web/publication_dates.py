"""Publicatiedata (platform admin, issue 13): from which day comparison sites and care finders may
read an insurer's year (R17). Without a date set, the products service answers its default, 12
November of the year before; the admin may set another one."""

from __future__ import annotations

from datetime import date
from typing import Any

from flask import Blueprint, render_template, request

from portal.web import forms, pages, session

bp = Blueprint("publication_dates", __name__)

PRODUCTS = "/api/products"
IDENTITY = "/api/identity"


def _chosen_year(raw: str | None) -> int | None:
    text = (raw or "").strip()
    if not text:
        state = session.current()
        return state.year if state else date.today().year
    return int(text) if text.isdigit() and 1900 < int(text) < 3000 else None


@bp.get("/beheer/publicatiedata")
@pages.login_required(insurer=False, platform=True)
def publication_dates(
    status: int = 200, message: str | None = None, errors: dict[str, str] | None = None
) -> forms.Page:
    client = pages.api()
    insurers = client.get(f"{IDENTITY}/insurers")
    chosen = request.values.get("verzekeraar") or (insurers[0]["id"] if insurers else "")
    year = _chosen_year(request.values.get("jaar"))
    errors = dict(errors or {})
    current = None
    if year is None:
        errors.setdefault("jaar", "Jaar: vul een jaar van 4 cijfers in.")
    elif chosen:
        current = client.get(f"{PRODUCTS}/publication-dates/{chosen}/{year}")
    names = {i["id"]: i["name"] for i in insurers}
    return render_template(
        "admin_publication_dates.html",
        insurers=insurers,
        chosen=chosen,
        insurer_name=names.get(chosen, chosen),
        year=year if year is not None else request.values.get("jaar", ""),
        current=current,
        message=message or ("Kies een geldig jaar." if errors else None),
        errors=errors,
    ), (422 if errors and status == 200 else status)


@bp.post("/beheer/publicatiedata")
@pages.login_required(insurer=False, platform=True)
def publication_date_set() -> Any:
    form = request.form
    insurer, year, publish_from = (
        form.get("verzekeraar", ""),
        form.get("jaar", "").strip(),
        form.get("publish_from", ""),
    )
    try:
        date.fromisoformat(publish_from.strip())
    except ValueError:
        message = "Publicatiedatum: kies een geldige datum (R17)."
        return publication_dates(422, message=message, errors={"publish_from": message})
    if _chosen_year(year) is None or not insurer:
        return publication_dates(422, message="Kies een verzekeraar en een jaar van 4 cijfers.")
    path, body = f"{PRODUCTS}/publication-dates/{insurer}/{year}", {"publish_from": publish_from.strip()}
    saved, refusal = forms.attempt("PUT", path, body, (400, 403, 404, 409, 422))
    if refusal:
        return publication_dates(refusal.status, message=refusal.message, errors=refusal.field_errors())
    shown = date.fromisoformat(saved["publish_from"]).strftime("%d-%m-%Y")
    return forms.done(
        f"Contractjaar {year} wordt gepubliceerd vanaf {shown} (R17).",
        "publication_dates.publication_dates",
        verzekeraar=insurer,
        jaar=year,
    )
