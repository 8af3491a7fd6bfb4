"""No password, session token or API key is stored in clear text: read every row and look."""

from __future__ import annotations

import hashlib

from sqlalchemy import select

from identity.adapters.orm import api_key, metadata, user_session
from identity.demo import DEMO_API_KEY, DEMO_PASSWORD


def all_stored_text(engine) -> str:
    chunks = []
    with engine.connect() as connection:
        for table in metadata.sorted_tables:
            for row in connection.execute(select(table)):
                chunks.extend(str(value) for value in row)
    return "\n".join(chunks)


def test_no_secret_is_stored_in_clear_text(portal, runtime) -> None:
    session_token = portal.token("zk-inkoper")
    portal.login("zk-inkoper", password="Verkeerd123")  # a failed attempt stores no password either
    platform = portal.as_user("platform")
    created_key = portal.client.post("/api/identity/api-keys", json={"name": "Independer"}, headers=platform).json[
        "key"
    ]
    admin = portal.as_user("zk-admin")
    new_user = portal.client.post(
        "/api/identity/users",
        json={"username": "zk-geheim", "display_name": "Geheim", "role": "insurer_user", "password": "Geheim2026"},
        headers=admin,
    ).json
    portal.client.post(
        f"/api/identity/users/{new_user['id']}/password-reset", json={"new_password": "Tijdelijk99"}, headers=admin
    )

    stored = all_stored_text(runtime.engine)
    for secret in (DEMO_PASSWORD, "Verkeerd123", "Geheim2026", "Tijdelijk99", session_token, created_key, DEMO_API_KEY):
        assert secret not in stored, f"{secret!r} stored in clear text"

    with runtime.engine.connect() as connection:
        token_hashes = set(connection.execute(select(user_session.c.token_hash)).scalars())
        key_hashes = set(connection.execute(select(api_key.c.key_hash)).scalars())
    assert hashlib.sha256(session_token.encode()).hexdigest() in token_hashes
    assert hashlib.sha256(created_key.encode()).hexdigest() in key_hashes
