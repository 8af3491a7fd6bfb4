"""R17: the publication feed. Emit what may be published of the collections products link.

When: a save of a linked collection (the institutions it changed), a catalogue change of an
institution in a linked open collection, a new link (the collection whole), and ``manage republish``.

One :class:`PublicationChanged` per chunk of institutions; the outbound mapping turns it into one
``contracting.publication.changed`` event per collection and institution, each carrying the whole
published state of that institution (a snapshot, not a delta: a consumer replaces what it holds,
so a lost or repeated event is repaired by the next one, and a resync rebuilds everything).
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import select

from contracting.adapters import publication
from contracting.adapters.access import collection_ref
from contracting.adapters.orm import collection
from contracting.adapters.sql import now
from contracting.domain.events import CollectionRef, PublicationChanged
from servicekit.db import UnitOfWork


def emit_published(
    uow: UnitOfWork,
    ref: CollectionRef,
    institution_ids: Sequence[str],
    *,
    version: int,
    changed_at: datetime,
    reason: str,
) -> int:
    """Emit the published state of these institutions of one collection; returns how many."""
    for ids in publication.chunks(list(institution_ids)):
        states = publication.published_institutions(uow.session, ref.id, ids)
        uow.emit(PublicationChanged(ref, version, changed_at, tuple(states), reason))
    return len(institution_ids)


def publish_save(uow: UnitOfWork, ref: CollectionRef, change_id: str, version: int, at: datetime) -> int:
    """After a save of a linked collection: the institutions whose status changed at any level.

    Remark-only changes publish nothing. A collection no product links is read by nobody: it is sent
    whole when its first link arrives (``collections.collection_linked``).
    """
    if not publication.is_linked(uow.session, ref.id):
        return 0
    ids = publication.institutions_changed(uow.session, change_id)
    return emit_published(uow, ref, ids, version=version, changed_at=at, reason="save")


def publish_institution(uow: UnitOfWork, institution_id: str, holders: Sequence[Any]) -> int:
    """R16 -> R17: after a catalogue change of one institution, its state in each open collection that held it.

    ``holders`` are read before the change (a closed institution's rows are gone after it): where the
    institution has no rows any more, it is published as withdrawn (status null, nothing below).
    """
    for row in holders:
        found = publication.published_institutions(uow.session, str(row["id"]), [institution_id])
        states = found or [publication.withdrawn(uow.session, institution_id)]
        version = uow.session.execute(select(collection.c.status_version).where(collection.c.id == row["id"])).scalar()
        uow.emit(PublicationChanged(collection_ref(row), int(version or 0), now(), tuple(states), "catalogue"))
    return len(holders)


def publish_collection(uow: UnitOfWork, collection_row: Any, reason: str) -> int:
    """Every institution of a collection (a rollover copy, a resync)."""
    ids = publication.institutions_of(uow.session, str(collection_row["id"]))
    return emit_published(
        uow,
        collection_ref(collection_row),
        ids,
        version=int(collection_row["status_version"] or 0),
        changed_at=now(),
        reason=reason,
    )


def republish(uow: UnitOfWork, collection_ids: Sequence[str] | None = None) -> dict[str, int]:
    """``python -m contracting.manage republish``: the publication state of every (or these) collection(s), anew."""
    with uow:
        query = select(collection).order_by(collection.c.year, collection.c.name)
        if collection_ids:
            query = query.where(collection.c.id.in_(list(collection_ids)))
        counts = {
            str(row["id"]): publish_collection(uow, row, "resync")
            for row in uow.session.execute(query).mappings().all()
        }
        uow.commit()
    return counts
