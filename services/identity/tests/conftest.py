"""Fixtures of the identity service's tests: a migrated PostgreSQL database of this run's own."""

from servicekit.testing.service import service_fixtures

from identity.adapters.orm import metadata
from identity.app import create_app
from identity.bootstrap import bootstrap
from identity.config import Settings
from identity.manage import migrate

settings, runtime, _clean_tables, app, client = service_fixtures(
    service="identity",
    settings_from_env=Settings.from_env,
    bootstrap=bootstrap,
    create_app=create_app,
    migrate=migrate,
    metadata=metadata,
)
