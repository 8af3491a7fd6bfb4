"""Catalogue maintenance (issue 13): groups, specialisms, conditions, an institution's data and
merge, and the catalogue's CSV export and import.

Every save goes to the catalogue's API; the catalogue publishes an event and the contracting
service brings the change into every insurer's open-year collections (R16), which each page says
once the save succeeded. The catalogue checks the role again: hiding a link is never the protection.
"""

from __future__ import annotations

import contextlib
import functools
import uuid
from typing import Any, NamedTuple

from flask import Blueprint, Response, flash, jsonify, redirect, render_template, request, url_for

from portal.adapters.gateway import ApiError
from portal.web import forms, pages

bp = Blueprint("catalogue_admin", __name__)

CATALOGUE = "/api/catalogue"
ON_ITS_WAY = "De wijziging is onderweg naar de collecties van de verzekeraars (R16)."
GROUP_KINDS = {"hospital_organisation": "Ziekenhuisorganisatie", "other": "Overig"}


class Listing(NamedTuple):
    """A list of the catalogue that a maintainer keeps on a page of its own, its items renamed and retired alike."""

    api: str  #: the catalogue's list, also the name of its page's view
    unnamed: str  #: the message when a form leaves the name empty
    renamed: str  #: what the page says after a rename ("{name}": the new name)
    retired: str  #: what the page says after retiring an item


#: the lists by their page's name (/beheer/groepen, ...)
LISTS = {
    "groepen": Listing(
        "groups",
        "Naam van de groep: vul dit veld in.",
        "De groep heet nu {name}.",
        "De groep is vervallen; gesloten instellingen houden haar in hun geschiedenis.",
    ),
    "specialismen": Listing(
        "specialisms",
        "Naam van het specialisme: vul dit veld in.",
        "Het specialisme heet nu {name}.",
        "Het specialisme en zijn aandoeningen zijn vervallen en verdwijnen uit elk aanbod.",
    ),
    "aandoeningen": Listing(
        "conditions",
        "Naam van de aandoening: vul dit veld in.",
        "De aandoening heet nu {name}.",
        "De aandoening is vervallen en verdwijnt uit elk aanbod.",
    ),
}
#: the part of a route that names one of the LISTS
LIST_PAGE = "<any(groepen, specialismen, aandoeningen):page>"
INSTITUTION_FIELDS = (
    "name",
    "agb_code",
    "type",
    "group_id",
    "address",
    "postcode",
    "city",
    "country",
    "phone",
    "email",
)


def _save(method: str, path: str, body: dict[str, Any] | None, done: str) -> bool:
    """One catalogue call; a refusal (404/409/422) is flashed in Dutch, naming the field and the rule."""
    return forms.submit(method, path, body, f"{done} {ON_ITS_WAY}", refused=(404, 409, 422), explain=forms.with_fields)


def _save_filled(
    method: str, path: str, body: dict[str, Any], required: tuple[str, ...], missing: str, done: str
) -> None:
    """A save whose ``required`` fields must be filled in: else the form's own ``missing`` message, unasked."""
    if any(not body.get(key) for key in required):
        flash(missing, "error")
    else:
        _save(method, path, body, done)


def _name() -> str:
    return request.form.get("name", "").strip()


@bp.get("/beheer/groepen")
@pages.login_required(maintainer=True)
def groups() -> Any:
    found = pages.api().get(
        f"{CATALOGUE}/groups", name=request.args.get("naam", "").strip() or None, include_retired="true"
    )
    return render_template("admin_groups.html", groups=found, kinds=GROUP_KINDS, name=request.args.get("naam", ""))


@bp.post("/beheer/groepen")
@pages.login_required(maintainer=True)
def group_create() -> Any:
    name, kind = _name(), request.form.get("kind", "hospital_organisation")
    body, done = {"name": name, "kind": kind}, f"Groep {name} is aangemaakt."
    _save_filled("POST", f"{CATALOGUE}/groups", body, ("name",), LISTS["groepen"].unnamed, done)
    return redirect(url_for("catalogue_admin.groups"), 303)


@bp.get("/beheer/specialismen")
@pages.login_required(maintainer=True)
def specialisms() -> Any:
    found = pages.api().get(f"{CATALOGUE}/specialisms", include_retired="true")
    return render_template("admin_specialisms.html", specialisms=found)


