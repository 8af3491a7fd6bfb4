"""SQLAlchemy 2 tables of the support service (its own database; no other service reads them)."""

from sqlalchemy import MetaData

from servicekit.messaging.tables import messaging_tables

metadata = MetaData(
    naming_convention={
        "ix": "ix_%(column_0_label)s",
        "uq": "uq_%(table_name)s_%(column_0_name)s",
        "ck": "ck_%(table_name)s_%(constraint_name)s",
        "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
        "pk": "pk_%(table_name)s",
    }
)
outbox_message, inbox_message = messaging_tables(metadata)
