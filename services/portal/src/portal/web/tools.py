"""The purchasing teams' tools (issue 15), from a collection: Kopiëren (with the rollover's progress bar
when the copy runs as a job), Vergelijken (with another collection or last year's), the
Consistentiecontrole with "bewust zo"; and on a product: its differences against last year.

Contracting does the work; these views only translate form -> API -> page."""

from __future__ import annotations

import re
from typing import Any

from flask import Blueprint, Response, flash, redirect, render_template, request, url_for

from portal.adapters.gateway import ApiError
from portal.web import forms, pages

bp = Blueprint("tools", __name__)

CONTRACTING = "/api/contracting"
#: the compare filters: the portal's query names (as in the listings) -> the API's
FILTERS = {
    "niveau": "level",
    "groep": "group_id",
    "type": "type",
    "naam": "name",
    "agb": "agb_code",
    "specialisme": "specialism_id",
}
LAST_YEAR = "vorig-jaar"


# -- Kopiëren ------------------------------------------------------------------------------------------


@bp.get("/contractering/<uuid:collection_id>/kopieren")
@pages.login_required()
def copy_form(collection_id: Any, status: int = 200, **context: Any) -> forms.Page:
    client = pages.api()
    collection, refs = client.gather(
        lambda: client.get(f"{CONTRACTING}/collections/{collection_id}"), lambda: pages.reference_lists(client)
    )
    context.setdefault("job", None)
    suggested = {"name": f"Kopie van {collection['name']}", "collection_type": collection["collection_type"]}
    data = {"collection": collection, "refs": refs, "collection_id": str(collection_id)}
    return forms.page("tools_copy.html", status, context, form=suggested, **data)


@bp.post("/contractering/<uuid:collection_id>/kopieren")
@pages.login_required()
def copy(collection_id: Any) -> Any:
    form = request.form
    errors = {} if form.get("name", "").strip() else {"name": "Vul een naam in."}
    if not form.get("collection_type"):
        errors["collection_type"] = "Kies een contract collectie type."
    if errors:
        return copy_form(collection_id, 422, form=form, errors=errors, message="Vul de gemarkeerde velden in (R4).")
    payload = {
        "name": form["name"].strip(),
        "collection_type": form["collection_type"],
        "description": form.get("description", "").strip() or None,
        "with_remarks": form.get("opmerkingen") == "ja",
    }
    try:
        answer = pages.api().request("POST", f"{CONTRACTING}/collections/{collection_id}/copy", json=payload)
    except ApiError as exc:
        if exc.status not in (409, 422):
            raise
        errors = exc.field_errors() or {"name": exc.message}
        return copy_form(collection_id, exc.status, form=form, errors=errors, message=exc.message)
    body = answer.json()
    if answer.status_code == 202:  # a large copy: the worker copies it, the page follows the job
        return redirect(url_for("tools.copy_progress", collection_id=collection_id, job_id=body["job_id"]), 303)
    flash(f"De collectie {body['name']} is gekopieerd uit de bron.", "success")
    return redirect(url_for("collections.overview") + f"#collectie-{body['collection_id']}", 303)


@bp.get("/contractering/<uuid:collection_id>/kopieren/<uuid:job_id>")
@pages.login_required()
def copy_progress(collection_id: Any, job_id: Any) -> Any:
    job = pages.api().get(f"{CONTRACTING}/collections/{collection_id}/copy/{job_id}")
    if pages.is_htmx():
        return render_template("partials/copy_progress.html", job=job, collection_id=collection_id)
    page, _ = copy_form(collection_id, job=job)
    return page


# -- Vergelijken ---------------------------------------------------------------------------------------


def _shown() -> dict[str, str]:
    return {
        name: request.args.get(name, "").strip() for name in (*FILTERS, "met") if request.args.get(name, "").strip()
    }


def _api_args(shown: dict[str, str]) -> dict[str, str]:
    args = {FILTERS[k]: v for k, v in shown.items() if k in FILTERS}
    if shown.get("met") and shown["met"] != LAST_YEAR:
        args["other_collection_id"] = shown["met"]
    return args


def _comparison(path: str, args: dict[str, str]) -> tuple[Any, str | None]:
    try:
        return pages.api().get(path, **args), None
    except ApiError as exc:
        if exc.status not in (404, 422):
            raise
        return None, exc.message if exc.status == 404 else "Controleer de filters."


@bp.get("/contractering/<uuid:collection_id>/vergelijken")
@pages.login_required()
def compare(collection_id: Any) -> Any:
    client = pages.api()
    shown = _shown()
    collection, collections, groups, specialisms = client.gather(
        lambda: client.get(f"{CONTRACTING}/collections/{collection_id}"),
        lambda: client.get(f"{CONTRACTING}/collections"),
        lambda: pages.groups(client),
        lambda: client.get("/api/catalogue/specialisms"),
    )
    comparison, message = (None, None)
    if shown.get("met"):
        comparison, message = _comparison(f"{CONTRACTING}/collections/{collection_id}/compare", _api_args(shown))
    others = [c for c in collections if c["collection_id"] != str(collection_id)]
    return render_template(
        "tools_compare.html",
        collection=collection,
        others=others,
        groups=groups,
        specialisms=_items(specialisms),
        shown=shown,
        comparison=comparison,
        message=message,
        export_path=f"/contractering/{collection_id}/vergelijken/export",
    )