@bp.post("/beheer/specialismen")
@pages.login_required(maintainer=True)
def specialism_create() -> Any:
    name, code = _name(), request.form.get("code", "").strip()
    missing = "Vul de Vektis-code (4 cijfers) en de naam van het specialisme in."
    body, done = {"code": code, "name": name}, f"Specialisme {name} is toegevoegd."
    _save_filled("POST", f"{CATALOGUE}/specialisms", body, ("code", "name"), missing, done)
    return redirect(url_for("catalogue_admin.specialisms"), 303)


@bp.get("/beheer/aandoeningen")
@pages.login_required(maintainer=True)
def conditions() -> Any:
    client = pages.api()
    chosen, name = request.args.get("specialisme", "").strip(), request.args.get("naam", "").strip()
    found, specialisms_found = client.gather(
        lambda: client.get(
            f"{CATALOGUE}/conditions", specialism_id=chosen or None, name=name or None, include_retired="true"
        ),
        lambda: client.get(f"{CATALOGUE}/specialisms"),
    )
    names = {s["id"]: s["name"] for s in specialisms_found}
    return render_template(
        "admin_conditions.html",
        conditions=found,
        specialisms=specialisms_found,
        specialism_names=names,
        chosen=chosen,
        name=name,
    )


def _back_to(listing: str) -> Any:
    """The list again, with the filter its form kept (the conditions' specialism)."""
    return redirect(url_for(f"catalogue_admin.{listing}", specialisme=request.form.get("specialisme") or None), 303)


@bp.post("/beheer/aandoeningen")
@pages.login_required(maintainer=True)
def condition_create() -> Any:
    name, specialism = _name(), request.form.get("specialism_id", "")
    missing = "Kies het specialisme en vul de naam van de aandoening in."
    body, done = {"name": name, "specialism_id": specialism}, f"Aandoening {name} is toegevoegd."
    _save_filled("POST", f"{CATALOGUE}/conditions", body, ("name", "specialism_id"), missing, done)
    return _back_to("conditions")


@bp.post(f"/beheer/{LIST_PAGE}/<uuid:item_id>")
@pages.login_required(maintainer=True)
def rename(page: str, item_id: Any) -> Any:
    """An item's new name; a group's form also sends its kind (only what is filled in is sent)."""
    listing, name = LISTS[page], _name()
    body = {k: v for k, v in {"name": name, "kind": request.form.get("kind") or None}.items() if v}
    done = listing.renamed.format(name=name)
    _save_filled("PATCH", f"{CATALOGUE}/{listing.api}/{item_id}", body, ("name",), listing.unnamed, done)
    return _back_to(listing.api)


@bp.post(f"/beheer/{LIST_PAGE}/<uuid:item_id>/vervallen")
@pages.login_required(maintainer=True)
def retire(page: str, item_id: Any) -> Any:
    """An item retired; a group only when empty: the catalogue refuses (409) while open institutions belong
    to it, and says so."""
    listing = LISTS[page]
    _save("POST", f"{CATALOGUE}/{listing.api}/{item_id}/retire", None, listing.retired)
    return _back_to(listing.api)


@bp.get("/beheer/instellingen/<uuid:institution_id>/bewerken")
@pages.login_required(maintainer=True)
def institution_edit(institution_id: Any, status: int = 200, **context: Any) -> forms.Page:
    client = pages.api()
    institution, groups_found = client.gather(
        lambda: client.get(f"{CATALOGUE}/institutions/{institution_id}"),
        lambda: client.get(f"{CATALOGUE}/groups"),
    )
    return forms.page(
        "admin_institution_edit.html", status, context, form=institution, institution=institution, groups=groups_found
    )


