"""Demo data for ``make run``: idempotent, written through the service's own handlers.

Per demo insurer three collections for 2026. Their rows fill in as the catalogue's demo events
arrive through the consumer (R16), every one NOT_CONTRACTED and new. Once that local copy has
settled, each collection gets a purchasing team's plausible decisions, made with the same
"apply to what the filter shows" saves a user makes (R5, R7), so the history says who set what.
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

from contracting.adapters.orm import (
    collection,
    condition_status,
    inbox_message,
    institution,
    institution_status,
    offering_condition,
    status_change,
)
from contracting.adapters.statistics import refresh_statistics
from contracting.bootstrap import Runtime
from contracting.domain.commands import Actor, ApplyToShown, CreateCollection, InstitutionFilter, SubFilter, Target
from contracting.domain.exceptions import DomainError, PreconditionFailed
from contracting.domain.model import Level, Status
from contracting.service_layer.collections import create_collection
from contracting.service_layer.statuses import apply_to_shown

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
    """What a purchasing team plausibly decided, varied a little per insurer."""
    if collection_type == "restitution":
        return (Decision(Status.FULL, InstitutionFilter()),)
    if collection_type == "basic":
        plan = [Decision(Status.FULL, InstitutionFilter(foreign=False))]
        if slug == "vgz":  # still negotiating with the independent treatment centres
            plan.append(Decision(Status.IN_NEGOTIATION, InstitutionFilter(type="zbc")))
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
    if not wait_for_catalogue(runtime, timeout, quiet_for=quiet_for):
        log.warning("demo catalogue not (fully) arrived after %.0f s: demo statuses skipped", timeout)
        return
    try:
        decide_demo_statuses(runtime)
    except DomainError as exc:  # demo decisions are a convenience: never a reason for the platform not to start
        log.warning("demo statuses not (all) decided: %s", exc.message)
    refresh_statistics(runtime.engine)


def create_demo_collections(runtime: Runtime) -> None:
    for slug in DEMO_INSURERS:
        actor = _actor(slug)
        with runtime.sessions() as session:
            existing = set(
                session.execute(
                    select(collection.c.name).where(
                        collection.c.insurer_id == actor.insurer_id, collection.c.year == DEMO_YEAR
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


def wait_for_catalogue(runtime: Runtime, timeout: float, *, quiet_for: float = 2.0) -> bool:
    """True once the local catalogue copy is non-empty and no event has arrived for ``quiet_for`` seconds."""

    def size() -> tuple[int, int, int, int]:
        with runtime.sessions() as session:
            return (
                session.scalar(select(func.count()).select_from(institution)) or 0,
                session.scalar(select(func.count()).select_from(inbox_message)) or 0,
                session.scalar(select(func.count()).select_from(offering_condition)) or 0,
                session.scalar(select(func.count()).select_from(condition_status)) or 0,
            )

    return _settles(size, timeout, quiet_for)


def _settles(size: Callable[[], tuple[int, ...]], timeout: float, quiet_for: float) -> bool:
    pause = threading.Event()
    deadline = time.monotonic() + timeout
    last, since = size(), time.monotonic()
    while time.monotonic() < deadline:
        pause.wait(0.25)
        now = size()
        if now != last:
            last, since = now, time.monotonic()
        elif now[0] > 0 and time.monotonic() - since >= quiet_for:
            return True
    return False


def decide_demo_statuses(runtime: Runtime) -> None:
    """Apply each demo collection's decisions, once: a collection with any saved change is left alone."""
    for slug in DEMO_INSURERS:
        actor = _actor(slug)
        with runtime.sessions() as session:
            undecided = session.execute(
                select(collection.c.id, collection.c.collection_type).where(
                    collection.c.insurer_id == actor.insurer_id,
                    collection.c.year == DEMO_YEAR,
                    collection.c.name.in_([name for name, _, _ in DEMO_COLLECTIONS]),
                    ~select(status_change.c.id)
                    .where(status_change.c.collection_id == collection.c.id, status_change.c.kind != "catalogue")
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
                select(institution_status.c.institution_id)
                .join(institution, institution.c.id == institution_status.c.institution_id)
                .where(institution_status.c.collection_id == collection_id, institution.c.type == decision.filter.type)
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
                version = session.scalar(select(collection.c.status_version).where(collection.c.id == collection_id))
            command = ApplyToShown(target, decision.status, shown_filter, cascade=decision.cascade, if_match=version)
            try:
                apply_to_shown(command, actor, runtime.unit_of_work())
                break
            except PreconditionFailed:  # a late catalogue event changed the listing: re-read it, as a user would
                if attempt == SAVE_ATTEMPTS:
                    raise


def _actor(slug: str) -> Actor:
    return Actor(insurer_id=insurer_id(slug), year=DEMO_YEAR, user_id="demo", user_name=DEMO_BUYER)
