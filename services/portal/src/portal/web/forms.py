"""What the portal's forms share: one API call whose refusal is shown in Dutch (on the form page
again, or as a flashed message), the defaults of a page that shows a form, and the redirect after a save.

A page with a form is its own GET view (``def users(status=200, **context)``): the form's POST calls it
again with the status and the errors to show (``attempt_form``)."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from typing import Any

from flask import flash, redirect, render_template, request, url_for
from werkzeug.wrappers import Response

from portal.adapters.gateway import ApiError
from portal.web import pages

#: the answer of a form's POST that shows its page again: (HTML, status)
Page = tuple[str, int]
#: the statuses with which the API refuses a form in Dutch (a conflict, a rule or a field)
REFUSED = (409, 422)


def attempt(method: str, path: str, json: Any = None, refused: tuple[int, ...] = REFUSED, **kwargs: Any) -> Any:
    """Call the API: ``(answer, None)``, or ``(None, refusal)`` when it refuses with a status in ``refused``.

    Any other error goes on to the portal's error page.
    """
    try:
        return pages.api().call(method, path, json=json, **kwargs), None
    except ApiError as exc:
        if exc.status not in refused:
            raise
        return None, exc


def attempt_form(
    page: Callable[..., Page],
    method: str,
    path: str,
    payload: Any,
    errors: Mapping[str, str],
    refused: tuple[int, ...] = REFUSED,
    incomplete: str = "Vul de gemarkeerde velden in.",
) -> tuple[Any, Page | None]:
    """A form's POST: ``(answer, None)``, or ``(None, page)`` with the form shown again on ``page``.

    Again with the portal's own ``errors`` (422, ``incomplete`` above it; the API is not asked), or with
    the API's refusal: its status, its fields' errors and its message.
    """
    form = request.form
    if errors:
        return None, page(422, form=form, errors=errors, message=incomplete)
    answer, refusal = attempt(method, path, payload, refused)
    if refusal is not None:
        return None, page(refusal.status, form=form, errors=refusal.field_errors(), message=refusal.message)
    return answer, None


def message(exc: ApiError) -> str:
    return exc.message


def first_problem(exc: ApiError) -> str:
    """The first field's message (the rule the API names, e.g. R2 for a password), else the API's message."""
    return next(iter(exc.field_errors().values()), exc.message)


def with_fields(exc: ApiError) -> str:
    """The API's message followed by every field and its rule (a form that shows no field errors itself)."""
    fields = exc.field_errors()
    return f"{exc.message} {' '.join(f'{k}: {v}' for k, v in fields.items())}".strip()


def submit(
    method: str,
    path: str,
    json: Any,
    done: str,
    refused: tuple[int, ...] = REFUSED,
    explain: Callable[[ApiError], str] = message,
    **kwargs: Any,
) -> bool:
    """Call the API; flash ``done``, or ``explain(refusal)`` when it refuses with a status in ``refused``.

    Any other error goes on to the portal's error page. True when the API did it.
    """
    _, refusal = attempt(method, path, json, refused, **kwargs)
    if refusal is not None:
        flash(explain(refusal), "error")
        return False
    flash(done, "success")
    return True


def done(text: str, endpoint: str, **values: Any) -> Response:
    """After a save (post/redirect/get): ``text`` flashed as a success, then the page of ``endpoint`` (303)."""
    flash(text, "success")
    return redirect(url_for(endpoint, **values), 303)


def missing(payload: Mapping[str, Any], required: Iterable[str] | Mapping[str, str]) -> dict[str, str]:
    """The portal's own error for every required field left empty (before the API is asked).

    ``required``: the fields (each then says "Vul dit veld in."), or each field with its own message.
    """
    messages = required if isinstance(required, Mapping) else dict.fromkeys(required, "Vul dit veld in.")
    return {key: text for key, text in messages.items() if not payload[key]}


def page(template: str, status: int, context: dict[str, Any], form: Any = None, **data: Any) -> Page:
    """A page with a form: its fields as filled in (``form`` when not shown again) and no errors by default."""
    context.setdefault("form", {} if form is None else form)
    context.setdefault("errors", {})
    return render_template(template, **data, **context), status
