"""Who is asking: verify the identity token that the gateway obtained from identity.

Clients send an opaque session token or API key; the gateway asks identity (``auth_request``) and
passes identity's answer upstream as a short-lived token signed with identity's private key
("phantom token"). Every service verifies that signature with identity's public key, loaded at
start-up, so a header a client forges changes nothing: it does not verify.

**Bound to one request.** A signature alone would let anyone who captures a token (from a log, a
proxy, or — before it was made internal — a client calling identity's session check) replay it
against any route until it expires, also after the user logged out. So identity binds each token to
the request the gateway is about to forward, and the services check the binding:

- ``htm``: the HTTP method, ``htu``: the path (percent-decoded, without the query string), both from
  the gateway's ``X-Original-Method`` / ``X-Original-URI``;
- ``rid``: the gateway's request id, which the gateway also sends upstream as ``X-Request-ID``. The
  gateway makes a new random id for every request and overwrites any ``X-Request-ID`` a client sends.

A service accepts the token only for a request with the same method, path and request id (none of
the three may be empty), and only within its short life (``IDENTITY_TOKEN_TTL_SECONDS``, 10 s by
default, plus 5 s leeway for clock skew): it only has to survive the hop from the gateway to the
service. Through the gateway a captured token is useless — every request gets a fresh request id
and a fresh token from identity, which refuses an ended session. Someone who can reach a service
directly, around the gateway, can replay it only on the same method and path, with the same
request id, for seconds. The session check itself (``/api/identity/auth/check``) answers only the
gateway: nginx and the embedded gateway answer 404 to clients.

Tests sign tokens with :mod:`servicekit.testing.identity`, whose test client binds them to each
request as the gateway would.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, cast
from urllib.parse import unquote, urlsplit

import jwt
from flask import g, request
from flask_smorest import abort

IDENTITY_TOKEN_HEADER = "X-Identity-Token"
REQUEST_ID_HEADER = "X-Request-ID"
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


@dataclass(frozen=True)
class RequestBinding:
    """The one request an identity token is good for: method, path, and the gateway's request id."""

    method: str
    path: str
    request_id: str

    @classmethod
    def from_target(cls, method: str, uri: str, request_id: str) -> RequestBinding:
        """From the gateway's ``X-Original-Method`` and ``X-Original-URI`` (raw, with its query string)."""
        path = unquote(urlsplit(uri).path, errors="replace")
        return cls(method.upper(), "/" + path.lstrip("/"), request_id)  # as werkzeug's request.path

    def claims(self) -> dict[str, str]:
        return {"htm": self.method, "htu": self.path, "rid": self.request_id}

    def matches(self, claims: dict[str, Any]) -> bool:
        wanted = self.claims()
        return all(wanted.values()) and all(claims.get(name) == value for name, value in wanted.items())


_PEM_PUBLIC_KEY = re.compile(rb"-----BEGIN PUBLIC KEY-----.+?-----END PUBLIC KEY-----", re.S)


def public_keys(pem: bytes | str | None) -> list[bytes]:
    """Every PEM public key in ``pem``: the key file may hold more than one, so that identity's signing
    key can be rotated without refusing a request (README, "Operations runbook")."""
    if not pem:
        return []
    raw = pem.encode() if isinstance(pem, str) else pem
    return _PEM_PUBLIC_KEY.findall(raw) or [raw]


class IdentityTokenVerifier:
    def __init__(self, public_key_pem: bytes | str | None, leeway_seconds: int = 5) -> None:
        self._keys = public_keys(public_key_pem)
        self._leeway = leeway_seconds

    @classmethod
    def from_file(cls, path: Path | None) -> IdentityTokenVerifier:
        return cls(path.read_bytes() if path else None)

    def verify(self, token: str, binding: RequestBinding) -> Principal:
        """The principal, when ``token`` is identity's, unexpired, and bound to this very request."""
        if not self._keys:
            raise InvalidIdentityToken("this service has no identity public key configured")
        claims = self._decode(token)
        if not binding.matches(claims):
            raise InvalidIdentityToken("the token was issued for another request")
        return Principal.from_claims(claims)

    def _decode(self, token: str) -> dict[str, Any]:
        """The claims under the key that signed the token; only a signature mismatch tries the next key."""
        for key in self._keys[:-1]:
            try:
                return decode_identity_token(token, key, leeway=self._leeway)
            except InvalidIdentityToken as exc:
                if not isinstance(exc.__cause__, jwt.InvalidSignatureError):
                    raise
        return decode_identity_token(token, self._keys[-1], leeway=self._leeway)


def decode_identity_token(token: str, key: bytes | str, *, leeway: int = 0, verify_exp: bool = True) -> dict[str, Any]:
    """The claims of a token signed by identity's key (binding not yet checked)."""
    try:
        claims: dict[str, Any] = jwt.decode(
            token,
            key,
            algorithms=[TOKEN_ALGORITHM],
            audience=TOKEN_AUDIENCE,
            issuer=TOKEN_ISSUER,
            leeway=leeway,
            options={"require": ["exp", "iat", "sub", "iss", "aud", "htm", "htu", "rid"], "verify_exp": verify_exp},
        )
    except jwt.PyJWTError as exc:
        raise InvalidIdentityToken(str(exc)) from exc
    return claims


def sign_identity_token(
    principal: Principal, private_key_pem: bytes | str, now: int, ttl_seconds: int, binding: RequestBinding
) -> str:
    """Used by identity (and by tests) to vouch for a principal, for one request."""
    claims = principal.to_claims() | binding.claims()
    claims |= {"iss": TOKEN_ISSUER, "aud": TOKEN_AUDIENCE, "iat": now, "exp": now + ttl_seconds}
    return jwt.encode(claims, private_key_pem, algorithm=TOKEN_ALGORITHM)


def this_request() -> RequestBinding:
    """The binding a token must carry to be accepted for the current Flask request."""
    return RequestBinding(request.method, request.path, request.headers.get(REQUEST_ID_HEADER, ""))


def load_principal(verifier: IdentityTokenVerifier) -> None:
    """``before_request`` hook: put the verified principal (or None) on ``flask.g``."""
    g.principal = None
    token = request.headers.get(IDENTITY_TOKEN_HEADER)
    if token:
        try:
            g.principal = verifier.verify(token, this_request())
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
        needed = f"Hiervoor is een van deze rollen nodig: {', '.join(roles)}."
        abort(403, message="U heeft geen rechten voor deze handeling.", errors={"roles": [needed]})
    return principal
