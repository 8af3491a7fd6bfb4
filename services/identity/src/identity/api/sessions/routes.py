"""Log in for a contract year and log out (R1)."""

from __future__ import annotations

from typing import Any

from flask import Response, after_this_request, request
from flask.views import MethodView

from identity import queries
from identity.api.auth_check.routes import SESSION_COOKIE
from identity.api.common import actor
from identity.api.sessions import schemas
from identity.domain.commands import Login, Logout
from servicekit.api import abort, blueprint, current_runtime, public, requires
from servicekit.auth import require_principal

blp = blueprint("sessions", "/sessions", "Log in and out (R1)")


def _set_cookie(token: str) -> None:
    @after_this_request
    def _cookie(response: Response) -> Response:
        response.set_cookie(SESSION_COOKIE, token, secure=True, httponly=True, samesite="Strict", path="/")
        return response


def _clear_cookie() -> None:
    @after_this_request
    def _cookie(response: Response) -> Response:
        response.delete_cookie(SESSION_COOKIE, secure=True, httponly=True, samesite="Strict", path="/")
        return response


@blp.route("")
class Sessions(MethodView):
    @public
    @blp.arguments(schemas.SessionCreateSchema)
    @blp.response(201, schemas.SessionSchema)
    @blp.alt_response(401, description="Unknown combination of username and password")
    @blp.alt_response(403, description="The password was reset: send new_password too")
    @blp.alt_response(422, description="Contract year not open, or the new password breaks the policy")
    @blp.alt_response(429, description="Too many failed logins; see Retry-After")
    def post(self, data: dict[str, Any]) -> dict[str, Any]:
        """Log in (R1) with contract year, username and password.

        Answers a session token (also set as a Secure, HttpOnly, SameSite=Strict cookie). The session
        ends after the configured idle time without activity, or at logout. Failed logins are throttled
        per account and per client address; the answer never tells whether a username exists.
        """
        command = Login(
            contract_year=data["contract_year"],
            username=data["username"],
            password=data["password"],
            new_password=data["new_password"],
            client_address=request.remote_addr,
        )
        result: dict[str, Any] = current_runtime().handle(command)
        _set_cookie(result["token"])
        return result


@blp.route("/current")
class CurrentSession(MethodView):
    @requires()
    @blp.response(200, schemas.CurrentSessionSchema)
    def get(self) -> dict[str, Any]:
        """The logged-in user and the contract year of this session."""
        principal = require_principal()
        user = queries.user(current_runtime().engine, principal.subject) if principal.kind == "user" else None
        if user is None:
            abort(404, message="Alleen voor ingelogde gebruikers.")
        return {"session_id": principal.session_id, "contract_year": principal.contract_year, "user": user}

    @requires()
    @blp.response(204)
    def delete(self) -> None:
        """Log out ("Uitloggen", R1): the session ends at once; its token is useless from now on."""
        session_id = actor().session_id
        if session_id is None:
            abort(422, message="Dit verzoek hoort niet bij een sessie (API-sleutel?); er is niets om uit te loggen.")
        current_runtime().handle(Logout(session_id=session_id))
        _clear_cookie()


@blp.route("/contract-years")
class ContractYears(MethodView):
    @public
    @blp.response(200, schemas.ContractYearsSchema)
    def get(self) -> dict[str, Any]:
        """The contract years a login may choose (R1), for the login form; public, like logging in."""
        return {"open_years": list(current_runtime().settings.open_contract_years)}
