"""gunicorn entry point of the public read API (R17): ``gunicorn products.publication_wsgi:app``."""

from products.config import Settings
from products.publication.app import create_publication_app
from servicekit.logs import configure_logging

_settings = Settings.from_env()
configure_logging("publication", _settings.log_level, _settings.log_format)
app = create_publication_app()
