"""Integration event types and their payloads (event-carried state: the full state after the change).

Types are stable strings, version 1; schemas in ``shared/contracts/events/catalogue/``. ``revision``
increases with every change of the entity, so consumers can ignore stale or repeated events.
"""

from __future__ import annotations

from datetime import date
from typing import Any, Protocol

from catalogue.domain.model import Condition, Group, Institution, Specialism

INSTITUTION_REGISTERED = "catalogue.institution.registered"
INSTITUTION_CHANGED = "catalogue.institution.changed"
INSTITUTION_CLOSED = "catalogue.institution.closed"
INSTITUTION_MERGED = "catalogue.institution.merged"
SPECIALISM_ADDED = "catalogue.specialism.added"
SPECIALISM_RENAMED = "catalogue.specialism.renamed"
SPECIALISM_RETIRED = "catalogue.specialism.retired"
CONDITION_ADDED = "catalogue.condition.added"
CONDITION_RENAMED = "catalogue.condition.renamed"
CONDITION_RETIRED = "catalogue.condition.retired"
OFFERING_CHANGED = "catalogue.offering.changed"
GROUP_CHANGED = "catalogue.group.changed"
GROUP_RETIRED = "catalogue.group.retired"

ALL_EVENT_TYPES = (
    INSTITUTION_REGISTERED,
    INSTITUTION_CHANGED,
    INSTITUTION_CLOSED,
    INSTITUTION_MERGED,
    SPECIALISM_ADDED,
    SPECIALISM_RENAMED,
    SPECIALISM_RETIRED,
    CONDITION_ADDED,
    CONDITION_RENAMED,
    CONDITION_RETIRED,
    OFFERING_CHANGED,
    GROUP_CHANGED,
    GROUP_RETIRED,
)


def _iso(value: date | None) -> str | None:
    return value.isoformat() if value else None


class _Revised(Protocol):
    @property
    def id(self) -> str: ...
    @property
    def revision(self) -> int: ...


def _head(key: str, entity: _Revised) -> dict[str, Any]:
    """How every payload starts: the entity's id (under ``key``) and its revision."""
    return {key: entity.id, "revision": entity.revision}


def institution_state(institution: Institution) -> dict[str, Any]:
    """Payload of ``registered`` and ``changed``."""
    data = institution.data
    return _head("institution_id", institution) | {
        "agb_code": data.agb_code,
        "name": data.name,
        "type": data.type,
        "country": data.country,
        "city": data.city,
        "group_id": data.group_id,
        "opened_on": _iso(data.opened_on),
    }


def institution_closed(institution: Institution) -> dict[str, Any]:
    return _head("institution_id", institution) | {"closed_on": _iso(institution.closed_on)}


def institution_merged(institution: Institution) -> dict[str, Any]:
    """A merge is a closure that names the institution merged into."""
    return institution_closed(institution) | {"into_institution_id": institution.merged_into_id}


def specialism_state(specialism: Specialism) -> dict[str, Any]:
    return _head("specialism_id", specialism) | {"code": specialism.code, "name": specialism.name}


def specialism_retired(specialism: Specialism) -> dict[str, Any]:
    return _head("specialism_id", specialism)


def condition_state(condition: Condition) -> dict[str, Any]:
    return _head("condition_id", condition) | {"specialism_id": condition.specialism_id, "name": condition.name}


def condition_retired(condition: Condition) -> dict[str, Any]:
    return _head("condition_id", condition)


def offering_state(
    institution_id: str, revision: int, specialism_ids: list[str], condition_ids: list[str]
) -> dict[str, Any]:
    return {
        "institution_id": institution_id,
        "revision": revision,
        "specialism_ids": sorted(specialism_ids),
        "condition_ids": sorted(condition_ids),
    }


def group_state(group: Group) -> dict[str, Any]:
    return _head("group_id", group) | {"name": group.name, "kind": group.kind}


def group_retired(group: Group) -> dict[str, Any]:
    return _head("group_id", group)
