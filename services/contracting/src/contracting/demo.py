"""Demo data for ``make run``: idempotent, written through the service's own handlers.

Per demo insurer three collections for 2026. Their rows fill in as the catalogue's demo events
arrive through the consumer (R16), every one NOT_CONTRACTED and new. Once that local copy has
settled, each collection gets a purchasing team's plausible decisions, made with the same
"apply to what the filter shows" saves a user makes (R5, R7), so the history says who set what.

"Settled" is not a timer alone: the catalogue's seed returns only once its outbox is published, and
here nothing may wait in this service's queues (nor their retry queues) while the local copy stays
unchanged for ``quiet_for`` seconds. Even so a catalogue event can come late (a redelivery, a retry):
the decisions are disjoint filters, so applying them again changes only the rows that came late and
writes nothing else. The seed does so once more after a second settle, and every later seed does it
again for each demo collection that nobody but the demo has changed.
"""

from __future__ import annotations

import logging
import os
import threading
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass

from sqlalchemy import func, select

from contracting.adapters import orm
from contracting.adapters.statistics import refresh_statistics
from contracting.bootstrap import Runtime
from contracting.domain.commands import Actor, ApplyToShown, CreateCollection, InstitutionFilter, SubFilter, Target
from contracting.domain.exceptions import DomainError, PreconditionFailed
from contracting.domain.model import FOREIGN_TYPE, INSTITUTION_TYPES, Level, Status
from contracting.service_layer.collections import create_collection
from contracting.service_layer.statuses import apply_to_shown
from servicekit.settling import messages_waiting

log = logging.getLogger(__name__)

DEMO_YEAR = 2026
DEMO_INSURERS = ("zilverenkruis", "menzis", "vgz", "cz")
DEMO_COLLECTIONS = (
    ("Basis 2026", "basic", "Alle instellingen voor de basisverzekering."),
    ("Selectief 2026", "selective", "Selectieve polis: gecontracteerd per afdeling en aandoening."),
    ("Restitutie 2026", "restitution", "Restitutiepolis."),
)
DEMO_BUYER = "Demo-inkoop"
SAVE_ATTEMPTS = 5
DEMO_ACTOR_ID = "demo"
#: decide, settle again, and decide the rows that came late: at most this often in one seed
DECISION_ROUNDS = 3
# Departments a selective policy contracts at every university medical centre (the rest stays open).
SELECTIVE_UMC_DEPARTMENTS = ("Cardiologie", "Oogheelkunde", "Orthopedie")


@dataclass(frozen=True)
class Decision:
    """One "apply to shown" save: at institution level, or at department level below one institution type."""

    status: Status
    filter: InstitutionFilter
    cascade: bool = True
    department_name: str | None = None  # set: department level, below every institution the filter shows


def _decisions(collection_type: str, slug: str) -> tuple[Decision, ...]:
    """What a purchasing team plausibly decided, varied a little per insurer.

    No row is shown by two decisions that set different statuses: applied again, they change nothing.
    """
    if collection_type == "restitution":
        return (Decision(Status.FULL, InstitutionFilter()),)
    if collection_type == "basic":
        if slug == "vgz":  # still negotiating with the independent treatment centres
            plan = [
                Decision(
                    Status.IN_NEGOTIATION if kind == "zbc" else Status.FULL, InstitutionFilter(type=kind, foreign=False)
                )
                for kind in INSTITUTION_TYPES
                if kind != FOREIGN_TYPE
            ]
        else:
            plan = [Decision(Status.FULL, InstitutionFilter(foreign=False))]
        return (*plan, Decision(Status.NOT_CONTRACTED, InstitutionFilter(foreign=True)))
    return (
        Decision(Status.FULL, InstitutionFilter(type="general_hospital")),
        Decision(Status.IN_NEGOTIATION, InstitutionFilter(type="top_clinical_hospital")),
        Decision(Status.PARTIAL, InstitutionFilter(type="university_medical_centre"), cascade=False),
        *(
            Decision(Status.FULL, InstitutionFilter(type="university_medical_centre"), department_name=name)
            for name in SELECTIVE_UMC_DEPARTMENTS
        ),
        Decision(Status.NOT_CONTRACTED, InstitutionFilter(is_new=True)),
    )


def insurer_id(slug: str) -> str:
    """Deterministic, shared with identity's demo."""
    return str(uuid.uuid5(uuid.NAMESPACE_URL, "zcp:insurer:" + slug))


def seed_demo(runtime: Runtime, *, settle_timeout: float | None = None, quiet_for: float = 2.0) -> None:
    """Create the demo collections that do not exist yet; decide their statuses once the catalogue has arrived."""
    create_demo_collections(runtime)
    timeout = float(os.environ.get("DEMO_SETTLE_TIMEOUT", "120")) if settle_timeout is None else settle_timeout
    deadline = time.monotonic() + timeout
    if not wait_for_catalogue(runtime, timeout, quiet_for=quiet_for):
        log.warning("demo catalogue not (fully) arrived after %.0f s: demo statuses skipped", timeout)
        return
    for _round in range(DECISION_ROUNDS):
        decided_on = catalogue_size(runtime)
        try:
            decide_demo_statuses(runtime)
        except DomainError as exc:  # demo decisions are a convenience: never a reason for the platform not to start
            log.warning("demo statuses not (all) decided: %s", exc.message)
            break
        settled = wait_for_catalogue(runtime, max(0.0, deadline - time.monotonic()), quiet_for=quiet_for)
        if not settled or catalogue_size(runtime) == decided_on:
            break
        log.info("demo catalogue grew while the demo decided: deciding the rows that came late")
    refresh_statistics(runtime.engine)


