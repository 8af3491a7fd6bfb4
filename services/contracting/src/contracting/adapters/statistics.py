"""The planner's statistics after bulk work: a seed, a rollover, an import (issue 16 item 13).

Until autovacuum notices, the planner plans for the old, small tables: in the soak of issue 16 the
history reads slowed from 40 ms to 1.6 s after bulk loads. So the bulk paths refresh them at once.
"""

from __future__ import annotations

import logging

from sqlalchemy import Engine

from servicekit.db import analyze

log = logging.getLogger(__name__)

#: The tables a seed, a rollover or an import fills.
BULK_TABLES = (
    "collection",
    "institution_status",
    "department_status",
    "condition_status",
    "status_change",
    "status_history",
)


def refresh_statistics(engine: Engine, *, vacuum: bool = False) -> None:
    """``ANALYZE`` (with ``vacuum``: ``VACUUM (ANALYZE)``) the bulk tables; a failure is logged, never raised.

    The work it follows is committed already; stale statistics make reads slower, not wrong.
    """
    try:
        analyze(engine, BULK_TABLES, vacuum=vacuum)
    except Exception:
        log.exception("refreshing the planner's statistics failed")
