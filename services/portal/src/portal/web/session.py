"""The portal's session: a signed, HttpOnly, SameSite cookie holding the user's session token.

The token itself is identity's opaque session token (R1); the portal keeps it server side in the
sense that the browser's JavaScript can never read it (HttpOnly) and only the portal's own pages
send it (SameSite=Lax: a link from an e-mail still opens the portal logged in, a form on another
site never posts with it). The cookie is Secure whenever the request came over HTTPS.

CSRF: a random token lives in the signed cookie and in every form (and in htmx's request header);
a POST without the matching token is refused before any view runs.

Idle logout (R1): identity ends a session after its idle time; the portal ends its own session
after the same time (or ``PORTAL_IDLE_SECONDS``, when shorter), says so on the login page, and a
timer in the page brings the browser there when the time has passed.
"""

from __future__ import annotations

import hmac
import secrets
import time
from dataclasses import dataclass
from typing import Any

from flask import Flask, abort, flash, g, request, session
from flask.sessions import SecureCookieSessionInterface

COOKIE_NAME = "zcp_portal"
CSRF_FIELD = "csrf"
CSRF_HEADER = "X-CSRF-Token"
UNSAFE_METHODS = {"POST", "PUT", "PATCH", "DELETE"}


class PortalSessionInterface(SecureCookieSessionInterface):
    """Flask's signed cookie session, Secure exactly when the request came over HTTPS."""

    def get_cookie_secure(self, app: Flask) -> bool:
        return bool(request.is_secure)


@dataclass(frozen=True)
class LoginState:
    token: str
    year: int
    username: str
    display_name: str
    roles: tuple[str, ...]
    insurer_id: str | None
    insurer_name: str | None
    idle_seconds: int

    @property
    def is_insurer(self) -> bool:
        return bool({"insurer_user", "insurer_admin"} & set(self.roles))

    @property
    def is_maintainer(self) -> bool:
        """Handles support's reports and requests: catalogue maintainers and platform admins."""
        return bool({"catalogue_maintainer", "platform_admin"} & set(self.roles))

    @property
    def is_insurer_admin(self) -> bool:
        return "insurer_admin" in self.roles

    @property
    def idle_minutes(self) -> int:
        return max(1, round(self.idle_seconds / 60))


def start(login: dict[str, Any], idle_limit: int | None) -> None:
    """A new session after a successful login: a fresh cookie (no fixation) and a fresh CSRF token."""
    user = login["user"]
    insurer = user.get("insurer") or {}
    idle = int(login.get("expires_after_idle_seconds") or 600)
    session.clear()
    session.update(
        t=login["token"],
        y=int(login["contract_year"]),
        u=user["username"],
        n=user.get("display_name") or user["username"],
        r=list(user.get("roles") or [user.get("role")]),
        i=insurer.get("id"),
        iname=insurer.get("name"),
        idle=min(idle, idle_limit) if idle_limit else idle,
        seen=int(time.time()),
        csrf=secrets.token_urlsafe(32),
    )


def current() -> LoginState | None:
    if "t" not in session:
        return None
    return LoginState(
        token=session["t"],
        year=session["y"],
        username=session["u"],
        display_name=session["n"],
        roles=tuple(session.get("r") or ()),
        insurer_id=session.get("i"),
        insurer_name=session.get("iname"),
        idle_seconds=int(session.get("idle") or 600),
    )


def end(message: str | None = None) -> None:
    session.clear()
    if message:
        flash(message, "info")


def csrf_token() -> str:
    token = session.get(CSRF_FIELD)
    if not token:
        token = secrets.token_urlsafe(32)
        session[CSRF_FIELD] = token
    return str(token)


def check_csrf() -> None:
    """``before_request``: a state-changing request must carry the session's CSRF token."""
    if request.method not in UNSAFE_METHODS:
        return
    expected = session.get(CSRF_FIELD)
    sent = request.headers.get(CSRF_HEADER) or request.form.get(CSRF_FIELD)
    if not expected or not sent or not hmac.compare_digest(str(expected), str(sent)):
        abort(403, description="csrf")


def expired_by_idle() -> bool:
    """``before_request``: True (and the session ended) when the user was idle too long; slides otherwise."""
    state = current()
    if state is None:
        return False
    now = int(time.time())
    if now - int(session.get("seen") or now) > state.idle_seconds:
        g.expired_token = state.token
        end(
            f"U bent automatisch uitgelogd omdat u langer dan {state.idle_minutes} "
            f"minu{'ut' if state.idle_minutes == 1 else 'ten'} niet actief was. Log opnieuw in."
        )
        return True
    session["seen"] = now
    return False
