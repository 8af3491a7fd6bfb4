"""Bewerk contractering: statuses and remarks at institution (R5-R8, R11), department (R9) and
condition level (R10), with filters, the header row, the cascade checkbox and "Opslaan".

Nothing is saved before "Opslaan" (R6): the header row only ticks the rows shown, in the browser.
A save sends the changed rows with the versions they were shown at. With the cascade checked, the
portal first asks the API for a dry run and shows how many rows the save will change; the user
confirms, and only then is it saved. A colleague's save in between (409/412) is shown as such and
nothing is overwritten.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any
from urllib.parse import parse_qsl, urlencode

from flask import Blueprint, flash, render_template, request

from portal.adapters.gateway import ApiError
from portal.domain import labels
from portal.domain.rows import InvalidForm, changed_rows
from portal.web import pages

bp = Blueprint("statuses", __name__)

CONTRACTING = "/api/contracting"
PAGE_SIZE = 500
INSTITUTION_FILTERS = {"groep": "group_id", "naam": "name", "type": "type", "agb": "agb_code", "status": "status"}
SUB_FILTERS = {"naam": "name", "status": "status"}


@dataclass(frozen=True)
class Level:
    name: str
    key_field: str
    filters: dict[str, str]
    cascade_label: str | None

    @property
    def statuses(self) -> tuple[str, ...]:
        return labels.LEVEL_STATUSES[self.name]


INSTITUTION = Level(
    "institution",
    "institution_id",
    INSTITUTION_FILTERS,
    "Pas contractering toe op alle onderliggende afdelingen en aandoeningen",
)
DEPARTMENT = Level(
    "department", "specialism_id", SUB_FILTERS, "Pas contractering toe op alle onderliggende aandoeningen"
)
CONDITION = Level("condition", "condition_id", SUB_FILTERS, None)


@dataclass(frozen=True)
class Where:
    """One listing: its level, the API path of its rows and the portal path of its page."""

    level: Level
    collection_id: str
    institution_id: str | None = None
    specialism_id: str | None = None
    foreign: bool = False

    @property
    def api_path(self) -> str:
        root = f"{CONTRACTING}/collections/{self.collection_id}/institutions"
        return self._below(root, "/{}/departments", "/{}/conditions")

    @property
    def page_path(self) -> str:
        return self._below(f"/contractering/{self.collection_id}", "/instellingen/{}/afdelingen", "/{}/aandoeningen")

    def _below(self, root: str, institution_part: str, specialism_part: str) -> str:
        """``root``, then the parts that name the institution and the specialism this listing is below."""
        path = root
        if self.institution_id:
            path += institution_part.format(self.institution_id)
        if self.specialism_id:
            path += specialism_part.format(self.specialism_id)
        return path


def _filters(level: Level, args: Any) -> dict[str, str]:
    return {name: args[name].strip() for name in level.filters if args.get(name, "").strip()}


def _listing(where: Where, shown: dict[str, str], page: int) -> dict[str, Any]:
    """Everything the page shows: the collection, the rows (one call each, at once), the filter lists."""
    client = pages.api()
    params: dict[str, Any] = {where.level.filters[k]: v for k, v in shown.items()}
    if where.level is INSTITUTION:
        params["foreign"] = "true" if where.foreign else "false"
    calls = [
        lambda: client.get(f"{CONTRACTING}/collections/{where.collection_id}"),
        lambda: client.get(where.api_path, page=page, page_size=PAGE_SIZE, **params),
    ]
    if where.level is INSTITUTION:
        calls.append(lambda: pages.groups(client))
    if where.specialism_id:
        calls.append(lambda: client.get(f"/api/catalogue/specialisms/{where.specialism_id}"))
    errors: dict[str, str] = {}
    try:
        collection, rows, *rest = client.gather(*calls)
    except ApiError as exc:
        if exc.status != 422:
            raise
        reverse = {api_name: name for name, api_name in where.level.filters.items()}
        errors = {reverse.get(k, k): v for k, v in exc.field_errors().items()} or {"naam": exc.message}
        collection = client.get(f"{CONTRACTING}/collections/{where.collection_id}")
        rows, rest = {"items": [], "total": 0, "pages": 0, "page": 1, "counts": {}}, []
    groups = rest[0] if where.level is INSTITUTION and rest else []
    department = rest[0] if where.specialism_id and rest else None
    return {"collection": collection, "rows": rows, "groups": groups, "department": department, "errors": errors}


def _view_args() -> dict[str, str]:
    """The list's query: the URL's on a GET; on a save, the one the list was shown with (field ``terug``)."""
    if request.method == "GET":
        return dict(request.args)
    return dict(parse_qsl(request.form.get("terug", "")))


def _page_number(args: dict[str, str]) -> int:
    raw = args.get("pagina", "1")
    return int(raw) if raw.isdigit() and int(raw) > 0 else 1


def _render(where: Where, message: dict[str, Any] | None = None, status: int = 200) -> Any:
    message = message or pages.flashed_message()
    args = _view_args()
    shown = _filters(where.level, args)
    context = _listing(where, shown, _page_number(args))
    query = urlencode({**shown, **({"buitenland": "1"} if where.foreign else {})})
    context |= {"where": where, "level": where.level, "shown": shown, "query": query, "message": message}
    full = not pages.is_htmx() or request.headers.get("HX-History-Restore-Request") == "true"
    return render_template("status_page.html" if full else "partials/status_work.html", **context), status


def _message(kind: str, text: str, **extra: Any) -> dict[str, Any]:
    return {"kind": kind, "text": text, **extra}


def _fragment(message: dict[str, Any], status: int) -> Any:
    """An answer that replaces only the message above the table: the user's unsaved edits stay on screen."""
    if not pages.is_htmx():
        return _render(_where_from_request(), message, status)
    return pages.message_only(message)


