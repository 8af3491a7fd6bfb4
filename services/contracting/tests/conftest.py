"""Fixtures of the contracting service's tests: a migrated PostgreSQL database of this run's own."""

from servicekit.testing.service import service_fixtures

from contracting.adapters.orm import metadata
from contracting.app import create_app
from contracting.bootstrap import bootstrap
from contracting.config import Settings
from contracting.manage import migrate

settings, runtime, _clean_tables, app, client = service_fixtures(
    service="contracting",
    settings_from_env=Settings.from_env,
    bootstrap=bootstrap,
    create_app=create_app,
    migrate=migrate,
    metadata=metadata,
)
