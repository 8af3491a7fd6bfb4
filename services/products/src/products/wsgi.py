"""gunicorn entry point: ``gunicorn products.wsgi:app``."""

from products.app import create_app
from products.config import Settings
from servicekit.logs import configure_logging

_settings = Settings.from_env()
configure_logging("products", _settings.log_level, _settings.log_format)
app = create_app()
