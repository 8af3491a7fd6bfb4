"""Alembic environment: the URL from the service's settings, the schema from its ORM metadata."""

from servicekit.migrations import run_migrations
from support.adapters.orm import metadata
from support.config import Settings

run_migrations(metadata, default_url=lambda: Settings.from_env().database_url)
