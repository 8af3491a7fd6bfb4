"""Maatschappijen (issue 13): the platform admin keeps the companies (labels) of each insurer with
their 4-digit UZOVI code; the products service checks the code and refuses a taken one.

A company can be renamed and moved to another insurer (a takeover or a relabelling). Its products
go with it; their links to the old insurer's collections end (R13: a product links only its own
insurer's collections), which the products service announces to contracting. The new insurer's
purchasing team links them again on **Producten**; the page says so after a move."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, flash, redirect, request, url_for

from portal.web import forms, pages

bp = Blueprint("companies", __name__)

PRODUCTS = "/api/products"
IDENTITY = "/api/identity"


@bp.get("/beheer/maatschappijen")
@pages.login_required(insurer=False, platform=True)
def companies(status: int = 200, **context: Any) -> forms.Page:
    client = pages.api()
    found, insurers = client.gather(
        lambda: client.get(f"{PRODUCTS}/companies"), lambda: client.get(f"{IDENTITY}/insurers")
    )
    names = {i["id"]: i["name"] for i in insurers}
    found = sorted(found, key=lambda c: (names.get(c["insurer_id"], ""), c["name"]))
    context.setdefault("message", None)
    return forms.page("admin_companies.html", status, context, companies=found, insurers=insurers, insurer_names=names)


@bp.post("/beheer/maatschappijen")
@pages.login_required(insurer=False, platform=True)
def company_create() -> Any:
    form = request.form
    payload = {k: form.get(k, "").strip() for k in ("name", "uzovi_code", "insurer_id")}
    errors = forms.missing(
        payload,
        {
            "name": "Naam: vul de naam van de maatschappij in.",
            "uzovi_code": "UZOVI-code: vul de code van 4 cijfers in.",
            "insurer_id": "Verzekeraar: kies de verzekeraar.",
        },
    )
    if payload["uzovi_code"] and not (len(payload["uzovi_code"]) == 4 and payload["uzovi_code"].isdigit()):
        errors["uzovi_code"] = "UZOVI-code: precies 4 cijfers."
    path = f"{PRODUCTS}/companies"
    created, again = forms.attempt_form(companies, "POST", path, payload, errors, (400, 409, 422))
    if again is not None:
        return again
    return forms.done(
        f"Maatschappij {created['name']} ({created['uzovi_code']}) is geregistreerd.", "companies.companies"
    )


@bp.post("/beheer/maatschappijen/<uuid:company_id>")
@pages.login_required(insurer=False, platform=True)
def company_change(company_id: Any) -> Any:
    """Rename and/or move to another insurer; only what differs from the shown row is sent."""
    form = request.form
    name, insurer_id = form.get("name", "").strip(), form.get("insurer_id", "").strip()
    if not name:
        flash("Naam: vul de naam van de maatschappij in.", "error")
        return redirect(url_for("companies.companies"), 303)
    current = pages.api().get(f"{PRODUCTS}/companies/{company_id}")
    body = {k: v for k, v in (("name", name), ("insurer_id", insurer_id)) if v and v != current.get(k)}
    if not body:
        return forms.done(f"Maatschappij {current['name']}: niets gewijzigd.", "companies.companies")
    changed, refusal = forms.attempt("PATCH", f"{PRODUCTS}/companies/{company_id}", body, (404, 409, 422))
    if refusal:
        flash(forms.with_fields(refusal), "error")
        return redirect(url_for("companies.companies"), 303)
    done = f"Maatschappij {changed['name']} ({changed['uzovi_code']}) is opgeslagen."
    if "insurer_id" in body:
        done += (
            " Haar producten horen nu bij de nieuwe verzekeraar; hun koppelingen aan collecties van de vorige"
            " verzekeraar zijn vervallen (R13). De nieuwe verzekeraar koppelt ze op Producten."
        )
    return forms.done(done, "companies.companies")
