"""``create_app``: the identity service's HTTP API on the shared chassis."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

from flask import Flask
from werkzeug.middleware.proxy_fix import ProxyFix

from identity import SERVICE
from identity.adapters.crypto import TokenSigner
from identity.api import blueprints
from identity.bootstrap import Runtime, bootstrap, migration_head
from servicekit.app import api_prefix, create_runtime_app
from servicekit.auth import IdentityTokenVerifier

AUTH_CHECK_PATH = f"{api_prefix(SERVICE)}/auth/check"


class DropClientIdentityToken:
    """The session check decides from credentials only: an ``X-Identity-Token`` the client sent
    (nginx forwards the client's headers to ``auth_request``) is removed before anything reads it,
    so a forged one neither passes nor breaks a valid session."""

    def __init__(self, wsgi_app: Callable[..., Iterable[bytes]], path: str) -> None:
        self.wsgi_app = wsgi_app
        self.path = path

    def __call__(self, environ: dict[str, Any], start_response: Callable[..., Any]) -> Iterable[bytes]:
        if environ.get("PATH_INFO") == self.path:
            environ.pop("HTTP_X_IDENTITY_TOKEN", None)
        return self.wsgi_app(environ, start_response)


def create_app(runtime: Runtime | None = None) -> Flask:
    runtime = runtime or bootstrap()
    settings = runtime.settings
    assert settings.signing_key_file is not None
    # Identity verifies its own tokens with the public half of its signing key and, while its key is
    # being rotated, with the other keys of IDENTITY_PUBLIC_KEY_FILE (signed by a pod not yet switched).
    public_key = TokenSigner(settings.signing_key_file.read_bytes(), settings.identity_token_ttl_seconds).public_key_pem
    if settings.identity_public_key_file is not None:
        public_key += b"\n" + settings.identity_public_key_file.read_bytes()
    app = create_runtime_app(
        runtime,
        title="Identity service",
        description="Insurers, users, roles, sessions and API keys; answers the gateway's session check.",
        blueprints=blueprints(),
        migration_head=migration_head(),
        verifier=IdentityTokenVerifier(public_key),
    )
    wsgi: Any = DropClientIdentityToken(app.wsgi_app, AUTH_CHECK_PATH)
    if settings.trusted_proxy_hops:
        wsgi = ProxyFix(wsgi, x_for=settings.trusted_proxy_hops)
    app.wsgi_app = wsgi  # type: ignore[method-assign]
    return app