def _items(answer: Any) -> list[Any]:
    return list(answer["items"] if isinstance(answer, dict) else answer)


def _download(path: str, args: dict[str, str]) -> Response:
    fmt = "xlsx" if request.args.get("formaat") == "xlsx" else "csv"
    answer = pages.api().request("GET", path, params=args | {"format": fmt})
    headers = {
        "Content-Disposition": answer.headers.get("Content-Disposition", f"attachment; filename=verschillen.{fmt}")
    }
    return Response(answer.content, mimetype=answer.headers.get("Content-Type"), headers=headers)


@bp.get("/contractering/<uuid:collection_id>/vergelijken/export")
@pages.login_required()
def compare_export(collection_id: Any) -> Any:
    return _download(f"{CONTRACTING}/collections/{collection_id}/compare/export", _api_args(_shown()))


# -- Consistentiecontrole ------------------------------------------------------------------------------

#: the API's listing paths -> the portal's pages of the same rows
LINKS = (
    (
        re.compile(r"^/collections/([^/]+)/institutions/([^/]+)/departments/([^/]+)/conditions$"),
        "/contractering/{0}/instellingen/{1}/afdelingen/{2}/aandoeningen",
    ),
    (
        re.compile(r"^/collections/([^/]+)/institutions/([^/]+)/departments$"),
        "/contractering/{0}/instellingen/{1}/afdelingen",
    ),
    (re.compile(r"^/collections/([^/]+)/institutions$"), "/contractering/{0}"),
)


def portal_link(api_link: str) -> str:
    for pattern, page in LINKS:
        found = pattern.match(api_link)
        if found:
            return page.format(*found.groups())
    return "/contractering"


@bp.get("/contractering/<uuid:collection_id>/consistentie")
@pages.login_required()
def consistency(collection_id: Any, status: int = 200, **context: Any) -> forms.Page:
    client = pages.api()
    show_all = request.args.get("ook-bewust") == "1"
    collection, report = client.gather(
        lambda: client.get(f"{CONTRACTING}/collections/{collection_id}"),
        lambda: client.get(
            f"{CONTRACTING}/collections/{collection_id}/consistency", include_intended=str(show_all).lower()
        ),
    )
    for item in report["items"]:
        item["page"] = portal_link(item["link"])
    context.setdefault("errors", {})
    context.setdefault("message", None)
    page = render_template("tools_consistency.html", collection=collection, report=report, show_all=show_all, **context)
    return page, status


@bp.post("/contractering/<uuid:collection_id>/consistentie/bewust")
@pages.login_required()
def intended(collection_id: Any) -> Any:
    form = request.form
    key = form.get("sleutel", "")
    if not form.get("reden", "").strip():
        return consistency(collection_id, 422, errors={key: "Geef een reden waarom dit bewust zo is."})
    payload = {
        "kind": form.get("soort", ""),
        "institution_id": form.get("instelling", ""),
        "subject_id": form.get("onderdeel") or None,
        "reason": form["reden"].strip(),
    }
    path = f"{CONTRACTING}/collections/{collection_id}/consistency/intended"
    _, refusal = forms.attempt("POST", path, payload, (404, 409, 422))
    if refusal:
        return consistency(collection_id, refusal.status, errors={key: refusal.message})
    return forms.done(
        "Gemarkeerd als bewust zo: de bevinding verdwijnt tot een van haar rijen weer wijzigt.",
        "tools.consistency",
        collection_id=collection_id,
    )


# -- a product against last year -----------------------------------------------------------------------


@bp.get("/producten/<uuid:product_id>/verschillen")
@pages.login_required()
def product_differences(product_id: Any) -> Any:
    client = pages.api()
    shown = _shown()
    products = client.get("/api/products/links")
    product = next((p for p in products if p["product_id"] == str(product_id)), None)
    if product is None:
        return render_template("error.html", title="Niet gevonden", message="Dit product bestaat niet in uw jaar."), 404
    comparison, message = _comparison(f"{CONTRACTING}/products/{product_id}/compare", _api_args(shown))
    return render_template(
        "tools_product.html",
        product=product,
        groups=pages.groups(client),
        specialisms=_items(client.get("/api/catalogue/specialisms")),
        shown=shown,
        comparison=comparison,
        message=message,
        export_path=f"/producten/{product_id}/verschillen/export",
    )


@bp.get("/producten/<uuid:product_id>/verschillen/export")
@pages.login_required()
def product_export(product_id: Any) -> Any:
    return _download(f"{CONTRACTING}/products/{product_id}/compare/export", _api_args(_shown()))
