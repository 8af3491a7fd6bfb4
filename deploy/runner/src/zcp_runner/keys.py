"""Identity's signing key pair and the portal's cookie secret for a local run (make run, make up, e2e)."""

from __future__ import annotations

import os
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


def ensure_portal_secret(folder: Path, env: MutableMapping[str, str]) -> None:
    """A random secret for the portal's session cookie, kept in ``folder`` so sessions survive a restart."""
    if env.get("PORTAL_SECRET_KEY_FILE"):
        return
    path = folder / "portal-secret"
    if not path.exists():
        folder.mkdir(parents=True, exist_ok=True)
        path.write_text(os.urandom(32).hex(), encoding="ascii")
        path.chmod(0o600)
    env["PORTAL_SECRET_KEY_FILE"] = str(path)
