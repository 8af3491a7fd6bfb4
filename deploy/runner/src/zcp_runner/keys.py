"""Identity's signing key pair for a local run (make run, make up, e2e)."""

from __future__ import annotations

import os
from pathlib import Path

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey


def ensure_identity_keys(folder: Path, env: dict[str, str] | os._Environ[str]) -> None:
    """Create a key pair in ``folder`` unless the environment names one already."""
    if env.get("IDENTITY_SIGNING_KEY_FILE") and env.get("IDENTITY_PUBLIC_KEY_FILE"):
        return
    folder.mkdir(parents=True, exist_ok=True)
    private_path, public_path = folder / "identity-private.pem", folder / "identity-public.pem"
    if not private_path.exists():
        key = Ed25519PrivateKey.generate()
        private_path.write_bytes(
            key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption())
        )
        private_path.chmod(0o600)
        public_path.write_bytes(
            key.public_key().public_bytes(serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo)
        )
    env["IDENTITY_SIGNING_KEY_FILE"] = str(private_path)
    env["IDENTITY_PUBLIC_KEY_FILE"] = str(public_path)
