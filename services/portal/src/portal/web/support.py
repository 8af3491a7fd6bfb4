"""Meld een probleem (R14) and Data wijzigingsverzoek (R15): the forms, one's own items with their
status, the maintainer's answers, and unread marks fed by support's notifications.

Insurer users see their own insurer's items only (support answers 404 for another's: the portal
shows "Niet gevonden"). Maintainers and platform admins handle them on the same detail pages.
"""

from __future__ import annotations

from typing import Any

from flask import Blueprint, flash, redirect, render_template, request, session, url_for

from portal.adapters.gateway import ApiError, GatewayClient
from portal.domain import labels
from portal.web import forms, pages
from portal.web import session as portal_session

bp = Blueprint("support", __name__)

SUPPORT = "/api/support"
CATALOGUE = "/api/catalogue"
#: the e-mail address last used in a form, kept in the signed cookie to prefill the next form
MAIL_KEY = "mail"
#: proposal fields per kind (support refuses a field that does not belong to the kind)
KIND_FIELDS = {
    "new_institution": ("name", "agb_code", "type", "address", "postcode", "city", "email", "phone"),
    "new_condition": ("condition_name",),
    "offering_change": (),
}


def unread_subjects(client: GatewayClient) -> tuple[set[str], int]:
    """The ids of reports and requests with an unread message, and the unread count (R14, R15)."""
    answer = client.get(f"{SUPPORT}/notifications", page_size=100)
    return {n["subject_id"] for n in answer["items"] if n.get("unread")}, int(answer.get("unread") or 0)


def mark_read(client: GatewayClient, subject_id: str) -> None:
    answer = client.get(f"{SUPPORT}/notifications", page_size=100)
    ids = [n["id"] for n in answer["items"] if n.get("unread") and n["subject_id"] == subject_id]
    if ids:
        client.call("POST", f"{SUPPORT}/notifications/read", json={"ids": ids})


def _prefill() -> dict[str, str]:
    """Name and e-mail from the logged-in user (the e-mail as last typed in this session)."""
    state = portal_session.current()
    assert state is not None
    return {"name": state.display_name, "email": str(session.get(MAIL_KEY) or "")}


# --- Meld een probleem (R14) -------------------------------------------------------------------


@bp.get("/meld-een-probleem")
@pages.login_required()
def reports(status: int = 200, **context: Any) -> forms.Page:
    client = pages.api()
    found, (unread, count) = client.gather(
        lambda: client.get(f"{SUPPORT}/reports", page_size=100), lambda: unread_subjects(client)
    )
    return forms.page(
        "support_reports.html", status, context, form=_prefill(), reports=found, unread=unread, unread_count=count
    )


@bp.post("/meld-een-probleem")
@pages.login_required()
def report_create() -> Any:
    form = request.form
    payload = {
        "name": form.get("name", "").strip(),
        "email": form.get("email", "").strip(),
        "description": form.get("description", "").strip(),
        "about_screen": form.get("about_screen", "").strip() or None,
    }
    errors = forms.missing(
        payload,
        {
            "name": "Vul uw naam in.",
            "email": "Vul uw e-mailadres in.",
            "description": "Beschrijf uw vraag of probleem.",
        },
    )
    incomplete = "Vul de gemarkeerde velden in (R14)."
    created, again = forms.attempt_form(reports, "POST", f"{SUPPORT}/reports", payload, errors, (422,), incomplete)
    if again is not None:
        return again
    session[MAIL_KEY] = payload["email"]
    return forms.done(
        f"Uw melding {created['number']} is verstuurd. Wij nemen zo spoedig mogelijk contact met u op.",
        "support.report",
        report_id=created["id"],
    )


@bp.get("/meldingen/<uuid:report_id>")
@pages.login_required(insurer=False)
def report(report_id: Any) -> Any:
    client = pages.api()
    found = client.get(f"{SUPPORT}/reports/{report_id}")
    mark_read(client, str(report_id))
    return render_template("support_report.html", report=found, statuses=report_moves(found["status"]))


