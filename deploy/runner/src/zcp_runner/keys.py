"""Identity's signing key pair for a local run (make run, make up, e2e)."""

from __future__ import annotations

from collections.abc import MutableMapping
from pathlib import Path

from servicekit.keys import ensure_keypair


def ensure_identity_keys(folder: Path, env: MutableMapping[str, str]) -> None:
    """Create a key pair in ``folder`` unless the environment names one already, and name it there."""
    if env.get("IDENTITY_SIGNING_KEY_FILE") and env.get("IDENTITY_PUBLIC_KEY_FILE"):
        return
    private_path, public_path = ensure_keypair(folder)
    env["IDENTITY_SIGNING_KEY_FILE"] = str(private_path)
    env["IDENTITY_PUBLIC_KEY_FILE"] = str(public_path)
