"""gunicorn entry point: ``gunicorn portal.wsgi:app``."""

from portal.app import create_app
from portal.config import Settings
from servicekit.logs import configure_logging

_settings = Settings.from_env()
configure_logging("portal", _settings.log_level, _settings.log_format)
app = create_app(_settings)
