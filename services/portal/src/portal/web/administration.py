"""Catalogue maintenance and platform administration (issue 13).

- Behandelaanbod (catalogue maintainers): find an institution (name, AGB code) and edit which
  specialisms (afdelingen) and conditions it offers; once saved, the change travels to every
  insurer's open-year collections through the catalogue's events (R16).
- Gebruikers (platform admins): the users of every role, and creating one (identity checks R2 and
  makes the user choose a new password at the first login).

The services check every role again: hiding a link is never the protection.
"""

from __future__ import annotations

from typing import Any

from flask import Blueprint, flash, redirect, render_template, request, url_for

from portal.adapters.gateway import ApiError
from portal.web import forms, pages

bp = Blueprint("administration", __name__)

CATALOGUE = "/api/catalogue"
IDENTITY = "/api/identity"
ROLES = {
    "insurer_user": "Inkoper (verzekeraar)",
    "insurer_admin": "Beheerder verzekeraar",
    "catalogue_maintainer": "Catalogusbeheerder",
    "platform_admin": "Platformbeheerder",
}


@bp.get("/beheer/instellingen")
@pages.login_required(maintainer=True)
def institutions(status: int = 200, **context: Any) -> forms.Page:
    """The search (name, AGB code) and the form that registers one (shown again with its errors)."""
    client = pages.api()
    name, agb = request.args.get("naam", "").strip(), request.args.get("agb", "").strip()
    found, groups = client.gather(
        lambda: client.get(f"{CATALOGUE}/institutions", name=name or None, agb_code=agb or None, page_size=50),
        lambda: pages.groups(client),
    )
    return forms.page("admin_institutions.html", status, context, found=found, name=name, agb=agb, groups=groups)


@bp.post("/beheer/instellingen")
@pages.login_required(maintainer=True)
def institution_create() -> Any:
    """Register an institution; the catalogue's event brings it into every insurer's collections (R16)."""
    form = request.form
    fields = ("name", "agb_code", "type", "group_id", "city", "country")
    payload = {key: form.get(key, "").strip() or None for key in fields}
    errors = forms.missing(payload, ("name", "agb_code", "type"))
    created, again = forms.attempt_form(institutions, "POST", f"{CATALOGUE}/institutions", payload, errors)
    if again is not None:
        return again
    return forms.done(
        f"{created['name']} is geregistreerd. De instelling is onderweg naar de collecties van de verzekeraars (R16); "
        "kies hieronder haar behandelaanbod.",
        "administration.offering",
        institution_id=created["id"],
    )


@bp.post("/beheer/instellingen/<uuid:institution_id>/sluiten")
@pages.login_required(maintainer=True)
def institution_close(institution_id: Any) -> Any:
    body = {"closed_on": request.form.get("closed_on") or None}
    done = "De instelling is gesloten. De wijziging is onderweg naar de collecties van de verzekeraars (R16)."
    forms.submit("POST", f"{CATALOGUE}/institutions/{institution_id}/close", body, done, explain=forms.first_problem)
    return redirect(url_for("administration.offering", institution_id=institution_id), 303)


def _offering_page(institution_id: Any) -> dict[str, Any]:
    client = pages.api()
    institution, offering, specialisms, conditions = client.gather(
        lambda: client.get(f"{CATALOGUE}/institutions/{institution_id}"),
        lambda: client.get(f"{CATALOGUE}/institutions/{institution_id}/offering"),
        lambda: client.get(f"{CATALOGUE}/specialisms"),
        lambda: client.get(f"{CATALOGUE}/conditions"),
    )
    by_specialism: dict[str, list[dict[str, Any]]] = {}
    for condition in conditions:
        by_specialism.setdefault(condition["specialism_id"], []).append(condition)
    return {
        "institution": institution,
        "offered_specialisms": set(offering.get("specialism_ids") or []),
        "offered_conditions": set(offering.get("condition_ids") or []),
        "specialisms": specialisms,
        "conditions": by_specialism,
    }


@bp.get("/beheer/instellingen/<uuid:institution_id>/aanbod")
@pages.login_required(maintainer=True)
def offering(institution_id: Any) -> Any:
    return render_template("admin_offering.html", **_offering_page(institution_id))


