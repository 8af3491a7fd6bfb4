"""Domain events -> integration events (``shared/contracts/events/contracting/*.v1.json``). Small, ID-based.

The composition root hands :func:`integration_events` to every unit of work; handlers only
``uow.emit(domain_event)``. Remarks never leave the service.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from contracting.domain import events

COLLECTION_CREATED = "contracting.collection.created"
COLLECTION_RENAMED = "contracting.collection.renamed"
COLLECTION_DELETED = "contracting.collection.deleted"
STATUSES_CHANGED = "contracting.statuses.changed"
YEAR_ROLLED_OVER = "contracting.year.rolled_over"
PUBLICATION_CHANGED = "contracting.publication.changed"

IntegrationEvent = tuple[str, dict[str, Any]]


def _collection_id(ref: events.CollectionRef) -> dict[str, Any]:
    return {"collection_id": ref.id, "insurer_id": ref.insurer_id, "contract_year": ref.year}


def collection_created(event: events.CollectionCreated) -> IntegrationEvent:
    ref = event.collection
    data = _collection_id(ref) | {
        "name": ref.name,
        "care_type": ref.care_type,
        "collection_type": ref.collection_type,
        "source_collection_id": event.source_collection_id,
    }
    return COLLECTION_CREATED, data


def collection_renamed(event: events.CollectionRenamed) -> IntegrationEvent:
    return COLLECTION_RENAMED, _collection_id(event.collection) | {
        "name": event.collection.name,
        "old_name": event.old_name,
    }


def collection_deleted(event: events.CollectionDeleted) -> IntegrationEvent:
    return COLLECTION_DELETED, _collection_id(event.collection)


def statuses_changed(event: events.StatusesChanged) -> IntegrationEvent:
    """One event per save, with its scope and counts; the rows themselves stay in the history."""
    return STATUSES_CHANGED, _collection_id(event.collection) | {
        "change_id": event.change_id,
        "level": event.level.value,
        "kind": event.kind,
        "status": event.status.value if event.status else None,
        "cascade": event.cascade,
        "count": event.count,
        "cascaded": dict(event.cascaded),
        "scope": dict(event.scope),
    }


def year_rolled_over(event: events.YearRolledOver) -> IntegrationEvent:
    pairs = [
        {"from_collection_id": c.from_collection_id, "to_collection_id": c.to_collection_id, "name": c.name}
        for c in event.copies
    ]
    data = {"insurer_id": event.insurer_id, "from_year": event.from_year, "to_year": event.to_year}
    return YEAR_ROLLED_OVER, data | {"collections": pairs}


def publication_changed(event: events.PublicationChanged) -> list[IntegrationEvent]:
    """R17: one event per collection and institution (bounded by one institution's offering), never a remark.

    A cascade over a whole collection or a year rollover thus arrives as many small events.
    """
    common = _collection_id(event.collection) | {
        "version": event.version,
        "changed_at": event.changed_at.isoformat(),
        "reason": event.reason,
    }
    return [
        (
            PUBLICATION_CHANGED,
            common
            | {
                "institution": {
                    "institution_id": published.institution_id,
                    "agb_code": published.agb_code,
                    "name": published.name,
                    "type": published.type,
                    "country": published.country,
                    "city": published.city,
                    "status": published.status,
                },
                "departments": [dict(d) for d in published.departments],
                "conditions": [dict(c) for c in published.conditions],
            },
        )
        for published in event.institutions
    ]


MAPPINGS: dict[type, Callable[[Any], IntegrationEvent]] = {
    events.CollectionCreated: collection_created,
    events.CollectionRenamed: collection_renamed,
    events.CollectionDeleted: collection_deleted,
    events.StatusesChanged: statuses_changed,
    events.YearRolledOver: year_rolled_over,
}


def integration_events(event: object) -> list[IntegrationEvent]:
    """The integration events a domain event becomes (the unit of work writes them to the outbox)."""
    if isinstance(event, events.PublicationChanged):
        return publication_changed(event)
    mapping = MAPPINGS.get(type(event))
    if mapping is None:
        raise TypeError(f"no integration event for {type(event).__name__}")
    return [mapping(event)]