def create_demo_collections(runtime: Runtime) -> None:
    for slug in DEMO_INSURERS:
        actor = _actor(slug)
        with runtime.sessions() as session:
            existing = set(
                session.execute(
                    select(orm.collection.c.name).where(
                        orm.collection.c.insurer_id == actor.insurer_id, orm.collection.c.year == DEMO_YEAR
                    )
                ).scalars()
            )
        for name, collection_type, description in DEMO_COLLECTIONS:
            if name not in existing:
                create_collection(
                    CreateCollection(
                        name=name, care_type="hospital", collection_type=collection_type, description=description
                    ),
                    actor,
                    runtime.unit_of_work(),
                )


def catalogue_size(runtime: Runtime) -> tuple[int, int, int]:
    """The local catalogue copy's institutions, offered departments and offered conditions."""
    with runtime.sessions() as session:
        return (
            session.scalar(select(func.count()).select_from(orm.institution)) or 0,
            session.scalar(select(func.count()).select_from(orm.offering_department)) or 0,
            session.scalar(select(func.count()).select_from(orm.offering_condition)) or 0,
        )


def wait_for_catalogue(runtime: Runtime, timeout: float, *, quiet_for: float = 2.0) -> bool:
    """True once the local catalogue copy is non-empty, nothing waits in this service's queues, and no
    event has been handled for ``quiet_for`` seconds (a batch a consumer holds is not in the queue)."""

    def size() -> tuple[int, ...]:
        with runtime.sessions() as session:
            handled = session.scalar(select(func.count()).select_from(orm.inbox_message)) or 0
        return (*catalogue_size(runtime), handled)

    def queues_empty() -> bool:
        return messages_waiting(runtime.settings, runtime.subscriptions) == 0

    return _settles(size, queues_empty, timeout, quiet_for)


def _settles(
    size: Callable[[], tuple[int, ...]], queues_empty: Callable[[], bool], timeout: float, quiet_for: float
) -> bool:
    pause = threading.Event()
    deadline = time.monotonic() + timeout
    last, since = size(), time.monotonic()
    while time.monotonic() < deadline:
        pause.wait(0.25)
        now = size()
        if now != last:
            last, since = now, time.monotonic()
        elif now[0] > 0 and time.monotonic() - since >= quiet_for:
            if queues_empty():
                return True
            since = time.monotonic()  # events are still waiting: their handling will change the copy
    return False


def decide_demo_statuses(runtime: Runtime) -> None:
    """Apply each demo collection's decisions: again too (it then changes only rows that came late), but a
    collection that anyone other than the demo has changed is left alone."""
    for slug in DEMO_INSURERS:
        actor = _actor(slug)
        with runtime.sessions() as session:
            undecided = session.execute(
                select(orm.collection.c.id, orm.collection.c.collection_type).where(
                    orm.collection.c.insurer_id == actor.insurer_id,
                    orm.collection.c.year == DEMO_YEAR,
                    orm.collection.c.name.in_([name for name, _, _ in DEMO_COLLECTIONS]),
                    ~select(orm.status_change.c.id)
                    .where(
                        orm.status_change.c.collection_id == orm.collection.c.id,
                        orm.status_change.c.kind != "catalogue",
                        orm.status_change.c.actor_id != DEMO_ACTOR_ID,
                    )
                    .exists(),
                )
            ).all()
        for collection_id, collection_type in undecided:
            for decision in _decisions(collection_type, slug):
                _apply(runtime, actor, collection_id, decision)


def _apply(runtime: Runtime, actor: Actor, collection_id: str, decision: Decision) -> None:
    targets: list[tuple[Target, InstitutionFilter | SubFilter]]
    if decision.department_name is None:
        targets = [(Target(collection_id, Level.INSTITUTION), decision.filter)]
    else:
        with runtime.sessions() as session:
            shown = session.execute(
                select(orm.institution_status.c.institution_id)
                .join(orm.institution, orm.institution.c.id == orm.institution_status.c.institution_id)
                .where(
                    orm.institution_status.c.collection_id == collection_id,
                    orm.institution.c.type == decision.filter.type,
                )
            ).scalars()
            targets = [
                (
                    Target(collection_id, Level.DEPARTMENT, institution_id=institution_id),
                    SubFilter(name=decision.department_name),
                )
                for institution_id in shown
            ]
    for target, shown_filter in targets:
        for attempt in range(1, SAVE_ATTEMPTS + 1):
            with runtime.sessions() as session:
                version = session.scalar(
                    select(orm.collection.c.status_version).where(orm.collection.c.id == collection_id)
                )
            command = ApplyToShown(target, decision.status, shown_filter, cascade=decision.cascade, if_match=version)
            try:
                apply_to_shown(command, actor, runtime.unit_of_work())
                break
            except PreconditionFailed:  # a late catalogue event changed the listing: re-read it, as a user would
                if attempt == SAVE_ATTEMPTS:
                    raise


def _actor(slug: str) -> Actor:
    return Actor(insurer_id=insurer_id(slug), year=DEMO_YEAR, user_id=DEMO_ACTOR_ID, user_name=DEMO_BUYER)