def report_moves(current: str) -> list[tuple[str, str]]:
    """The status changes the logged-in side may make from ``current`` (R14), as (code, button label)."""
    state = portal_session.current()
    assert state is not None
    if state.is_maintainer:
        moves = {
            "in_progress": "In behandeling",
            "waiting_for_reporter": "Wacht op melder",
            "resolved": "Opgelost",
            "closed": "Sluiten",
        }
        return [(code, label) for code, label in moves.items() if code != current and current != "closed"]
    if current == "resolved":
        return [("in_progress", "Heropenen"), ("closed", "Sluiten")]
    return [] if current == "closed" else [("closed", "Sluiten")]


@bp.post("/meldingen/<uuid:report_id>/reactie")
@pages.login_required(insurer=False)
def report_comment(report_id: Any) -> Any:
    body = request.form.get("body", "").strip()
    if not body:
        flash("Schrijf eerst uw reactie.", "error")
    else:
        pages.api().call("POST", f"{SUPPORT}/reports/{report_id}/comments", json={"body": body})
        flash("Uw reactie is verstuurd.", "success")
    return redirect(url_for("support.report", report_id=report_id), 303)


@bp.post("/meldingen/<uuid:report_id>/status")
@pages.login_required(insurer=False)
def report_status(report_id: Any) -> Any:
    status = {"status": request.form.get("status")}
    forms.submit("POST", f"{SUPPORT}/reports/{report_id}/status", status, "De status is gewijzigd.")
    return redirect(url_for("support.report", report_id=report_id), 303)


# --- Data wijzigingsverzoek (R15) --------------------------------------------------------------


def _catalogue_lists(client: GatewayClient) -> dict[str, Any]:
    specialisms, conditions = client.gather(
        lambda: client.get(f"{CATALOGUE}/specialisms"), lambda: client.get(f"{CATALOGUE}/conditions")
    )
    by_specialism: dict[str, list[dict[str, Any]]] = {}
    for condition in conditions:
        by_specialism.setdefault(condition["specialism_id"], []).append(condition)
    return {"specialisms": specialisms, "conditions": by_specialism}


@bp.get("/data-wijzigingsverzoek")
@pages.login_required()
def requests_(status: int = 200, **context: Any) -> forms.Page:
    client = pages.api()
    found, (unread, count), lists, collections = client.gather(
        lambda: client.get(f"{SUPPORT}/requests", page_size=100),
        lambda: unread_subjects(client),
        lambda: _catalogue_lists(client),
        lambda: client.get("/api/contracting/collections"),
    )
    prefill = _prefill()
    return forms.page(
        "support_requests.html",
        status,
        context,
        form={"kind": "new_institution", "requester_name": prefill["name"], "requester_email": prefill["email"]},
        requests=found,
        unread=unread,
        unread_count=count,
        collections=collections,
        types=labels.REQUEST_INSTITUTION_TYPES,
        **lists,
    )


def institution_id_by_agb(client: GatewayClient, agb: str) -> str | None:
    agb = agb.strip()
    if not agb:
        return None
    found = client.get(f"{CATALOGUE}/institutions", agb_code=agb)
    items = found["items"] if isinstance(found, dict) else found
    return str(items[0]["id"]) if items else ""


def request_payload(form: Any, client: GatewayClient) -> tuple[dict[str, Any], dict[str, str]]:
    """The API body of the form's kind (only that kind's fields), and the portal's own field errors."""
    kind = form.get("kind", "")
    if kind not in KIND_FIELDS:
        return {}, {"kind": "Kies waarop uw verzoek betrekking heeft."}
    payload: dict[str, Any] = {"kind": kind, **{f: form.get(f, "").strip() or None for f in KIND_FIELDS[kind]}}
    payload["requester_name"] = form.get("requester_name", "").strip() or None
    payload["requester_email"] = form.get("requester_email", "").strip() or None
    payload["explanation"] = form.get("explanation", "").strip() or None
    specialism, condition = form.get("specialism_id") or None, form.get("condition_id") or None
    errors: dict[str, str] = {}
    if kind in ("new_institution", "new_condition"):
        payload["specialism_id"] = specialism
    if kind == "new_institution":
        payload["condition_id"] = condition
    else:
        institution = institution_id_by_agb(client, form.get("institution_agb", ""))
        if institution == "":
            errors["institution_agb"] = "Deze AGB-code staat niet in de catalogus."
        elif institution is None:
            errors["institution_agb"] = "Vul de AGB-code in van de instelling waar dit is gecontracteerd."
        if kind == "new_condition":
            payload["institution_ids"] = [institution] if institution else []
        else:
            payload["institution_id"] = institution
            payload["add_condition_ids"] = [condition] if condition else []
            payload["add_specialism_ids"] = [specialism] if specialism else []
    if form.get("collection_id") and form.get("collection_status"):
        payload["collection_id"], payload["collection_status"] = form["collection_id"], form["collection_status"]
    return payload, errors


