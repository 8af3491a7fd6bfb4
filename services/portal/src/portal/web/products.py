"""Producten (R13): the insurer's products of the login year, per product one of its hospital
collections of that year, saved together with "Koppel producten" (all rows or none).

The products service decides; on a refusal the portal shows its per-row report next to each row
and keeps the user's choices, so nothing is lost and nothing is half-saved."""

from __future__ import annotations

import re
from typing import Any

from flask import Blueprint, render_template, request

from portal.web import forms, pages

bp = Blueprint("products", __name__)

PRODUCTS = "/api/products"
#: a refused row as the products service names it: ``rows.<i>.<field>``
ROW_ERROR = re.compile(r"^rows\.(\d+)\.")


@bp.get("/producten")
@pages.login_required()
def links(status: int = 200, chosen: dict[str, str] | None = None, **context: Any) -> forms.Page:
    client = pages.api()
    products, collections = client.gather(
        lambda: client.get(f"{PRODUCTS}/links"), lambda: client.get(f"{PRODUCTS}/collections")
    )
    products = sorted(products, key=lambda p: (p["company_name"], p["name"]))
    if chosen is None:
        chosen = {p["product_id"]: p.get("collection_id") or "" for p in products}
    context.setdefault("row_errors", {})
    context.setdefault("message", None)
    return render_template(
        "products.html",
        products=products,
        collections=sorted(collections, key=lambda c: c["name"]),
        chosen=chosen,
        **context,
    ), status


@bp.post("/producten")
@pages.login_required()
def link() -> Any:
    product_ids = request.form.getlist("product_id")
    chosen = {pid: request.form.get(f"collectie-{pid}", "") for pid in product_ids}
    if not product_ids:
        return links(422, message="Er zijn geen producten om te koppelen (R13).")
    rows = [{"product_id": pid, "collection_id": chosen[pid] or None} for pid in product_ids]
    result, refusal = forms.attempt("PUT", f"{PRODUCTS}/links", {"rows": rows}, (400, 403, 422))
    if refusal:
        row_errors: dict[str, list[str]] = {}
        for key, text in refusal.field_errors().items():
            found = ROW_ERROR.match(key)
            if found and int(found.group(1)) < len(product_ids):
                row_errors.setdefault(product_ids[int(found.group(1))], []).append(text)
        message = f"Niets gekoppeld: {refusal.message}" if refusal.message else "Niets gekoppeld (R13)."
        return links(refusal.status, chosen=chosen, row_errors=row_errors, message=message)
    changed = int(result.get("changed") or 0)
    return forms.done(
        f"Producten gekoppeld: {changed} van {int(result.get('count') or len(rows))} gewijzigd.", "products.links"
    )
