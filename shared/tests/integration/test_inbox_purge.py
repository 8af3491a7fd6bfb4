"""Issue 16 item 13: the inbox does not grow for ever. Claims older than the retention are forgotten
(in bounded transactions), newer ones stay and still stop a duplicate; on PostgreSQL and on SQLite."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import MetaData, func, insert, select, update
from sqlalchemy.orm import Session

from servicekit.db import create_db_engine
from servicekit.messaging import inbox
from servicekit.messaging.tables import INBOX_TABLE, messaging_tables


@pytest.fixture(params=["sqlite", "postgresql"])
def engine(request, tmp_path, database_factory):  # type: ignore[no-untyped-def]
    url = f"sqlite:///{tmp_path}/inbox.sqlite3" if request.param == "sqlite" else database_factory.create("inbox")
    built = create_db_engine(url)
    metadata = MetaData()
    messaging_tables(metadata)
    metadata.create_all(built)
    yield built
    built.dispose()


def test_claims_older_than_the_retention_are_purged_in_batches_and_newer_ones_still_stop_duplicates(engine) -> None:  # type: ignore[no-untyped-def]
    now = datetime.now(UTC)
    old = [{"message_id": f"old-{i}", "handler": h, "event_type": "x.y"} for i in range(25) for h in ("a", "b")]
    new = [{"message_id": f"new-{i}", "handler": "a", "event_type": "x.y"} for i in range(5)]
    with engine.begin() as connection:
        connection.execute(insert(INBOX_TABLE), old + new)
        connection.execute(
            update(INBOX_TABLE)
            .where(INBOX_TABLE.c.message_id.like("old-%"))
            .values(processed_at=now - timedelta(days=31))
        )

    assert inbox.purge(engine, timedelta(days=30), batch=7) == 50  # 8 transactions of at most 7 rows

    with Session(engine) as session, session.begin():
        assert session.scalar(select(func.count()).select_from(INBOX_TABLE)) == 5
        assert inbox.claim(session, "new-3", "a", "x.y") is False  # still a duplicate
        assert inbox.claim(session, "old-3", "a", "x.y") is True  # forgotten: would be handled again
    assert inbox.purge(engine, timedelta(days=30)) == 0
