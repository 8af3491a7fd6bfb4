"""Engines, sessions and the generic unit of work.

Nothing here opens a connection at import: the composition root (``bootstrap.py``) calls
:func:`create_db_engine` and :func:`session_factory` once per process.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from datetime import UTC, datetime
from types import TracebackType
from typing import Any

from sqlalchemy import DateTime, Engine, MetaData, create_engine, event, text
from sqlalchemy.orm import Session, sessionmaker
from sqlalchemy.types import TypeDecorator

from servicekit import search
from servicekit.messaging import outbox


class UtcDateTime(TypeDecorator[datetime]):
    """Timezone-aware UTC datetimes on every database (SQLite hands back naive ones).

    A naive datetime is refused on the way in: its zone is unknown, so storing it would be a guess.
    """

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Any) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given to a UTC column")
        return value.astimezone(UTC)

    def process_result_value(self, value: datetime | None, dialect: Any) -> datetime | None:
        if value is None:
            return None
        return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


def create_db_engine(url: str, *, pool_size: int = 5, echo: bool = False) -> Engine:
    if url.startswith("sqlite"):
        engine = create_engine(url, echo=echo, connect_args={"check_same_thread": False, "timeout": 30})

        @event.listens_for(engine, "connect")
        def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
            # SQLAlchemy, not pysqlite, manages transactions: savepoints then work (inbox, outbox).
            dbapi_connection.isolation_level = None
            cursor = dbapi_connection.cursor()
            cursor.execute("PRAGMA journal_mode=WAL")
            cursor.execute("PRAGMA foreign_keys=ON")
            cursor.execute("PRAGMA busy_timeout=30000")
            cursor.close()
            # The SQL form of servicekit.search.fold (PostgreSQL computes it with built-in functions).
            dbapi_connection.create_function(search.SQLITE_FUNCTION, 1, search.fold, deterministic=True)

        @event.listens_for(engine, "begin")
        def _sqlite_begin(connection: Any) -> None:
            # IMMEDIATE takes the write lock up front, so threads wait (busy_timeout) instead of
            # failing on a read-to-write lock upgrade (make run runs API, relay, consumer together).
            connection.exec_driver_sql("BEGIN IMMEDIATE")

        return engine
    return create_engine(url, echo=echo, pool_pre_ping=True, pool_size=pool_size, max_overflow=pool_size)


def session_factory(engine: Engine) -> sessionmaker[Session]:
    return sessionmaker(bind=engine, expire_on_commit=False)


def analyze(engine: Engine, tables: Iterable[str], *, vacuum: bool = False) -> None:
    """Refresh the planner's statistics of ``tables`` after a bulk load (a seed, a rollover, an import).

    Autovacuum gets there eventually, but until then the planner plans for the old, small tables
    (issue 16: history reads slowed 40-fold after bulk loads). ``vacuum`` (PostgreSQL) also marks
    the new rows all-visible, so that counts are answered from an index alone; worth it after
    millions of inserted rows (a rollover), not after a few. Table names come from code, never
    from input. Runs outside any transaction.
    """
    if engine.dialect.name != "postgresql":  # SQLite: in a transaction of its own (see the "begin" hook above)
        with engine.begin() as connection:
            for table in tables:
                connection.execute(text(f'ANALYZE "{table}"'))
        return
    command = "VACUUM (ANALYZE)" if vacuum else "ANALYZE"
    with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:  # VACUUM needs it
        for table in tables:
            connection.execute(text(f'{command} "{table}"'))


def ping(engine: Engine) -> None:
    with engine.connect() as connection:
        connection.execute(text("SELECT 1"))


#: A service's ``integration/outbound.py``: one domain event -> the integration events it becomes,
#: as ``(event type, data)`` pairs (version 1) or ``(event type, data, version)`` triples.
OutboundMapping = Callable[[Any], Iterable[tuple[Any, ...]]]


class UnitOfWork:
    """One business transaction: a session, the outbox in the same transaction, commit or nothing.

    Built either from a session factory (a request: it owns and commits its transaction) or around
    the session of an inbound message (the consumer owns the transaction and commits it together
    with the inbox row; :meth:`commit` then only flushes).

    Handlers record what happened as domain events with :meth:`emit`; the service's outbound
    mapping (given by its composition root) turns each into integration events in the outbox, so
    the service layer never imports the integration layer.
    """

    def __init__(
        self,
        factory: Callable[[], Session] | None = None,
        *,
        session: Session | None = None,
        producer: str,
        outbound: OutboundMapping | None = None,
    ) -> None:
        if (factory is None) == (session is None):
            raise ValueError("give either a session factory or a session")
        self._factory = factory
        self._owns_session = session is None
        self._session = session
        self.producer = producer
        self._outbound = outbound

    @property
    def session(self) -> Session:
        if self._session is None:
            raise RuntimeError("unit of work used outside its with-block")
        return self._session

    def __enter__(self) -> UnitOfWork:
        if self._owns_session:
            assert self._factory is not None
            self._session = self._factory()
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        if self._owns_session and self._session is not None:
            try:
                self._session.rollback()  # no-op after commit; undoes everything otherwise
            finally:
                self._session.close()
                self._session = None

    def commit(self) -> None:
        if self._owns_session:
            self.session.commit()
        else:
            self.session.flush()

    def rollback(self) -> None:
        if self._owns_session:
            self.session.rollback()

    def publish(self, event_type: str, data: dict[str, Any], version: int = 1) -> str:
        """Record an integration event in this transaction's outbox; returns the message id."""
        return outbox.add(self.session, outbox.build_envelope(self.producer, event_type, data, version))

    def emit(self, event: object) -> list[str]:
        """Record a domain event: the outbound mapping's integration events go to this transaction's outbox."""
        if self._outbound is None:
            raise RuntimeError(f"{self.producer}: this unit of work has no outbound mapping for {type(event).__name__}")
        return [self.publish(*integration_event) for integration_event in self._outbound(event)]


NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


def service_metadata() -> MetaData:
    """A service's ``MetaData``: stable constraint names (migrations can name them), outbox and inbox included."""
    from servicekit.messaging.tables import messaging_tables

    metadata = MetaData(naming_convention=NAMING_CONVENTION)
    messaging_tables(metadata)
    return metadata
