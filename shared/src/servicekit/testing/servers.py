"""Where the test servers come from, and how each run keeps to its own databases and queues.

Order: environment URLs first (``TEST_POSTGRES_URL``, ``TEST_AMQP_URL``), then testcontainers when
a Docker engine answers, else a failure that says how to provide them.
"""

from __future__ import annotations

import contextlib
import os
import re
import shutil
import subprocess
import threading
import time
import uuid
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any, TypeVar

import sqlalchemy as sa
from kombu import Connection

T = TypeVar("T")

HOW_TO_PROVIDE = (
    "No {what} for tests: set {var} (for example {example}) or start a Docker engine so that "
    "testcontainers can run one."
)


class ServerUnavailable(RuntimeError):
    pass


def wait_for(
    predicate: Callable[[], T],
    *,
    timeout: float = 10.0,
    interval: float = 0.05,
    message: str = "condition",
    progress: Callable[[], object] | None = None,
    most: float | None = None,
) -> T:
    """Poll ``predicate`` until it returns something truthy; fail after ``timeout`` seconds.

    With ``progress`` (any value that changes while work is being done, e.g. rows applied) the
    ``timeout`` counts from the last change instead, up to ``most`` seconds in all (default five
    times ``timeout``): a loaded machine that is still getting there is not a failure, a stuck one is.
    """
    started = time.monotonic()
    cap = started + (most if most is not None else timeout * (5 if progress else 1))
    deadline = min(cap, started + timeout)
    seen = progress() if progress else None
    pause = threading.Event()
    last: T = predicate()
    while not last:
        now = time.monotonic()
        if now >= deadline:
            waited = f"{now - started:.0f}s, the last {timeout}s without progress," if progress else f"{timeout}s"
            raise AssertionError(f"timed out after {waited} waiting for {message}")
        pause.wait(interval)
        last = predicate()
        if progress and (current := progress()) != seen:
            seen, deadline = current, min(cap, time.monotonic() + timeout)
    return last


def purge_queues(amqp_url: str, names: Iterable[str]) -> None:
    """Empty these queues, skipping any not declared: one test's leftovers never reach the next test's consumers."""
    with Connection(amqp_url, connect_timeout=5) as connection:
        for name in names:
            channel = connection.channel()
            try:
                channel.queue_purge(name)
            except connection.channel_errors:  # not declared: nothing to purge
                pass
            finally:
                with contextlib.suppress(Exception):
                    channel.close()


def _docker_engine_answers() -> bool:
    if not shutil.which("docker"):
        return False
    try:
        return subprocess.run(["docker", "info"], capture_output=True, timeout=10).returncode == 0
    except (OSError, subprocess.TimeoutExpired):
        return False


def _start_postgres() -> tuple[Any, str]:
    from testcontainers.postgres import PostgresContainer

    container = PostgresContainer("postgres:16-alpine").start()
    return container, container.get_connection_url()


def _start_rabbitmq() -> tuple[Any, str]:
    from testcontainers.rabbitmq import RabbitMqContainer

    container = RabbitMqContainer("rabbitmq:3.13-management").start()
    return container, f"amqp://guest:guest@{container.get_container_host_ip()}:{container.get_exposed_port(5672)}//"


@dataclass
class TestServers:
    """Resolved once per test session; starts containers only when no URL is given."""

    __test__ = False  # not a test class

    postgres_url: str | None = None
    amqp_url: str | None = None
    _containers: list[Any] = field(default_factory=list)

    def _server(self, what: str, var: str, example: str, start: Callable[[], tuple[Any, str]]) -> str:
        """The URL in ``var``; else that of a container ``start`` runs (where a Docker engine answers); else
        :class:`ServerUnavailable`, saying how to provide one (``example``)."""
        url = os.environ.get(var)
        if not url and _docker_engine_answers():
            container, url = start()
            self._containers.append(container)
        if not url:
            raise ServerUnavailable(HOW_TO_PROVIDE.format(what=what, var=var, example=example))
        return url

    def postgres(self) -> str:
        if not self.postgres_url:
            self.postgres_url = self._server(
                "PostgreSQL", "TEST_POSTGRES_URL", "postgresql://postgres@127.0.0.1:5432/postgres", _start_postgres
            )
        return self.postgres_url

    def amqp(self) -> str:
        if not self.amqp_url:
            self.amqp_url = self._server(
                "RabbitMQ", "TEST_AMQP_URL", "amqp://guest:guest@127.0.0.1:5672//", _start_rabbitmq
            )
        return self.amqp_url

    def stop(self) -> None:
        for container in self._containers:
            container.stop()


class DatabaseFactory:
    """Creates throw-away PostgreSQL databases for one test run and drops them afterwards."""

    def __init__(self, admin_url: str, run_id: str) -> None:
        self.admin_url = admin_url.replace("postgresql://", "postgresql+psycopg://", 1)
        self.run_id = run_id
        self.created: list[str] = []
        self._admin = sa.create_engine(self.admin_url, isolation_level="AUTOCOMMIT", poolclass=sa.pool.NullPool)

    def create(self, label: str) -> str:
        name = f"t_{self.run_id}_{re.sub(r'[^a-z0-9_]', '_', label.lower())}"[:63]
        with self._admin.connect() as connection:
            connection.execute(sa.text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
            connection.execute(sa.text(f'CREATE DATABASE "{name}"'))
        self.created.append(name)
        return sa.engine.make_url(self.admin_url).set(database=name).render_as_string(hide_password=False)

    def drop_all(self) -> None:
        with self._admin.connect() as connection:
            for name in self.created:
                connection.execute(sa.text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        self._admin.dispose()


@dataclass
class BrokerNamespace:
    """An exchange and a queue prefix of this run's own; removed at the end."""

    amqp_url: str
    exchange: str
    queue_prefix: str
    declared_queues: set[str] = field(default_factory=set)

    @classmethod
    def new(cls, amqp_url: str, run_id: str) -> BrokerNamespace:
        return cls(amqp_url, exchange=f"test.{run_id}.events", queue_prefix=f"test.{run_id}.")

    def env(self) -> dict[str, str]:
        return {"AMQP_URL": self.amqp_url, "EVENT_EXCHANGE": self.exchange, "QUEUE_PREFIX": self.queue_prefix}

    def _queues_on_broker(self) -> set[str]:
        if not shutil.which("rabbitmqctl"):
            return set()
        try:
            out = subprocess.run(
                ["rabbitmqctl", "-q", "list_queues", "name"], capture_output=True, text=True, timeout=30
            ).stdout
        except (OSError, subprocess.TimeoutExpired):
            return set()
        return {line.strip() for line in out.splitlines() if line.strip().startswith(self.queue_prefix)}

    def cleanup(self) -> None:
        queues = self.declared_queues | self._queues_on_broker()
        with Connection(self.amqp_url, connect_timeout=5) as connection:
            for queue in queues:
                channel = connection.channel()
                try:
                    channel.queue_delete(queue)
                except Exception:  # already gone
                    pass
                finally:
                    with contextlib.suppress(Exception):
                        channel.close()
            for exchange in (self.exchange, f"{self.exchange}.dlx"):
                channel = connection.channel()
                with contextlib.suppress(Exception):
                    channel.exchange_delete(exchange)


def new_run_id() -> str:
    return uuid.uuid4().hex[:10]
