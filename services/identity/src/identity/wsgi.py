"""gunicorn entry point: ``gunicorn identity.wsgi:app``."""

from identity.app import create_app
from identity.config import Settings
from servicekit.logs import configure_logging

_settings = Settings.from_env()
configure_logging("identity", _settings.log_level, _settings.log_format)
app = create_app()
