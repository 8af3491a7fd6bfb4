"""Fixtures and chassis checks every service's test suite shares.

A service's ``tests/conftest.py`` calls :func:`service_fixtures` once; its ``tests/api/test_health.py``
subclasses :class:`ChassisChecks`. Both stay two lines, so the five services cannot drift apart.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from typing import Any

import pytest
from sqlalchemy import Engine, MetaData, text
from sqlalchemy.exc import OperationalError

from servicekit.testing.identity import gateway_client


def service_fixtures(
    *,
    service: str,
    settings_from_env: Callable[[dict[str, str]], Any],
    bootstrap: Callable[[Any], Any],
    create_app: Callable[[Any], Any],
    migrate: Callable[..., None],
    metadata: MetaData,
) -> tuple[Any, ...]:
    """``settings``, ``runtime``, ``client`` and an autouse table cleaner, on a fresh PostgreSQL database."""

    @pytest.fixture(scope="session")
    def settings(database_factory: Any, broker_namespace: Any, identity_keys: Any) -> Any:
        env = {
            f"{service.upper()}_DATABASE_URL": database_factory.create(service),
            "IDENTITY_PUBLIC_KEY_FILE": str(identity_keys.public_key_file),
            **broker_namespace.env(),
        }
        resolved = settings_from_env(env)
        migrate(resolved, topology=False)
        return resolved

    @pytest.fixture(scope="session")
    def runtime(settings: Any) -> Iterator[Any]:
        built = bootstrap(settings)
        yield built
        built.engine.dispose()

    @pytest.fixture(autouse=True)
    def _clean_tables(request: pytest.FixtureRequest) -> Iterator[None]:
        yield
        if "runtime" in request.fixturenames:
            truncate_all(request.getfixturevalue("runtime").engine, metadata)

    @pytest.fixture
    def app(runtime: Any) -> Any:
        return create_app(runtime)

    @pytest.fixture
    def client(app: Any, identity_keys: Any) -> Any:
        return gateway_client(app, identity_keys)

    return settings, runtime, _clean_tables, app, client


def truncate_all(engine: Engine, metadata: MetaData, *, attempts: int = 5) -> None:
    """Empty every table of the service. A consumer a test stopped may still be letting go of its locks
    (its connection ends a moment after its process): a deadlock or lock wait then is retried, not failed."""
    names = ", ".join(f'"{t.name}"' for t in metadata.sorted_tables)
    pause = threading.Event()
    for attempt in range(1, attempts + 1):
        try:
            with engine.begin() as connection:
                connection.execute(text("SET LOCAL lock_timeout = '10s'"))
                connection.execute(text(f"TRUNCATE {names} RESTART IDENTITY CASCADE"))
            return
        except OperationalError:
            if attempt == attempts:
                raise
            pause.wait(0.5 * attempt)


class ChassisChecks:
    """Health, error body, OpenAPI and identity-token checks; subclass with ``service`` and ``title``."""

    service: str = ""
    title: str = ""

    def test_live_answers_without_touching_dependencies(self, client: Any) -> None:
        response = client.get(f"/api/{self.service}/health/live")
        assert response.status_code == 200
        assert response.json["service"] == self.service

    def test_ready_reports_database_and_schema(self, client: Any) -> None:
        response = client.get(f"/api/{self.service}/health/ready")
        assert response.status_code == 200, response.json
        assert response.json["checks"] == {"database": "ok", "migrations": "ok"}

    def test_unknown_route_gets_the_common_error_body(self, client: Any) -> None:
        response = client.get(f"/api/{self.service}/no-such-thing")
        assert response.status_code == 404
        assert response.json["code"] == 404
        assert {"code", "status", "message"} <= set(response.json)

    def test_openapi_document_is_served(self, client: Any) -> None:
        response = client.get(f"/api/{self.service}/openapi.json")
        assert response.status_code == 200
        assert response.json["info"]["title"] == self.title
        assert f"/api/{self.service}/health/ready" in response.json["paths"]

    def test_a_forged_identity_token_is_refused(self, client: Any) -> None:
        response = client.get(f"/api/{self.service}/health/live", headers={"X-Identity-Token": "forged.token.value"})
        assert response.status_code == 401
        assert response.json["code"] == 401
