"""Who is asking: verify the identity token that the gateway obtained from identity.

Clients send an opaque session token or API key; the gateway asks identity (``auth_request``) and
passes identity's answer upstream as a short-lived token signed with identity's private key
("phantom token"). Every service verifies that signature with identity's public key, loaded at
start-up, so a header a client forges changes nothing: it does not verify.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, cast

import jwt
from flask import g, request
from flask_smorest import abort

IDENTITY_TOKEN_HEADER = "X-Identity-Token"
TOKEN_ISSUER = "identity"
TOKEN_AUDIENCE = "platform-services"
TOKEN_ALGORITHM = "EdDSA"


class InvalidIdentityToken(Exception):
    """The identity token is missing a claim, expired, or not signed by identity."""


@dataclass(frozen=True)
class Principal:
    """The caller, as identity vouched for it."""

    subject: str
    kind: str  # "user" or "api_client"
    roles: frozenset[str] = field(default_factory=frozenset)
    username: str | None = None
    tenant_id: str | None = None
    contract_year: int | None = None
    session_id: str | None = None

    def has_any_role(self, roles: Iterable[str]) -> bool:
        return bool(self.roles.intersection(roles))

    def to_claims(self) -> dict[str, Any]:
        return {
            "sub": self.subject,
            "kind": self.kind,
            "roles": sorted(self.roles),
            "username": self.username,
            "tenant": self.tenant_id,
            "year": self.contract_year,
            "sid": self.session_id,
        }

    @classmethod
    def from_claims(cls, claims: dict[str, Any]) -> Principal:
        try:
            return cls(
                subject=str(claims["sub"]),
                kind=str(claims["kind"]),
                roles=frozenset(claims.get("roles") or ()),
                username=claims.get("username"),
                tenant_id=claims.get("tenant"),
                contract_year=claims.get("year"),
                session_id=claims.get("sid"),
            )
        except KeyError as exc:
            raise InvalidIdentityToken(f"claim {exc.args[0]} missing") from exc


class IdentityTokenVerifier:
    def __init__(self, public_key_pem: bytes | str | None, leeway_seconds: int = 5) -> None:
        self._key = public_key_pem
        self._leeway = leeway_seconds

    @classmethod
    def from_file(cls, path: Path | None) -> IdentityTokenVerifier:
        return cls(path.read_bytes() if path else None)

    def verify(self, token: str) -> Principal:
        if not self._key:
            raise InvalidIdentityToken("this service has no identity public key configured")
        try:
            claims = jwt.decode(
                token,
                self._key,
                algorithms=[TOKEN_ALGORITHM],
                audience=TOKEN_AUDIENCE,
                issuer=TOKEN_ISSUER,
                leeway=self._leeway,
                options={"require": ["exp", "iat", "sub", "iss", "aud"]},
            )
        except jwt.PyJWTError as exc:
            raise InvalidIdentityToken(str(exc)) from exc
        return Principal.from_claims(claims)


def sign_identity_token(principal: Principal, private_key_pem: bytes | str, now: int, ttl_seconds: int = 60) -> str:
    """Used by identity (and by tests) to vouch for a principal."""
    claims = principal.to_claims() | {"iss": TOKEN_ISSUER, "aud": TOKEN_AUDIENCE, "iat": now, "exp": now + ttl_seconds}
    return jwt.encode(claims, private_key_pem, algorithm=TOKEN_ALGORITHM)


def load_principal(verifier: IdentityTokenVerifier) -> None:
    """``before_request`` hook: put the verified principal (or None) on ``flask.g``."""
    g.principal = None
    token = request.headers.get(IDENTITY_TOKEN_HEADER)
    if token:
        try:
            g.principal = verifier.verify(token)
        except InvalidIdentityToken:
            abort(401, message="De identiteit van dit verzoek kon niet worden vastgesteld; log opnieuw in.")


def current_principal() -> Principal | None:
    return cast(Principal | None, g.get("principal"))


def require_principal(*roles: str) -> Principal:
    """The caller, or 401 when nobody is logged in, or 403 when none of ``roles`` is held."""
    principal = current_principal()
    if principal is None:
        abort(401, message="Niet ingelogd of sessie verlopen; log opnieuw in.")
    assert principal is not None
    if roles and not principal.has_any_role(roles):
        abort(403, message="U heeft geen rechten voor deze handeling.")
    return principal
