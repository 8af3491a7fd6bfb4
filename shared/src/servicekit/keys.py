"""Identity's Ed25519 signing key pair: ``python -m servicekit.keys DIR`` creates one if missing."""

from __future__ import annotations

import sys
from pathlib import Path

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

PRIVATE_KEY_FILE = "identity-private.pem"
PUBLIC_KEY_FILE = "identity-public.pem"


def generate_keypair() -> tuple[bytes, bytes]:
    """A new key pair as (private PEM in PKCS8, public PEM)."""
    key = Ed25519PrivateKey.generate()
    private = key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    )
    public = key.public_key().public_bytes(serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo)
    return private, public


def ensure_keypair(folder: Path) -> tuple[Path, Path]:
    """Create the pair in ``folder`` unless it is there; returns (private path, public path)."""
    folder.mkdir(parents=True, exist_ok=True)
    private_path, public_path = folder / PRIVATE_KEY_FILE, folder / PUBLIC_KEY_FILE
    if not (private_path.exists() and public_path.exists()):
        private, public = generate_keypair()
        private_path.write_bytes(private)
        private_path.chmod(0o600)
        public_path.write_bytes(public)
    return private_path, public_path


if __name__ == "__main__":
    created = ensure_keypair(Path(sys.argv[1] if len(sys.argv) > 1 else "."))
    print("\n".join(str(path) for path in created))
