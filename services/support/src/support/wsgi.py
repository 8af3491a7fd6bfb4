"""gunicorn entry point: ``gunicorn support.wsgi:app``."""

from servicekit.logs import configure_logging
from support.app import create_app
from support.config import Settings

_settings = Settings.from_env()
configure_logging("support", _settings.log_level, _settings.log_format)
app = create_app()
