"""Rotating identity's signing key without refusing anyone: a public key file may hold the old and the
new key, and a token signed by either is accepted (README, "Operations runbook")."""

from __future__ import annotations

import time

import pytest

from servicekit.auth import (
    IdentityTokenVerifier,
    InvalidIdentityToken,
    Principal,
    RequestBinding,
    public_keys,
    sign_identity_token,
)
from servicekit.keys import generate_keypair

BINDING = RequestBinding("GET", "/api/contracting/collections", "req-1")
PRINCIPAL = Principal(subject="u1", kind="user", roles=frozenset({"insurer_admin"}), tenant_id="CZ")


def token(private_pem: bytes, *, ttl: int = 10, binding: RequestBinding = BINDING) -> str:
    return sign_identity_token(PRINCIPAL, private_pem, int(time.time()), ttl, binding)


def test_a_key_file_with_both_keys_accepts_tokens_of_the_old_and_the_new_key() -> None:
    old_private, old_public = generate_keypair()
    new_private, new_public = generate_keypair()
    verifier = IdentityTokenVerifier(old_public + new_public)
    assert len(public_keys(old_public + new_public)) == 2
    assert verifier.verify(token(old_private), BINDING) == PRINCIPAL
    assert verifier.verify(token(new_private), BINDING) == PRINCIPAL


def test_a_key_not_in_the_file_is_refused_and_so_is_the_old_one_once_removed() -> None:
    old_private, _ = generate_keypair()
    new_private, new_public = generate_keypair()
    verifier = IdentityTokenVerifier(new_public)
    assert verifier.verify(token(new_private), BINDING) == PRINCIPAL
    with pytest.raises(InvalidIdentityToken, match="Signature"):
        verifier.verify(token(old_private), BINDING)


def test_an_expired_token_signed_by_the_first_key_is_refused_as_expired_not_tried_further() -> None:
    old_private, old_public = generate_keypair()
    _, new_public = generate_keypair()
    verifier = IdentityTokenVerifier(old_public + new_public, leeway_seconds=0)
    with pytest.raises(InvalidIdentityToken, match="expired"):
        verifier.verify(token(old_private, ttl=-5), BINDING)
    other_request = RequestBinding("GET", "/api/contracting/years", "req-2")
    with pytest.raises(InvalidIdentityToken, match="another request"):
        verifier.verify(token(old_private, binding=other_request), BINDING)


def test_no_key_configured_refuses_every_token() -> None:
    private, _ = generate_keypair()
    with pytest.raises(InvalidIdentityToken, match="no identity public key"):
        IdentityTokenVerifier(None).verify(token(private), BINDING)
