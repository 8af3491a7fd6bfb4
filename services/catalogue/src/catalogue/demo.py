"""Demo data for ``make run``: idempotent, bulk-inserted, with the integration events of every row.

The rows come from :mod:`catalogue.reference_data` (deterministic ids), are written with one
executemany per table, and every row's event (registered/closed/merged, added, group changed,
offering changed) goes to the outbox in the same transaction, so other services receive the demo
catalogue exactly as if a maintainer had entered it (R16). The seed returns once the relay has
published them all, so a consumer's seed that runs after it waits for a catalogue that is on its way.
"""

from __future__ import annotations

import logging
import os
from collections import defaultdict
from typing import Any

from sqlalchemy import func, insert, select
from sqlalchemy.orm import Session

from catalogue import SERVICE
from catalogue.adapters import orm
from catalogue.adapters.statistics import refresh_statistics
from catalogue.bootstrap import Runtime
from catalogue.domain import events
from catalogue.reference_data import Catalogue, demo_catalogue
from servicekit.messaging import outbox
from servicekit.settling import wait_outbox_drained

log = logging.getLogger(__name__)


def catalogue_events(catalogue: Catalogue) -> list[tuple[str, dict[str, Any]]]:
    """The events a maintainer entering this catalogue by hand would have caused, in a valid order."""
    found: list[tuple[str, dict[str, Any]]] = []
    for g in catalogue.groups:
        found.append((events.GROUP_CHANGED, {"group_id": g["id"], "revision": 1, "name": g["name"], "kind": g["kind"]}))
    for s in catalogue.specialisms:
        found.append(
            (events.SPECIALISM_ADDED, {"specialism_id": s["id"], "revision": 1, "code": s["code"], "name": s["name"]})
        )
    for c in catalogue.conditions:
        found.append(
            (
                events.CONDITION_ADDED,
                {"condition_id": c["id"], "revision": 1, "specialism_id": c["specialism_id"], "name": c["name"]},
            )
        )
    for i in catalogue.institutions:
        state = {k: i[k] for k in ("agb_code", "name", "type", "country", "city", "group_id")}
        found.append(
            (events.INSTITUTION_REGISTERED, {"institution_id": i["id"], "revision": 1, **state, "opened_on": None})
        )
    for i in catalogue.institutions:
        if i["merged_into_id"]:
            data = {"institution_id": i["id"], "revision": 2, "into_institution_id": i["merged_into_id"]}
            found.append((events.INSTITUTION_MERGED, {**data, "closed_on": i["closed_on"].isoformat()}))
        elif i["closed_on"]:
            found.append(
                (
                    events.INSTITUTION_CLOSED,
                    {"institution_id": i["id"], "revision": 2, "closed_on": i["closed_on"].isoformat()},
                )
            )
    specs: dict[str, list[str]] = defaultdict(list)
    conds: dict[str, list[str]] = defaultdict(list)
    for row in catalogue.offering_specialisms:
        specs[row["institution_id"]].append(row["specialism_id"])
    for row in catalogue.offering_conditions:
        conds[row["institution_id"]].append(row["condition_id"])
    for iid, spec_ids in specs.items():
        found.append((events.OFFERING_CHANGED, events.offering_state(iid, 1, spec_ids, conds[iid])))
    return found


def load_catalogue(session: Session, catalogue: Catalogue, *, publish: bool = True) -> None:
    """Bulk insert (one executemany per table); with ``publish`` the events go to the outbox too."""
    session.execute(insert(orm.institution_group), catalogue.groups)
    session.execute(insert(orm.specialism), catalogue.specialisms)
    session.execute(insert(orm.condition), catalogue.conditions)
    # Merge targets first: a merged-away institution refers to its target (checked per row).
    ordered = sorted(catalogue.institutions, key=lambda row: row["merged_into_id"] is not None)
    session.execute(insert(orm.institution), ordered)
    if catalogue.offering_specialisms:
        session.execute(insert(orm.offering_specialism), catalogue.offering_specialisms)
    if catalogue.offering_conditions:
        session.execute(insert(orm.offering_condition), catalogue.offering_conditions)
    if publish:
        outbox.add_many(session, [outbox.build_envelope(SERVICE, t, data) for t, data in catalogue_events(catalogue)])


def seed_demo(runtime: Runtime, *, settle_timeout: float | None = None) -> bool:
    """Load the demo catalogue unless the catalogue already holds data; returns whether it loaded.

    Either way it returns once the outbox is published (or after ``settle_timeout`` seconds, with a warning).
    """
    with runtime.sessions() as session, session.begin():
        in_use = (
            session.execute(select(func.count()).select_from(orm.specialism)).scalar_one()
            or session.execute(select(func.count()).select_from(orm.institution)).scalar_one()
        )
        if not in_use:
            load_catalogue(session, demo_catalogue())
    if not in_use:
        refresh_statistics(runtime.engine)
    timeout = float(os.environ.get("DEMO_SETTLE_TIMEOUT", "120")) if settle_timeout is None else settle_timeout
    if not wait_outbox_drained(runtime.engine, timeout):
        log.warning("demo catalogue events not all published after %.0f s (is the relay running?)", timeout)
    return not in_use
