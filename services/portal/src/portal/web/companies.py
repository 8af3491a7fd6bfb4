"""Maatschappijen (issue 13): the platform admin keeps the companies (labels) of each insurer with
their 4-digit UZOVI code; the products service checks the code and refuses a taken one."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, flash, redirect, render_template, request, url_for

from portal.adapters.gateway import ApiError
from portal.web import pages

bp = Blueprint("companies", __name__)

PRODUCTS = "/api/products"
IDENTITY = "/api/identity"


def _page(status: int = 200, **context: Any) -> tuple[str, int]:
    client = pages.api()
    companies, insurers = client.gather(
        lambda: client.get(f"{PRODUCTS}/companies"), lambda: client.get(f"{IDENTITY}/insurers")
    )
    names = {i["id"]: i["name"] for i in insurers}
    companies = sorted(companies, key=lambda c: (names.get(c["insurer_id"], ""), c["name"]))
    context.setdefault("form", {})
    context.setdefault("errors", {})
    context.setdefault("message", None)
    return render_template(
        "admin_companies.html", companies=companies, insurers=insurers, insurer_names=names, **context
    ), status


@bp.get("/beheer/maatschappijen")
@pages.login_required(insurer=False, platform=True)
def companies() -> Any:
    return _page()


@bp.post("/beheer/maatschappijen")
@pages.login_required(insurer=False, platform=True)
def company_create() -> Any:
    form = request.form
    payload = {k: form.get(k, "").strip() for k in ("name", "uzovi_code", "insurer_id")}
    errors = {
        k: m
        for k, m in (
            ("name", "Naam: vul de naam van de maatschappij in."),
            ("uzovi_code", "UZOVI-code: vul de code van 4 cijfers in."),
            ("insurer_id", "Verzekeraar: kies de verzekeraar."),
        )
        if not payload[k]
    }
    if payload["uzovi_code"] and not (len(payload["uzovi_code"]) == 4 and payload["uzovi_code"].isdigit()):
        errors["uzovi_code"] = "UZOVI-code: precies 4 cijfers."
    if errors:
        return _page(422, form=form, errors=errors, message="Vul de gemarkeerde velden in.")
    try:
        created = pages.api().call("POST", f"{PRODUCTS}/companies", json=payload)
    except ApiError as exc:
        if exc.status not in (400, 409, 422):
            raise
        return _page(exc.status, form=form, errors=exc.field_errors(), message=exc.message)
    flash(f"Maatschappij {created['name']} ({created['uzovi_code']}) is geregistreerd.", "success")
    return redirect(url_for("companies.companies"), 303)
