"""gunicorn entry point: ``gunicorn contracting.wsgi:app``."""

from contracting.app import create_app
from contracting.config import Settings
from servicekit.logs import configure_logging

_settings = Settings.from_env()
configure_logging("contracting", _settings.log_level, _settings.log_format)
app = create_app()
