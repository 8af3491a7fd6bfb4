"""What every page shares: the logged-in caller's API client, login guard, redirects, small caches."""

from __future__ import annotations

import contextlib
import functools
import json
import threading
import time
from collections.abc import Callable
from typing import Any, TypeVar, cast

from flask import Response, abort, current_app, get_flashed_messages, redirect, render_template, request, url_for

from portal.adapters.gateway import ApiError, GatewayClient, Transport
from portal.config import Settings
from portal.web import session

F = TypeVar("F", bound=Callable[..., Any])


def settings() -> Settings:
    return cast(Settings, current_app.extensions["portal.settings"])


def transport() -> Transport:
    return cast(Transport, current_app.extensions["portal.transport"])


def api() -> GatewayClient:
    state = session.current()
    return GatewayClient(transport(), state.token if state else None)


def is_htmx() -> bool:
    return request.headers.get("HX-Request") == "true"


def to_login() -> Response:
    target = url_for("auth.login")
    if is_htmx():
        response = Response(status=204)
        response.headers["HX-Redirect"] = target
        return response
    return cast(Response, redirect(target))


def end_identity_session(token: str) -> None:
    """Best effort: identity forgets the session too (it may have expired there already)."""
    with contextlib.suppress(ApiError):
        GatewayClient(transport(), token).call("DELETE", "/api/identity/sessions/current")


def login_required(
    *, insurer: bool = True, admin: bool = False, maintainer: bool = False, platform: bool = False
) -> Callable[[F], F]:
    """A logged-in user (of an insurer; an insurer admin; a maintainer or platform admin; a platform
    admin) or the login page; others get "Geen toegang". The services check roles again."""

    def decorate(view: F) -> F:
        @functools.wraps(view)
        def wrapper(*args: Any, **kwargs: Any) -> Any:
            state = session.current()
            if state is None:
                return to_login()
            if insurer and not (maintainer or platform) and not state.is_insurer:
                abort(403)
            if (admin and not state.is_insurer_admin) or (maintainer and not state.is_maintainer):
                abort(403)
            if platform and "platform_admin" not in state.roles:
                abort(403)
            return view(*args, **kwargs)

        return cast(F, wrapper)

    return decorate


class Cached:
    """A value fetched once and kept ``ttl`` seconds (lists that change once a year, not per request)."""

    def __init__(self, ttl: float, fetch: Callable[[GatewayClient], Any]) -> None:
        self.ttl = ttl
        self.fetch = fetch
        self._value: Any = None
        self._at = 0.0
        self._lock = threading.Lock()

    def __call__(self, client: GatewayClient) -> Any:
        with self._lock:
            if self._value is not None and time.monotonic() - self._at < self.ttl:
                return self._value
        value = self.fetch(client)
        with self._lock:
            self._value, self._at = value, time.monotonic()
        return value


reference_lists = Cached(600, lambda client: client.get("/api/contracting/reference-lists"))
contract_years = Cached(60, lambda client: client.get("/api/identity/sessions/contract-years")["open_years"])
groups = Cached(60, lambda client: client.get("/api/catalogue/groups"))


def form_errors(exc: ApiError) -> dict[str, str]:
    """The API's field errors, by the form field's name (the API's names are the portal's names)."""
    return exc.field_errors()


def message_only(message: dict[str, Any]) -> Response:
    """An htmx answer that replaces only the message above a table: the user's unsaved edits stay on screen."""
    response = Response(render_template("partials/message.html", message=message))
    response.headers["HX-Retarget"] = "#melding"
    response.headers["HX-Reswap"] = "innerHTML"
    return response


def reload(path: str) -> Response:
    """After a save (post/redirect/get): the list is shown again by a request of its own.

    htmx loads it into the work area (``HX-Location``), so the user keeps the page and sees the
    message above the fresh table; without htmx the browser follows a 303.
    """
    if not is_htmx():
        return cast(Response, redirect(path, 303))
    response = Response(status=204)
    response.headers["HX-Location"] = json.dumps({"path": path, "target": "#werkgebied", "swap": "innerHTML"})
    return response


def flashed_message() -> dict[str, Any] | None:
    """A message flashed by the save before the reload, shown above the table (not only in the page header)."""
    if not is_htmx():
        return None
    texts = get_flashed_messages(category_filter=["success"])
    return {"kind": "success", "text": texts[0]} if texts else None


def start_page() -> str:
    """Where a user starts: insurers at their collections, maintainers and admins at their work queues."""
    state = session.current()
    if state is not None and not state.is_insurer:
        return "/beheer" if state.is_maintainer else "/contractering"
    return url_for("collections.overview")
