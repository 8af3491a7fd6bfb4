"""pytest plugin (entry point ``servicekit``): test servers, per-run databases and broker names.

Fixtures:
- ``test_servers``: the resolved PostgreSQL and RabbitMQ (environment first, then testcontainers);
- ``database_factory``: ``database_factory.create("label")`` gives a fresh database URL, dropped at the end;
- ``broker_namespace``: an exchange and queue prefix of this run's own, removed at the end;
- ``identity_keys``: sign identity tokens that services under test accept (``identity_keys.headers(roles=...)``);
- ``wait_for``: bounded polling for asynchronous outcomes (never a fixed sleep).
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from servicekit.testing.identity import IdentityKeys
from servicekit.testing.servers import (
    BrokerNamespace,
    DatabaseFactory,
    ServerUnavailable,
    TestServers,
    new_run_id,
)
from servicekit.testing.servers import (
    wait_for as _wait_for,
)


@pytest.fixture(scope="session")
def test_run_id() -> str:
    return new_run_id()


@pytest.fixture(scope="session")
def test_servers() -> Iterator[TestServers]:
    servers = TestServers()
    yield servers
    servers.stop()


@pytest.fixture(scope="session")
def database_factory(test_servers: TestServers, test_run_id: str) -> Iterator[DatabaseFactory]:
    try:
        factory = DatabaseFactory(test_servers.postgres(), test_run_id)
    except ServerUnavailable as exc:
        pytest.fail(str(exc), pytrace=False)
    yield factory
    factory.drop_all()


@pytest.fixture(scope="session")
def broker_namespace(test_servers: TestServers, test_run_id: str) -> Iterator[BrokerNamespace]:
    try:
        namespace = BrokerNamespace.new(test_servers.amqp(), test_run_id)
    except ServerUnavailable as exc:
        pytest.fail(str(exc), pytrace=False)
    yield namespace
    namespace.cleanup()


@pytest.fixture(scope="session")
def identity_keys(tmp_path_factory: pytest.TempPathFactory) -> IdentityKeys:
    """A key pair for identity tokens; services under test trust its public key."""
    return IdentityKeys.create(tmp_path_factory.mktemp("identity-keys"))


@pytest.fixture
def wait_for():  # type: ignore[no-untyped-def]
    return _wait_for
