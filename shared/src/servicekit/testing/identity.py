"""Sign identity tokens in tests, as identity does for the gateway."""

from __future__ import annotations

import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from servicekit.auth import IDENTITY_TOKEN_HEADER, Principal, sign_identity_token
from servicekit.keys import PRIVATE_KEY_FILE, PUBLIC_KEY_FILE, generate_keypair

__all__ = ["IdentityKeys", "generate_keypair"]


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
        return sign_identity_token(principal, self.private_pem, int(time.time()), ttl_seconds)

    def headers(self, **kwargs: Any) -> dict[str, str]:
        """``{"X-Identity-Token": ...}`` for a test client request."""
        return {IDENTITY_TOKEN_HEADER: self.token(**kwargs)}
