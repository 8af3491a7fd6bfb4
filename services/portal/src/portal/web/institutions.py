"""One institution across all collections of the year (R12), with its history: reached by clicking its name."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, flash, render_template, request

from portal.adapters.gateway import ApiError
from portal.domain import labels
from portal.domain.rows import InvalidForm, changed_rows
from portal.web import pages

bp = Blueprint("institutions", __name__)

CONTRACTING = "/api/contracting"


def _render(institution_id: str, message: dict[str, Any] | None = None, status: int = 200) -> Any:
    message = message or pages.flashed_message()
    client = pages.api()
    across, history = client.gather(
        lambda: client.get(f"{CONTRACTING}/institutions/{institution_id}/collections"),
        lambda: client.get(f"{CONTRACTING}/institutions/{institution_id}/history", page_size=50),
    )
    back = request.values.get("collectie") or None
    context = {"institution": across, "history": history, "message": message, "back": back}
    template = "partials/across_work.html" if pages.is_htmx() else "institution.html"
    return render_template(template, **context), status


@bp.get("/instellingen/<uuid:institution_id>")
@pages.login_required()
def across(institution_id: Any) -> Any:
    return _render(str(institution_id))


@bp.post("/instellingen/<uuid:institution_id>/opslaan")
@pages.login_required()
def save(institution_id: Any) -> Any:
    """R12: the institution's status in several collections at once, all or nothing (cascade as R7)."""
    try:
        edits = changed_rows(request.form, labels.LEVEL_STATUSES["collections"])
    except InvalidForm as exc:
        return _fragment({"kind": "error", "text": str(exc)}, 400)
    if not edits:
        return _fragment({"kind": "info", "text": "Er zijn geen wijzigingen om op te slaan."}, 200)
    body = {"rows": [edit.payload("collection_id") for edit in edits], "cascade": request.form.get("cascade") == "1"}
    try:
        pages.api().call("PATCH", f"{CONTRACTING}/institutions/{institution_id}/collections", json=body)
    except ApiError as exc:
        if exc.status in (409, 412):
            text = "Een collega heeft intussen de status van deze instelling gewijzigd; er is niets opgeslagen. Laad opnieuw."
            return _fragment({"kind": "conflict", "text": text, "detail": exc.message}, exc.status)
        if exc.status == 422:
            return _fragment({"kind": "error", "text": exc.message}, 422)
        raise
    flash(f"Opgeslagen in {labels.counted(len(edits), 'collectie', 'collecties')}.", "success")
    back = request.form.get("collectie")
    return pages.reload(request.path.rsplit("/", 1)[0] + (f"?collectie={back}" if back else ""))


def _fragment(message: dict[str, Any], status: int) -> Any:
    if not pages.is_htmx():
        return _render(str((request.view_args or {})["institution_id"]), message, status)
    return pages.message_only(message)
