"""gunicorn entry point: ``gunicorn products.wsgi:app``."""

from servicekit.logs import configure_logging

from products.app import create_app
from products.config import Settings

_settings = Settings.from_env()
configure_logging("products", _settings.log_level, _settings.log_format)
app = create_app()
