"""gunicorn entry point: ``gunicorn identity.wsgi:app``."""

from servicekit.logs import configure_logging

from identity.app import create_app
from identity.config import Settings

_settings = Settings.from_env()
configure_logging("identity", _settings.log_level, _settings.log_format)
app = create_app()
