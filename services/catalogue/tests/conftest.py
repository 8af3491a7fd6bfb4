"""Fixtures of the catalogue service's tests: a migrated PostgreSQL database of this run's own."""

from catalogue.adapters.orm import metadata
from catalogue.app import create_app
from catalogue.bootstrap import bootstrap
from catalogue.config import Settings
from catalogue.manage import migrate
from servicekit.testing.service import service_fixtures

settings, runtime, _clean_tables, app, client = service_fixtures(
    service="catalogue",
    settings_from_env=Settings.from_env,
    bootstrap=bootstrap,
    create_app=create_app,
    migrate=migrate,
    metadata=metadata,
)


import pytest  # noqa: E402

API = "/api/catalogue"


@pytest.fixture
def maintainer(identity_keys):  # type: ignore[no-untyped-def]
    return identity_keys.headers(roles=("catalogue_maintainer",))


@pytest.fixture
def insurer(identity_keys):  # type: ignore[no-untyped-def]
    return identity_keys.headers(roles=("insurer_user",), tenant_id="insurer-1", contract_year=2027)


@pytest.fixture
def make(client, maintainer):  # type: ignore[no-untyped-def]
    """POST as maintainer and return the created body (asserting 201)."""

    def _make(path: str, body: dict) -> dict:  # type: ignore[type-arg]
        response = client.post(f"{API}{path}", json=body, headers=maintainer)
        assert response.status_code == 201, response.json
        return response.json  # type: ignore[no-any-return]

    return _make
