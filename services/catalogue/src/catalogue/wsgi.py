"""gunicorn entry point: ``gunicorn catalogue.wsgi:app``."""

from catalogue.app import create_app
from catalogue.config import Settings
from servicekit.logs import configure_logging

_settings = Settings.from_env()
configure_logging("catalogue", _settings.log_level, _settings.log_format)
app = create_app()