@bp.post("/beheer/instellingen/<uuid:institution_id>/aanbod")
@pages.login_required(maintainer=True)
def offering_save(institution_id: Any) -> Any:
    """The whole offering replaced; a ticked condition brings its specialism along (it is offered there)."""
    client = pages.api()
    conditions = request.form.getlist("condition_ids")
    specialisms = list(dict.fromkeys(request.form.getlist("specialism_ids")))
    known = {c["id"]: c["specialism_id"] for c in client.get(f"{CATALOGUE}/conditions")}
    for condition_id in conditions:
        if known.get(condition_id) and known[condition_id] not in specialisms:
            specialisms.append(known[condition_id])
    forms.submit(
        "PUT",
        f"{CATALOGUE}/institutions/{institution_id}/offering",
        {"specialism_ids": specialisms, "condition_ids": [c for c in conditions if c in known]},
        "Het behandelaanbod is opgeslagen. De wijziging is onderweg naar de collecties van de verzekeraars (R16).",
    )
    return redirect(url_for("administration.offering", institution_id=institution_id), 303)


@bp.get("/beheer/gebruikers")
@pages.login_required(platform=True)
def users(status: int = 200, **context: Any) -> forms.Page:
    client = pages.api()
    found, insurers = client.gather(lambda: client.get(f"{IDENTITY}/users"), lambda: client.get(f"{IDENTITY}/insurers"))
    names = {i["id"]: i["name"] for i in insurers}
    return forms.page(
        "admin_users.html", status, context, users=found, insurers=insurers, insurer_names=names, roles=ROLES
    )


@bp.post("/beheer/gebruikers")
@pages.login_required(platform=True)
def user_create() -> Any:
    form = request.form
    payload = {
        "username": form.get("username", "").strip(),
        "display_name": form.get("display_name", "").strip(),
        "role": form.get("role", ""),
        "insurer_id": form.get("insurer_id") or None,
        "password": form.get("password", ""),
    }
    errors = forms.missing(payload, ("username", "display_name", "password"))
    if payload["role"] not in ROLES:
        errors["role"] = "Kies een rol."
    elif payload["role"].startswith("insurer") and not payload["insurer_id"]:
        errors["insurer_id"] = "Kies de verzekeraar van deze gebruiker."
    created, again = forms.attempt_form(users, "POST", f"{IDENTITY}/users", payload, errors)
    if again is not None:
        return again
    return forms.done(
        f"Gebruiker {created['username']} is aangemaakt; bij de eerste keer inloggen kiest deze een nieuw wachtwoord.",
        "administration.users",
    )


SERVICES = ("identity", "catalogue", "contracting", "products", "support")


def _service_state(client: Any, service: str) -> dict[str, Any]:
    """One service's readiness and its queues with their dead letters (an error is shown, not raised)."""
    state: dict[str, Any] = {"service": service, "ready": False, "queues": [], "problem": None}
    try:
        state["ready"] = client.get(f"/api/{service}/health/ready").get("status") == "ok"
    except ApiError:
        state["ready"] = False
    try:
        state["queues"] = client.get(f"/api/{service}/dead-letters")
    except ApiError as exc:
        state["problem"] = exc.message
    return state


@bp.get("/beheer/berichtenwachtrijen")
@pages.login_required(platform=True)
def operations() -> Any:
    client = pages.api()
    states = client.gather(*(lambda s=service: _service_state(client, s) for service in SERVICES))
    return render_template("admin_operations.html", states=states)


@bp.post("/beheer/berichtenwachtrijen/<service>/<purpose>/replay")
@pages.login_required(platform=True)
def replay(service: str, purpose: str) -> Any:
    """What ``python -m <service>.manage replay <purpose> [--id ID]`` does, through the service's API."""
    if service not in SERVICES:
        return redirect(url_for("administration.operations"), 303)
    message_id = request.form.get("message_id") or None
    body = {"ids": [message_id]} if message_id else {}
    answer, refusal = forms.attempt("POST", f"/api/{service}/dead-letters/{purpose}/replay", body, (404, 422, 503))
    if refusal:
        flash(refusal.message, "error")
    else:
        count = int(answer["replayed"])
        flash(f"{count} bericht{'' if count == 1 else 'en'} opnieuw aangeboden aan {service} ({purpose}).", "success")
    return redirect(url_for("administration.operations"), 303)