@bp.post("/beheer/instellingen/<uuid:institution_id>/bewerken")
@pages.login_required(maintainer=True)
def institution_save(institution_id: Any) -> Any:
    """Only the fields on the form; an emptied optional field is cleared (null), a required one named."""
    form = request.form
    payload: dict[str, Any] = {key: form.get(key, "").strip() or None for key in INSTITUTION_FIELDS}
    errors = forms.missing(payload, ("name", "agb_code", "type", "country"))
    page = functools.partial(institution_edit, institution_id)
    _, again = forms.attempt_form(page, "PATCH", f"{CATALOGUE}/institutions/{institution_id}", payload, errors)
    if again is not None:
        return again
    done = f"De gegevens van {payload['name']} zijn opgeslagen. {ON_ITS_WAY}"
    return forms.done(done, "catalogue_admin.institution_edit", institution_id=institution_id)


@bp.post("/beheer/instellingen/<uuid:institution_id>/fuseren")
@pages.login_required(maintainer=True)
def institution_merge(institution_id: Any) -> Any:
    """The institution closes and goes up in the one with the given AGB code (the catalogue's merge)."""
    client = pages.api()
    agb = request.form.get("into_agb_code", "").strip()
    found = client.get(f"{CATALOGUE}/institutions", agb_code=agb, page_size=1)["items"] if agb else []
    if not found:
        flash(f"Fuseren met: geen instelling met AGB-code {agb or '(leeg)'} gevonden.", "error")
    else:
        body = {"into_institution_id": found[0]["id"], "closed_on": request.form.get("closed_on") or None}
        _save(
            "POST",
            f"{CATALOGUE}/institutions/{institution_id}/merge",
            body,
            f"De instelling is gefuseerd met {found[0]['name']} en gesloten.",
        )
    return redirect(url_for("catalogue_admin.institution_edit", institution_id=institution_id), 303)


@bp.get("/beheer/catalogus-csv")
@pages.login_required(maintainer=True)
def csv_page(status: int = 200, *, result: Any = None, problems: Any = (), message: str | None = None) -> forms.Page:
    """The page, with a fresh ``import_id`` in its form: the bar follows the import by that id."""
    context = {"result": result, "problems": list(problems), "message": message, "import_id": uuid.uuid4()}
    return render_template("admin_catalogue_csv.html", **context), status


@bp.get("/beheer/catalogus-csv/voortgang/<uuid:import_id>")
@pages.login_required(maintainer=True)
def csv_progress(import_id: Any) -> Any:
    """How far the catalogue is with the import (JSON for the bar); 404 until the catalogue has started it."""
    try:
        found = pages.api().get(f"{CATALOGUE}/institutions/import/progress/{import_id}")
    except ApiError as exc:
        if exc.status != 404:
            raise
        return jsonify(phase="wacht", percent=0, done=0, total=0, finished=False), 404
    return jsonify({k: found.get(k) for k in ("phase", "percent", "done", "total", "finished")})


@bp.get("/beheer/catalogus-csv/export")
@pages.login_required(maintainer=True)
def csv_export() -> Any:
    answer = pages.api().request("GET", f"{CATALOGUE}/institutions/export", headers={"Accept": "text/csv"})
    return Response(
        answer.content,
        mimetype="text/csv",
        headers={"Content-Disposition": 'attachment; filename="instellingen.csv"'},
    )


@bp.post("/beheer/catalogus-csv")
@pages.login_required(maintainer=True)
def csv_import() -> Any:
    """All lines or none (the catalogue decides); a refusal shows every wrong line with its field and reason."""
    upload = request.files.get("file")
    dry_run = request.form.get("dry_run") == "on"
    if upload is None or not upload.filename:
        return csv_page(422, message="Bestand: kies een CSV-bestand om in te lezen.")
    params = {"dry_run": "true" if dry_run else "false"}
    with contextlib.suppress(ValueError):  # no id (a page from before): imported, without a bar to follow it
        params["import_id"] = str(uuid.UUID(request.form.get("import_id", "")))
    try:
        result = pages.api().call(
            "POST",
            f"{CATALOGUE}/institutions/import",
            params=params,
            files={"file": (upload.filename, upload.stream.read(), "text/csv")},
            timeout=pages.settings().import_timeout,
        )
    except ApiError as exc:
        if exc.status not in (400, 409, 413, 415, 422):
            raise
        rows = exc.errors.get("rows")
        problems = [row for row in rows if isinstance(row, dict)] if isinstance(rows, list) else []
        return csv_page(exc.status, problems=problems, message=exc.message)
    return csv_page(result=result)
