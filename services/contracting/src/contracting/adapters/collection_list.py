"""R16 for a collection being made: it must not miss the rows of a catalogue event applied meanwhile.

A catalogue handler writes the local catalogue copy and then rows for every open collection; making a
collection (new, copy, rollover) inserts the collection and fills it from the catalogue copy or its
source. Each runs in its own READ COMMITTED transaction, so each could miss the other's uncommitted
work: the new collection would lack the event's rows for good. A transaction-scoped advisory lock
orders them: handlers share it, making a collection takes it alone. A handler then either finishes
before the collection is filled (which sees its rows) or lists the open collections after the new
one has committed (and writes its rows too). Handlers never wait for each other.

SQLite (``make run``) has one writer at a time: no lock needed there.
"""

from __future__ import annotations

from sqlalchemy import text
from sqlalchemy.orm import Session

from contracting.adapters.sql import is_postgres

#: (class, object) of the two-key advisory lock space, apart from the kit's one-key entity locks
_KEY = {"space": 16, "key": 1}


def share_collection_list(session: Session) -> None:
    """Before a catalogue handler's first statement: the open collections stay as they are until it commits."""
    if is_postgres(session):
        session.execute(text("SELECT pg_advisory_xact_lock_shared(:space, :key)"), _KEY)


def own_collection_list(session: Session) -> None:
    """First in a transaction that makes collections: wait for the handlers under way, hold off the next."""
    if is_postgres(session):
        session.execute(text("SELECT pg_advisory_xact_lock(:space, :key)"), _KEY)
