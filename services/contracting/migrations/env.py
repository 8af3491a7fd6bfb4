"""Alembic environment: the URL from the service's settings, the schema from its ORM metadata."""

from contracting.adapters.orm import metadata
from contracting.config import Settings
from servicekit.migrations import run_migrations

run_migrations(metadata, default_url=lambda: Settings.from_env().database_url)