@bp.post("/beheer/gebruikers/<uuid:user_id>/wachtwoord")
@pages.login_required(platform=True)
def user_reset(user_id: Any) -> Any:
    """A temporary password (R2 checked by identity); the user chooses a new one at the next login."""
    body = {"new_password": request.form.get("new_password", "")}
    done = "Het wachtwoord is gereset; de gebruiker kiest bij de volgende keer inloggen een nieuw wachtwoord."
    forms.submit("POST", f"{IDENTITY}/users/{user_id}/password-reset", body, done, explain=forms.first_problem)
    return redirect(url_for("administration.users"), 303)


@bp.post("/beheer/gebruikers/<uuid:user_id>/deactiveren")
@pages.login_required(platform=True)
def user_deactivate(user_id: Any) -> Any:
    done = "De gebruiker is gedeactiveerd: zijn sessies zijn beëindigd en hij kan niet meer inloggen."
    forms.submit("POST", f"{IDENTITY}/users/{user_id}/deactivation", None, done, refused=(409,))
    return redirect(url_for("administration.users"), 303)


@bp.get("/beheer/api-sleutels")
@pages.login_required(platform=True)
def api_keys() -> Any:
    return render_template("admin_api_keys.html", keys=pages.api().get(f"{IDENTITY}/api-keys"), created=None)


@bp.post("/beheer/api-sleutels")
@pages.login_required(platform=True)
def api_key_create() -> Any:
    """The key is shown on this answer only (identity keeps its hash); the page is never cached."""
    client = pages.api()
    name = request.form.get("name", "").strip()
    if not name:
        keys = client.get(f"{IDENTITY}/api-keys")
        return render_template(
            "admin_api_keys.html", keys=keys, created=None, error="Vul in wie de sleutel gebruikt."
        ), 422
    created = client.call("POST", f"{IDENTITY}/api-keys", json={"name": name})
    keys = client.get(f"{IDENTITY}/api-keys")
    return render_template("admin_api_keys.html", keys=keys, created=created), 201


@bp.post("/beheer/api-sleutels/<uuid:key_id>/intrekken")
@pages.login_required(platform=True)
def api_key_revoke(key_id: Any) -> Any:
    pages.api().call("DELETE", f"{IDENTITY}/api-keys/{key_id}")
    return forms.done("De API-sleutel is ingetrokken: de gateway weigert hem vanaf nu.", "administration.api_keys")


@bp.get("/beheer/verzekeraars")
@pages.login_required(platform=True)
def insurers(status: int = 200, **context: Any) -> forms.Page:
    return forms.page("admin_insurers.html", status, context, insurers=pages.api().get(f"{IDENTITY}/insurers"))


@bp.post("/beheer/verzekeraars")
@pages.login_required(platform=True)
def insurer_create() -> Any:
    """Register an insurer: its code fixes its id; identity tells every service by an event."""
    form = request.form
    payload = {"name": form.get("name", "").strip(), "slug": form.get("slug", "").strip().lower()}
    errors = forms.missing(payload, ("name", "slug"))
    created, again = forms.attempt_form(insurers, "POST", f"{IDENTITY}/insurers", payload, errors)
    if again is not None:
        return again
    return forms.done(f"Verzekeraar {created['name']} is geregistreerd.", "administration.insurers")


@bp.post("/beheer/verzekeraars/<uuid:insurer_id>")
@pages.login_required(platform=True)
def insurer_rename(insurer_id: Any) -> Any:
    name = request.form.get("name", "").strip()
    path, done = f"{IDENTITY}/insurers/{insurer_id}", f"De naam is gewijzigd in {name}."
    forms.submit("PATCH", path, {"name": name}, done, explain=forms.first_problem)
    return redirect(url_for("administration.insurers"), 303)
