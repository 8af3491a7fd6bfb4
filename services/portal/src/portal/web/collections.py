"""Contractering: the year's collections with their counts (R4), adding one, a collection's history,
and its spreadsheet export and import."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, Response, flash, redirect, render_template, request, url_for

from portal.adapters.gateway import ApiError
from portal.web import forms, pages, session

bp = Blueprint("collections", __name__)

CONTRACTING = "/api/contracting"


@bp.get("/contractering")
@pages.login_required()
def overview(status: int = 200, **context: Any) -> forms.Page:
    client = pages.api()
    collections, refs = client.gather(
        lambda: client.get(f"{CONTRACTING}/collections"), lambda: pages.reference_lists(client)
    )
    return forms.page("collections.html", status, context, collections=collections, refs=refs)


@bp.post("/contractering")
@pages.login_required()
def create() -> Any:
    form = request.form
    state = session.current()
    assert state is not None
    if form.get("insurer_id") != state.insurer_id:
        return overview(422, form=form, errors={"insurer_id": "Kies uw eigen verzekeraar (R4)."})
    errors = _missing(form)
    if errors:
        return overview(422, form=form, errors=errors, message="Vul de gemarkeerde velden in (R4).")
    payload = {
        "name": form.get("name", "").strip(),
        "care_type": form.get("care_type") or "hospital",
        "collection_type": form.get("collection_type", ""),
        "description": form.get("description", "").strip() or None,
    }
    created, refusal = forms.attempt("POST", f"{CONTRACTING}/collections", payload)
    if refusal:
        errors = refusal.field_errors() or {"name": refusal.message}
        return overview(refusal.status, form=form, errors=errors, message=_dutch(refusal))
    flash(f"De collectie {created['name']} is toegevoegd voor {state.year}.", "success")
    return redirect(url_for("collections.overview") + f"#collectie-{created['collection_id']}")


def _missing(form: Any) -> dict[str, str]:
    """R4's required fields, checked here first so that the message is the portal's own and Dutch."""
    errors = {}
    if not form.get("name", "").strip():
        errors["name"] = "Vul een naam in."
    elif len(form["name"].strip()) > 200:
        errors["name"] = "Een naam heeft hoogstens 200 tekens."
    if not form.get("collection_type"):
        errors["collection_type"] = "Kies een contract collectie type."
    return errors


def _dutch(exc: ApiError) -> str:
    """The API's message when it speaks Dutch; its schema layer may still answer in English."""
    return exc.message if exc.status == 409 or exc.body.get("errors") is None else "Controleer de gemarkeerde velden."


@bp.get("/contractering/<uuid:collection_id>/geschiedenis")
@pages.login_required()
def history(collection_id: Any) -> Any:
    """The collection's saves (who, when, what) and the rows' changes, optionally of one institution."""
    client = pages.api()
    base = f"{CONTRACTING}/collections/{collection_id}"
    institution_id = request.args.get("instelling") or None
    page = _page_number()
    collection, changes, rows = client.gather(
        lambda: client.get(base),
        lambda: client.get(f"{base}/changes", page_size=20),
        lambda: client.get(f"{base}/history", institution_id=institution_id, page=page, page_size=100),
    )
    return render_template(
        "history.html", collection=collection, changes=changes, rows=rows, institution_id=institution_id
    )


def _page_number() -> int:
    raw = request.args.get("pagina", "1")
    return int(raw) if raw.isdigit() and int(raw) > 0 else 1


@bp.get("/contractering/<uuid:collection_id>/export")
@pages.login_required()
def export(collection_id: Any) -> Any:
    fmt = "xlsx" if request.args.get("formaat") == "xlsx" else "csv"
    answer = pages.api().request("GET", f"{CONTRACTING}/collections/{collection_id}/export", params={"format": fmt})
    headers = {"Content-Disposition": answer.headers.get("Content-Disposition", f"attachment; filename=export.{fmt}")}
    return Response(answer.content, mimetype=answer.headers.get("Content-Type"), headers=headers)


@bp.get("/contractering/<uuid:collection_id>/import")
@pages.login_required()
def import_form(collection_id: Any) -> Any:
    collection = pages.api().get(f"{CONTRACTING}/collections/{collection_id}")
    return render_template("import.html", collection=collection, report=None, result=None)


@bp.post("/contractering/<uuid:collection_id>/import")
@pages.login_required()
def import_file(collection_id: Any) -> Any:
    client = pages.api()
    collection = client.get(f"{CONTRACTING}/collections/{collection_id}")
    upload = request.files.get("file")
    if upload is None or not upload.filename:
        return render_template("import.html", collection=collection, message="Kies een bestand om in te lezen."), 422
    files = {"file": (upload.filename, upload.read(), upload.mimetype or "application/octet-stream")}
    try:
        result = client.call("POST", f"{CONTRACTING}/collections/{collection_id}/import", files=files)
    except ApiError as exc:
        if exc.status not in (409, 412, 422):
            raise
        details = exc.errors.get("details") or {}
        report = details.get("errors") if isinstance(details, dict) else None
        page = render_template("import.html", collection=collection, message=exc.message, report=report or [])
        return page, exc.status
    return render_template("import.html", collection=collection, result=result)
