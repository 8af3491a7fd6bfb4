"""Demo data for ``make run``: idempotent, written through the service's own handlers.

Per demo insurer three collections for 2026. Their statuses fill in as the catalogue's demo
events arrive through the consumer (R16): every institution starts NOT_CONTRACTED.
"""

from __future__ import annotations

import uuid

from sqlalchemy import select

from contracting.adapters.orm import collection
from contracting.bootstrap import Runtime
from contracting.domain.commands import Actor, CreateCollection
from contracting.service_layer.collections import create_collection

DEMO_YEAR = 2026
DEMO_INSURERS = ("zilverenkruis", "menzis", "vgz", "cz")
DEMO_COLLECTIONS = (
    ("Basis 2026", "basic", "Alle instellingen voor de basisverzekering."),
    ("Selectief 2026", "selective", "Selectieve polis: gecontracteerd per afdeling en aandoening."),
    ("Restitutie 2026", "restitution", "Restitutiepolis."),
)


def insurer_id(slug: str) -> str:
    """Deterministic, shared with identity's demo."""
    return str(uuid.uuid5(uuid.NAMESPACE_URL, "zcp:insurer:" + slug))


def seed_demo(runtime: Runtime) -> None:
    """Create the demo collections that do not exist yet."""
    for slug in DEMO_INSURERS:
        actor = Actor(insurer_id=insurer_id(slug), year=DEMO_YEAR, user_id="demo", user_name="demo")
        with runtime.sessions() as session:
            existing = set(
                session.execute(
                    select(collection.c.name).where(collection.c.insurer_id == actor.insurer_id, collection.c.year == DEMO_YEAR)
                ).scalars()
            )
        for name, collection_type, description in DEMO_COLLECTIONS:
            if name not in existing:
                create_collection(
                    CreateCollection(name=name, care_type="hospital", collection_type=collection_type, description=description),
                    actor,
                    runtime.unit_of_work(),
                )
