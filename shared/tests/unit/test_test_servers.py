"""Where the test servers come from: a given URL, the environment, a container, or a failure saying how."""

from __future__ import annotations

from typing import Any

import pytest

from servicekit.testing import servers
from servicekit.testing.servers import ServerUnavailable, TestServers


class FakeContainer:
    def __init__(self) -> None:
        self.stopped = False

    def stop(self) -> None:
        self.stopped = True


@pytest.fixture
def no_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("TEST_POSTGRES_URL", raising=False)
    monkeypatch.delenv("TEST_AMQP_URL", raising=False)


def test_a_given_url_wins_over_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TEST_POSTGRES_URL", "postgresql://env/db")
    assert TestServers(postgres_url="postgresql://given/db").postgres() == "postgresql://given/db"


def test_the_environment_is_read_once_and_kept(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TEST_AMQP_URL", "amqp://env//")
    found = TestServers()
    assert found.amqp() == "amqp://env//"
    monkeypatch.setenv("TEST_AMQP_URL", "amqp://other//")
    assert found.amqp() == "amqp://env//"


@pytest.mark.usefixtures("no_environment")
def test_without_a_url_a_container_is_started_and_stopped_with_the_servers(monkeypatch: pytest.MonkeyPatch) -> None:
    container = FakeContainer()

    def start() -> tuple[Any, str]:
        return container, "postgresql://container/db"

    monkeypatch.setattr(servers, "_docker_engine_answers", lambda: True)
    monkeypatch.setattr(servers, "_start_postgres", start)
    found = TestServers()
    assert found.postgres() == "postgresql://container/db"
    found.stop()
    assert container.stopped


@pytest.mark.usefixtures("no_environment")
def test_without_a_url_or_docker_the_failure_says_how_to_provide_one(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(servers, "_docker_engine_answers", lambda: False)
    with pytest.raises(ServerUnavailable, match="set TEST_AMQP_URL"):
        TestServers().amqp()
    with pytest.raises(ServerUnavailable, match="set TEST_POSTGRES_URL"):
        TestServers().postgres()
