"""Fixtures of the identity service's tests: a migrated PostgreSQL database of this run's own.

``settings`` is overridden to give identity its signing key (the private half of ``identity_keys``)
and a non-default idle timeout, so that tests prove the configured value is the one used.
``clock`` swaps a fake clock into the handlers (no test ever sleeps).
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from identity.adapters.crypto import Argon2Hasher
from identity.adapters.orm import metadata
from identity.app import create_app
from identity.bootstrap import Runtime, bootstrap
from identity.config import Settings
from identity.demo import DEMO_PASSWORD, seed_demo
from identity.manage import migrate
from servicekit.auth import RequestBinding
from servicekit.testing.service import service_fixtures

_settings, _runtime, _clean_tables, app, client = service_fixtures(
    service="identity",
    settings_from_env=Settings.from_env,
    bootstrap=bootstrap,
    create_app=create_app,
    migrate=migrate,
    metadata=metadata,
)

IDLE_SECONDS = 300
#: The request the gateway asks about in these tests (X-Original-Method, X-Original-URI, X-Request-ID).
CHECKED = RequestBinding("GET", "/api/identity/users/me", "gateway-request-1")
GATEWAY_HEADERS = {
    "X-Original-Method": "GET",
    "X-Original-URI": "/api/identity/users/me?x=1",
    "X-Request-ID": CHECKED.request_id,
}


def identity_env(
    database_factory: Any, broker_namespace: Any, identity_keys: Any, label: str = "identity"
) -> dict[str, str]:
    return {
        "IDENTITY_DATABASE_URL": database_factory.create(label),
        "IDENTITY_PUBLIC_KEY_FILE": str(identity_keys.public_key_file),
        "IDENTITY_SIGNING_KEY_FILE": str(identity_keys.public_key_file.parent / "identity-private.pem"),
        "SESSION_IDLE_SECONDS": str(IDLE_SECONDS),
        **broker_namespace.env(),
    }


@pytest.fixture(scope="session")
def settings(database_factory: Any, broker_namespace: Any, identity_keys: Any) -> Settings:
    resolved = Settings.from_env(identity_env(database_factory, broker_namespace, identity_keys))
    migrate(resolved, topology=False)
    return resolved


@pytest.fixture(scope="session")
def runtime(settings: Settings) -> Iterator[Runtime]:
    """The kit's runtime, with argon2id at test cost (production parameters: tests/unit/test_crypto.py)."""
    built = bootstrap(settings)
    built.deps.hasher = Argon2Hasher(time_cost=1, memory_cost=1024, parallelism=1)
    yield built
    built.engine.dispose()


@dataclass
class FakeClock:
    now: datetime

    def __call__(self) -> datetime:
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += timedelta(seconds=seconds)


@pytest.fixture
def clock(runtime: Any) -> Iterator[FakeClock]:
    fake = FakeClock(datetime.now(UTC).replace(microsecond=0))
    real = runtime.deps.clock
    runtime.deps.clock = fake
    yield fake
    runtime.deps.clock = real


@pytest.fixture
def demo(runtime: Any, clock: FakeClock) -> None:
    """The demo insurers and users (every role), with a fake clock in place."""
    seed_demo(runtime)


class Portal:
    """Talks to identity as the web portal through the gateway would."""

    def __init__(self, client: Any) -> None:
        self.client = client

    def login(self, username: str, password: str = DEMO_PASSWORD, year: int = 2026, **extra: Any) -> Any:
        headers = extra.pop("headers", None)
        body = {"contract_year": year, "username": username, "password": password, **extra}
        return self.client.post("/api/identity/sessions", json=body, headers=headers)

    def token(self, username: str, password: str = DEMO_PASSWORD, year: int = 2026) -> str:
        response = self.login(username, password, year)
        assert response.status_code == 201, response.json
        return str(response.json["token"])

    def check(self, token: str | None = None, **headers: str) -> Any:
        """The gateway's session check for the request ``CHECKED``."""
        sent = {"Authorization": f"Bearer {token}"} if token else {}
        return self.client.get("/api/identity/auth/check", headers={**GATEWAY_HEADERS, **sent, **headers})

    def gateway(self, token: str) -> dict[str, str]:
        """What the gateway sends upstream: the identity token from the session check (the test
        client re-binds it to each request it is sent with, as the gateway would ask anew)."""
        response = self.check(token)
        assert response.status_code == 200, response.json
        return {"X-Identity-Token": response.headers["X-Identity-Token"]}

    def as_user(self, username: str) -> dict[str, str]:
        return self.gateway(self.token(username))


@pytest.fixture
def portal(client: Any, demo: None) -> Portal:
    return Portal(client)
