"""Fixtures of the support service's tests: a migrated PostgreSQL database of this run's own."""

from servicekit.testing.service import service_fixtures
from support.adapters.orm import metadata
from support.app import create_app
from support.bootstrap import bootstrap
from support.config import Settings
from support.manage import migrate

settings, runtime, _clean_tables, app, client = service_fixtures(
    service="support",
    settings_from_env=Settings.from_env,
    bootstrap=bootstrap,
    create_app=create_app,
    migrate=migrate,
    metadata=metadata,
)
