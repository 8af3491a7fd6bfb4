"""The gateway's session check (nginx ``auth_request``): ``GET /api/identity/auth/check``.

The gateway forwards the client's ``Authorization``, ``Cookie`` and ``X-API-Key``. A live session
(Bearer token or session cookie; its idle timer slides) or an active API key gets 200 with
``X-Identity-Token``: a short-lived token signed by identity that the gateway passes upstream,
overwriting whatever the client sent. The token is bound to the request the gateway forwards
(``X-Original-Method``, ``X-Original-URI``, ``X-Request-ID``; see servicekit.auth), and this route
answers the gateway only: clients calling it through the gateway get 404. Anything else gets 401 with the common error body. An
``X-Identity-Token`` sent by the client is dropped before this check runs (see ``create_app``).
"""

from __future__ import annotations

from typing import Any

from flask import request
from flask.views import MethodView
from marshmallow import fields

from identity.domain.commands import CheckAccess
from servicekit.api import blueprint, current_runtime, public
from servicekit.auth import IDENTITY_TOKEN_HEADER
from servicekit.schemas import BaseSchema

SESSION_COOKIE = "zcp_session"
API_KEY_HEADER = "X-API-Key"

blp = blueprint("auth_check", "/auth", "Session check for the gateway")


class AccessSchema(BaseSchema):
    subject = fields.String(required=True)
    kind = fields.String(required=True, metadata={"enum": ["user", "api_client"]})
    roles = fields.List(fields.String(), required=True)
    username = fields.String(allow_none=True)
    tenant_id = fields.String(allow_none=True)
    contract_year = fields.Integer(allow_none=True)
    session_id = fields.String(allow_none=True)
    expires_after_idle_seconds = fields.Integer(allow_none=True)


def bearer_token() -> str | None:
    scheme, _, value = (request.headers.get("Authorization") or "").partition(" ")
    return (value.strip() or None) if scheme.lower() == "bearer" else None


@blp.route("/check")
class AuthCheck(MethodView):
    @public
    @blp.response(
        200,
        AccessSchema,
        headers={IDENTITY_TOKEN_HEADER: {"description": "Signed identity token", "schema": {"type": "string"}}},
    )
    @blp.alt_response(401, description="No valid session or API key")
    def get(self) -> Any:
        """Answer the gateway: may this request pass, and as whom (``X-Identity-Token``).

        Credentials, first found wins: ``X-API-Key``, ``Authorization: Bearer`` (session token or API
        key), the session cookie. A session's idle timer slides with every successful check.
        """
        command = CheckAccess(
            bearer=bearer_token(),
            cookie=request.cookies.get(SESSION_COOKIE) or None,
            api_key=request.headers.get(API_KEY_HEADER) or None,
            method=request.headers.get("X-Original-Method", ""),
            uri=request.headers.get("X-Original-URI", ""),
            request_id=request.headers.get("X-Request-ID", ""),
        )
        result = current_runtime().handle(command)
        principal = result["principal"]
        body = {
            "subject": principal.subject,
            "kind": principal.kind,
            "roles": sorted(principal.roles),
            "username": principal.username,
            "tenant_id": principal.tenant_id,
            "contract_year": principal.contract_year,
            "session_id": principal.session_id,
            "expires_after_idle_seconds": result["idle_seconds_left"],
        }
        return body, 200, {IDENTITY_TOKEN_HEADER: result["identity_token"], "Cache-Control": "no-store"}