@bp.post("/data-wijzigingsverzoek")
@pages.login_required()
def request_create() -> Any:
    client = pages.api()
    payload, errors = request_payload(request.form, client)
    if errors:
        return requests_(422, form=request.form, errors=errors, message="Controleer de gemarkeerde velden (R15).")
    created, refusal = forms.attempt("POST", f"{SUPPORT}/requests", payload)
    if refusal:
        fields = {
            ("institution_agb" if k.startswith("institution_id") else k): v for k, v in refusal.field_errors().items()
        }
        return requests_(refusal.status, form=request.form, errors=fields, message=refusal.message)
    if payload.get("requester_email"):
        session[MAIL_KEY] = payload["requester_email"]
    due_on = labels.date(created.get("due_on"))
    done = f"Uw verzoek {created['number']} is verzonden; u krijgt uiterlijk {due_on} een reactie (vijf werkdagen)."
    return forms.done(done, "support.change_request", request_id=created["id"])


@bp.get("/verzoeken/<uuid:request_id>")
@pages.login_required(insurer=False)
def change_request(request_id: Any) -> Any:
    client = pages.api()
    found, lists = client.gather(
        lambda: client.get(f"{SUPPORT}/requests/{request_id}"), lambda: _catalogue_lists(client)
    )
    mark_read(client, str(request_id))
    names = {s["id"]: s["name"] for s in lists["specialisms"]}
    names |= {c["id"]: c["name"] for group in lists["conditions"].values() for c in group}
    names |= institution_names(client, found.get("proposal") or {})
    return render_template("support_request.html", item=found, names=names, **lists)


def institution_names(client: GatewayClient, proposal: dict[str, Any]) -> dict[str, str]:
    """'Name (AGB-code)' of the institutions a proposal names (a few at most)."""
    ids = [
        *(proposal.get("institution_ids") or []),
        *([proposal["institution_id"]] if proposal.get("institution_id") else []),
    ]
    names: dict[str, str] = {}
    for institution_id in ids[:20]:
        try:
            found = client.get(f"{CATALOGUE}/institutions/{institution_id}")
        except ApiError:
            continue
        names[institution_id] = f"{found['name']} ({found['agb_code']})"
    return names


@bp.post("/verzoeken/<uuid:request_id>/status")
@pages.login_required(insurer=False)
def request_status(request_id: Any) -> Any:
    body = {"status": request.form.get("status"), "version": int(request.form.get("version") or 0) or None}
    if request.form.get("reason", "").strip():
        body["reason"] = request.form["reason"].strip()
    forms.submit("POST", f"{SUPPORT}/requests/{request_id}/status", body, "De status van het verzoek is gewijzigd.")
    return redirect(url_for("support.change_request", request_id=request_id), 303)


# --- Berichten ----------------------------------------------------------------------------------


@bp.get("/berichten")
@pages.login_required(insurer=False)
def notifications() -> Any:
    answer = pages.api().get(f"{SUPPORT}/notifications", page_size=100)
    return render_template("support_notifications.html", notifications=answer)


@bp.post("/berichten/gelezen")
@pages.login_required(insurer=False)
def notifications_read() -> Any:
    pages.api().call("POST", f"{SUPPORT}/notifications/read", json={})
    return forms.done("Alle berichten zijn gemarkeerd als gelezen.", "support.notifications")
