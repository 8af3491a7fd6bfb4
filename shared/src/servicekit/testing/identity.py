"""Sign identity tokens in tests, as identity does for the gateway, and bind them as the gateway would.

Identity tokens are bound to one request (method, path, the gateway's request id; see
:mod:`servicekit.auth`). A test signs a token once (:meth:`IdentityKeys.headers`) and sends it with
many requests; :class:`GatewayTestClient` plays the gateway's part and re-binds every token signed
with the test keys to the request it travels with. A token signed with any other key (a forgery)
is passed on untouched, so the service still refuses it.
"""

from __future__ import annotations

import time
import uuid
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import jwt
from flask.testing import FlaskClient

from servicekit.auth import (
    IDENTITY_TOKEN_HEADER,
    TOKEN_ALGORITHM,
    InvalidIdentityToken,
    Principal,
    RequestBinding,
    decode_identity_token,
    sign_identity_token,
)
from servicekit.keys import PRIVATE_KEY_FILE, PUBLIC_KEY_FILE, generate_keypair

__all__ = ["UNBOUND", "GatewayTestClient", "IdentityKeys", "generate_keypair"]

#: The binding of a token signed for a test before it travels: no request matches it.
UNBOUND = RequestBinding("-", "-", "unbound-test-token")


@dataclass
class IdentityKeys:
    private_pem: bytes
    public_pem: bytes
    public_key_file: Path

    @classmethod
    def create(cls, folder: Path) -> IdentityKeys:
        private, public = generate_keypair()
        path = folder / PUBLIC_KEY_FILE
        path.write_bytes(public)
        (folder / PRIVATE_KEY_FILE).write_bytes(private)
        return cls(private, public, path)

    def token(
        self,
        *,
        roles: tuple[str, ...] = (),
        tenant_id: str | None = None,
        contract_year: int | None = None,
        subject: str = "test-user",
        kind: str = "user",
        username: str | None = None,
        ttl_seconds: int = 300,
        binding: RequestBinding = UNBOUND,
    ) -> str:
        principal = Principal(
            subject=subject,
            kind=kind,
            roles=frozenset(roles),
            username=username or subject,
            tenant_id=tenant_id,
            contract_year=contract_year,
            session_id="test-session",
        )
        return sign_identity_token(principal, self.private_pem, int(time.time()), ttl_seconds, binding)

    def headers(self, **kwargs: Any) -> dict[str, str]:
        """``{"X-Identity-Token": ...}`` for a :class:`GatewayTestClient` request."""
        return {IDENTITY_TOKEN_HEADER: self.token(**kwargs)}

    def bind(self, environ: dict[str, Any]) -> None:
        """As the gateway: a request id for the request, and the test-signed token bound to it."""
        token = environ.get("HTTP_X_IDENTITY_TOKEN")
        if not token:
            return
        try:
            claims = decode_identity_token(token, self.public_pem, verify_exp=False)
        except InvalidIdentityToken:
            return  # not ours: a forgery stays a forgery
        request_id = environ.setdefault("HTTP_X_REQUEST_ID", uuid.uuid4().hex)
        raw_path = environ.get("PATH_INFO", "").encode("latin-1").decode("utf-8", "replace")
        binding = RequestBinding(environ.get("REQUEST_METHOD", "GET"), "/" + raw_path.lstrip("/"), request_id)
        environ["HTTP_X_IDENTITY_TOKEN"] = jwt.encode(claims | binding.claims(), self.private_pem, TOKEN_ALGORITHM)


class GatewayTestClient(FlaskClient):
    """``app.test_client()`` that binds test-signed identity tokens to each request (see module doc)."""

    def __init__(self, *args: Any, keys: IdentityKeys, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.keys = keys

    def run_wsgi_app(self, environ: dict[str, Any], buffered: bool = False) -> Any:
        self.keys.bind(environ)
        return super().run_wsgi_app(environ, buffered=buffered)


def gateway_client(app: Any, keys: IdentityKeys) -> GatewayTestClient:
    """A test client of ``app`` that plays the gateway for tokens signed with ``keys``."""
    return GatewayTestClient(app, app.response_class, use_cookies=True, keys=keys)
