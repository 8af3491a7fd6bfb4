"""The planner's statistics after bulk work: the demo seed and large imports (issue 16 item 13).

Until autovacuum notices, the planner plans for the old, small tables; so the bulk paths refresh
them at once. A failure is logged, never raised: the work it follows is committed already.
"""

from __future__ import annotations

import logging

from sqlalchemy import Engine

from servicekit.db import analyze

log = logging.getLogger(__name__)

#: The tables a seed or an institution import fills.
BULK_TABLES = (
    "institution_group",
    "specialism",
    "condition",
    "institution",
    "offering_specialism",
    "offering_condition",
)


def refresh_statistics(engine: Engine) -> None:
    try:
        analyze(engine, BULK_TABLES)
    except Exception:
        log.exception("refreshing the planner's statistics failed")
