"""Logging in for a contract year, logging out, changing one's password (R1, R2)."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, flash, redirect, render_template, request, url_for

from portal.adapters.gateway import ApiError, GatewayClient
from portal.web import pages, session

bp = Blueprint("auth", __name__)

LOGIN_FAILED = "Onbekende combinatie van contractjaar, gebruikersnaam en wachtwoord."


def _login_page(status: int = 200, **context: Any) -> tuple[str, int]:
    years = pages.contract_years(GatewayClient(pages.transport()))
    context.setdefault("form", {})
    context.setdefault("errors", {})
    return render_template("login.html", years=years, **context), status


@bp.get("/inloggen")
def login() -> Any:
    if session.current() is not None:
        return redirect(pages.start_page())
    return _login_page()


@bp.post("/inloggen")
def login_submit() -> Any:
    form = request.form
    errors: dict[str, str] = {}
    year = form.get("contract_year", "")
    if not year.isdigit():
        errors["contract_year"] = "Kies een contractjaar."
    if not form.get("username", "").strip():
        errors["username"] = "Vul uw gebruikersnaam in."
    if not form.get("password"):
        errors["password"] = "Vul uw wachtwoord in."
    if errors:
        return _login_page(422, form=form, errors=errors)
    payload = {
        "contract_year": int(year),
        "username": form["username"].strip(),
        "password": form["password"],
        "new_password": form.get("new_password") or None,
    }
    try:
        answer = GatewayClient(pages.transport()).call("POST", "/api/identity/sessions", json=payload)
    except ApiError as exc:
        return _refused(exc, form)
    session.start(answer, pages.settings().idle_seconds)
    return redirect(pages.start_page())


def _refused(exc: ApiError, form: Any) -> Any:
    if exc.status == 401:
        return _login_page(401, form=form, message=LOGIN_FAILED)
    if exc.status == 403:  # an admin reset the password: choose a new one now
        return _login_page(403, form=form, must_change=True, message=exc.message)
    if exc.status == 429:
        return _login_page(429, form=form, message=exc.message)
    if exc.status == 422:
        errors = exc.field_errors()
        return _login_page(
            422, form=form, errors=errors, must_change=bool(form.get("new_password")), message=exc.message
        )
    raise exc


@bp.post("/uitloggen")
def logout() -> Any:
    state = session.current()
    if state is not None:
        pages.end_identity_session(state.token)
    session.end("U bent uitgelogd.")
    return redirect(url_for("auth.login"))


@bp.get("/wachtwoord")
@pages.login_required(insurer=False)
def password() -> Any:
    return render_template("password.html", errors={})


@bp.post("/wachtwoord")
@pages.login_required(insurer=False)
def password_submit() -> Any:
    form = request.form
    if form.get("new_password") != form.get("repeat_password"):
        errors = {"repeat_password": "De twee nieuwe wachtwoorden zijn niet gelijk."}
        return render_template("password.html", errors=errors), 422
    payload = {"current_password": form.get("current_password", ""), "new_password": form.get("new_password", "")}
    try:
        pages.api().call("PUT", "/api/identity/users/me/password", json=payload)
    except ApiError as exc:
        if exc.status != 422:
            raise
        errors = exc.field_errors() or {"current_password": exc.message}
        return render_template("password.html", errors=errors, message=exc.message), 422
    flash("Uw wachtwoord is gewijzigd.", "success")
    return redirect(pages.start_page())
