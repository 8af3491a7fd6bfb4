"""Fixtures of the catalogue service's tests: a migrated PostgreSQL database of this run's own."""

from servicekit.testing.service import service_fixtures

from catalogue.adapters.orm import metadata
from catalogue.app import create_app
from catalogue.bootstrap import bootstrap
from catalogue.config import Settings
from catalogue.manage import migrate

settings, runtime, _clean_tables, app, client = service_fixtures(
    service="catalogue",
    settings_from_env=Settings.from_env,
    bootstrap=bootstrap,
    create_app=create_app,
    migrate=migrate,
    metadata=metadata,
)
