"""Secrets: argon2id password hashes, random tokens and their SHA-256 digests, the identity token signer.

Session tokens and API keys carry 256 random bits, so an unsalted SHA-256 digest is enough to store
them: unlike passwords they cannot be guessed from a dictionary. Passwords get argon2id
(argon2-cffi's RFC 9106 low-memory profile).
"""

from __future__ import annotations

import hashlib
import secrets
import time
from functools import cached_property

from argon2 import PasswordHasher, Type
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from servicekit.auth import Principal, RequestBinding, sign_identity_token

SESSION_TOKEN_BYTES = 32
API_KEY_PREFIX = "zcpk_"


class Argon2Hasher:
    """argon2id; the defaults are argon2-cffi's RFC 9106 low-memory profile (t=3, m=64 MiB, p=4).

    Lower costs are for tests only; hashes made with other parameters are upgraded at the next login.
    """

    def __init__(self, *, time_cost: int = 3, memory_cost: int = 64 * 1024, parallelism: int = 4) -> None:
        self._hasher = PasswordHasher(
            time_cost=time_cost, memory_cost=memory_cost, parallelism=parallelism, type=Type.ID
        )

    def hash(self, password: str) -> str:
        return self._hasher.hash(password)

    def verify(self, password_hash: str, password: str) -> bool:
        try:
            return self._hasher.verify(password_hash, password)
        except (VerifyMismatchError, VerificationError, InvalidHashError):
            return False

    def needs_rehash(self, password_hash: str) -> bool:
        return self._hasher.check_needs_rehash(password_hash)

    @cached_property
    def _dummy_hash(self) -> str:
        return self._hasher.hash(secrets.token_urlsafe(16))

    def burn(self, password: str) -> None:
        """Spend the time of a verification, so that an unknown username answers as slowly as a known one."""
        self.verify(self._dummy_hash, password)


def new_session_token() -> str:
    return secrets.token_urlsafe(SESSION_TOKEN_BYTES)


def new_api_key() -> str:
    return API_KEY_PREFIX + secrets.token_urlsafe(SESSION_TOKEN_BYTES)


def is_api_key(value: str) -> bool:
    return value.startswith(API_KEY_PREFIX)


def digest(secret: str) -> str:
    return hashlib.sha256(secret.encode("utf-8")).hexdigest()


class TokenSigner:
    """Vouches for a principal with identity's Ed25519 key, for one request (the gateway passes it upstream)."""

    def __init__(self, private_key_pem: bytes, ttl_seconds: int) -> None:
        self._private = private_key_pem
        self.ttl_seconds = ttl_seconds

    @property
    def public_key_pem(self) -> bytes:
        key = serialization.load_pem_private_key(self._private, password=None)
        assert isinstance(key, Ed25519PrivateKey)
        return key.public_key().public_bytes(
            serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
        )

    def sign(self, principal: Principal, binding: RequestBinding, now: float | None = None) -> str:
        """A token for ``principal``, good for the one request ``binding`` names."""
        # Wall-clock time: other services verify exp/iat against their own clocks.
        moment = int(now if now is not None else time.time())
        return sign_identity_token(principal, self._private, moment, self.ttl_seconds, binding)
