"""Fixtures of the products service's tests: a migrated PostgreSQL database of this run's own."""

from products.adapters.orm import metadata
from products.app import create_app
from products.bootstrap import bootstrap
from products.config import Settings
from products.manage import migrate
from servicekit.testing.service import service_fixtures

settings, runtime, _clean_tables, app, client = service_fixtures(
    service="products",
    settings_from_env=Settings.from_env,
    bootstrap=bootstrap,
    create_app=create_app,
    migrate=migrate,
    metadata=metadata,
)
