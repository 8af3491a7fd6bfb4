"""SQLAlchemy 2 tables of the products service (its own database; no other service reads them)."""

from servicekit.db import service_metadata
from servicekit.messaging.tables import messaging_tables

metadata = service_metadata()
outbox_message, inbox_message = messaging_tables(metadata)