def _where_from_request() -> Where:
    view_args = request.view_args or {}
    level = INSTITUTION
    if view_args.get("specialism_id"):
        level = CONDITION
    elif view_args.get("institution_id"):
        level = DEPARTMENT
    return Where(
        level,
        str(view_args["collection_id"]),
        str(view_args["institution_id"]) if view_args.get("institution_id") else None,
        str(view_args["specialism_id"]) if view_args.get("specialism_id") else None,
        foreign=_view_args().get("buitenland") == "1",
    )


def _stale_message(exc: ApiError, level: Level) -> dict[str, Any]:
    """R6 concurrency: what the colleague changed, in the words the guide's users use."""
    details = exc.errors.get("details")
    names = [d.get("name") for d in details if isinstance(d, dict)] if isinstance(details, list) else []
    what = f"{labels.counted(len(names), labels.LEVEL_LABELS[level.name], labels.LEVEL_PLURALS[level.name])}"
    if names:
        what += " (" + ", ".join(str(n) for n in names[:5]) + (", …" if len(names) > 5 else "") + ")"
    else:
        what = f"deze {labels.LEVEL_PLURALS[level.name]}"
    text = f"Een collega heeft intussen {what} gewijzigd; er is niets opgeslagen. Laad opnieuw en sla dan op."
    return _message("conflict", text, detail=exc.message)


def _counts_text(result: dict[str, Any], level: Level) -> str:
    parts = [
        labels.counted(int(result.get("count") or 0), labels.LEVEL_LABELS[level.name], labels.LEVEL_PLURALS[level.name])
    ]
    cascaded = result.get("cascaded") or {}
    for below, count in sorted(cascaded.items(), key=lambda item: list(labels.LEVEL_LABELS).index(item[0])):
        parts.append(labels.counted(int(count), labels.LEVEL_LABELS[below], labels.LEVEL_PLURALS[below]))
    return ", ".join(parts[:-1]) + " en " + parts[-1] if len(parts) > 1 else parts[0]


def save(where: Where) -> Any:
    """R6: save the changed rows; with the cascade (R7/R9) only after the user saw what it changes."""
    try:
        edits = changed_rows(request.form, where.level.statuses)
    except InvalidForm as exc:
        return _fragment(_message("error", str(exc)), 400)
    if not edits:
        return _fragment(_message("info", "Er zijn geen wijzigingen om op te slaan."), 200)
    cascade = bool(where.level.cascade_label) and not where.foreign and request.form.get("cascade") == "1"
    body: dict[str, Any] = {"rows": [edit.payload(where.level.key_field) for edit in edits]}
    if where.level is not CONDITION:
        body["cascade"] = cascade
    client = pages.api()
    try:
        if cascade and request.form.get("bevestigd") != "1":
            preview = client.call("PATCH", where.api_path, params={"dry_run": "true"}, json=body)
            text = f"Opslaan met doorzetten wijzigt {_counts_text(preview, where.level)}. Wilt u dit opslaan?"
            return _fragment(_message("confirm", text), 200)
        result = client.call("PATCH", where.api_path, json=body)
    except ApiError as exc:
        if exc.status in (409, 412):
            return _fragment(_stale_message(exc, where.level), exc.status)
        if exc.status == 422:
            return _fragment(_message("error", exc.message, fields=exc.field_errors()), 422)
        raise
    flash(f"Opgeslagen: {_counts_text(result, where.level)} gewijzigd.", "success")
    return pages.reload(where.page_path + ("?" + request.form["terug"] if request.form.get("terug") else ""))


@bp.get("/contractering/<uuid:collection_id>")
@pages.login_required()
def institutions(collection_id: Any) -> Any:
    return _render(Where(INSTITUTION, str(collection_id), foreign=request.args.get("buitenland") == "1"))


@bp.post("/contractering/<uuid:collection_id>/opslaan")
@pages.login_required()
def save_institutions(collection_id: Any) -> Any:
    return save(_where_from_request())


@bp.get("/contractering/<uuid:collection_id>/instellingen/<uuid:institution_id>/afdelingen")
@pages.login_required()
def departments(collection_id: Any, institution_id: Any) -> Any:
    return _render(_where_from_request())


@bp.post("/contractering/<uuid:collection_id>/instellingen/<uuid:institution_id>/afdelingen/opslaan")
@pages.login_required()
def save_departments(collection_id: Any, institution_id: Any) -> Any:
    return save(_where_from_request())


@bp.get(
    "/contractering/<uuid:collection_id>/instellingen/<uuid:institution_id>/afdelingen/<uuid:specialism_id>/aandoeningen"
)
@pages.login_required()
def conditions(collection_id: Any, institution_id: Any, specialism_id: Any) -> Any:
    return _render(_where_from_request())


@bp.post(
    "/contractering/<uuid:collection_id>/instellingen/<uuid:institution_id>/afdelingen/<uuid:specialism_id>/aandoeningen/opslaan"
)
@pages.login_required()
def save_conditions(collection_id: Any, institution_id: Any, specialism_id: Any) -> Any:
    return save(_where_from_request())
