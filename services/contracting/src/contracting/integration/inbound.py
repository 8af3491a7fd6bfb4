"""Integration events this service consumes: each event becomes a typed command, one queue per purpose.

- ``contracting.catalogue``: the catalogue's institutions, specialisms, conditions, offerings and
  groups (R16). Events of one institution (its registration, changes, closure and offering) share
  an ordering key, so no two consumer processes apply them at the same time. An event that refers
  to something not known yet raises :class:`UnknownReference`; the kit retries it after a growing
  delay (and dead-letters it only after its attempts are used up).
- ``contracting.product_links``: products report which product links which collection, so that
  deleting a linked collection is refused.
- ``contracting.support_requests``: data change requests approved in support (R15) whose requester
  named a collection and a status for the new data; catalogue events that add the rows apply it
  in the same transaction (``service_layer/requested_statuses.py``).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any, TypeVar

from sqlalchemy.orm import Session

from contracting import SERVICE
from contracting.domain import catalogue_commands as cmd
from contracting.integration.outbound import integration_events
from contracting.service_layer import catalogue, collections, requested_statuses
from servicekit.db import UnitOfWork
from servicekit.messaging.consumer import Handler, Subscription
from servicekit.messaging.envelope import Envelope

Command = TypeVar("Command")
Data = dict[str, Any]


def _date(value: str | None) -> date | None:
    return date.fromisoformat(value) if value else None


def record_institution(data: Data) -> cmd.RecordInstitution:
    return cmd.RecordInstitution(
        institution_id=data["institution_id"],
        revision=int(data["revision"]),
        agb_code=data["agb_code"],
        name=data["name"],
        type=data["type"],
        country=data.get("country") or "NL",
        city=data.get("city"),
        group_id=data.get("group_id"),
        opened_on=_date(data.get("opened_on")),
    )


def close_institution(data: Data) -> cmd.CloseInstitution:
    return cmd.CloseInstitution(
        institution_id=data["institution_id"],
        revision=int(data["revision"]),
        closed_on=_date(data.get("closed_on")) or date.today(),
        merged_into_id=data.get("into_institution_id"),
    )


def replace_offering(data: Data) -> cmd.ReplaceOffering:
    return cmd.ReplaceOffering(
        institution_id=data["institution_id"],
        revision=int(data["revision"]),
        specialism_ids=tuple(sorted(set(data.get("specialism_ids") or []))),
        condition_ids=tuple(sorted(set(data.get("condition_ids") or []))),
    )


def record_specialism(data: Data) -> cmd.RecordSpecialism:
    return cmd.RecordSpecialism(data["specialism_id"], int(data["revision"]), data["code"], data["name"])


def retire_specialism(data: Data) -> cmd.RetireSpecialism:
    return cmd.RetireSpecialism(data["specialism_id"], int(data["revision"]))


def record_condition(data: Data) -> cmd.RecordCondition:
    return cmd.RecordCondition(data["condition_id"], int(data["revision"]), data["specialism_id"], data["name"])


def retire_condition(data: Data) -> cmd.RetireCondition:
    return cmd.RetireCondition(data["condition_id"], int(data["revision"]))


def record_group(data: Data) -> cmd.RecordGroup:
    return cmd.RecordGroup(data["group_id"], int(data["revision"]), data["name"], data.get("kind"))


def retire_group(data: Data) -> cmd.RetireGroup:
    return cmd.RetireGroup(data["group_id"], int(data["revision"]))


def link_collection(data: Data) -> cmd.LinkCollection:
    return cmd.LinkCollection(data["product_id"], data["collection_id"])


def unlink_collection(data: Data) -> cmd.UnlinkCollection:
    return cmd.UnlinkCollection(data["product_id"], data["collection_id"])


def _route(translate: Callable[[Data], Command], handle: Callable[[Command, UnitOfWork], None]) -> Handler:
    """Envelope -> command -> the service layer, in a unit of work around the consumer's session."""

    def handler(envelope: Envelope, session: Session) -> None:
        handle(translate(envelope.data), UnitOfWork(session=session, producer=SERVICE, outbound=integration_events))

    handler.__name__ = handle.__name__
    return handler


CATALOGUE_HANDLERS: dict[str, Handler] = {
    "catalogue.institution.registered": _route(record_institution, catalogue.record_institution),
    "catalogue.institution.changed": _route(record_institution, catalogue.record_institution),
    "catalogue.institution.closed": _route(close_institution, catalogue.close_institution),
    "catalogue.institution.merged": _route(close_institution, catalogue.close_institution),
    "catalogue.specialism.added": _route(record_specialism, catalogue.record_specialism),
    "catalogue.specialism.renamed": _route(record_specialism, catalogue.record_specialism),
    "catalogue.specialism.retired": _route(retire_specialism, catalogue.retire_specialism),
    "catalogue.condition.added": _route(record_condition, catalogue.record_condition),
    "catalogue.condition.renamed": _route(record_condition, catalogue.record_condition),
    "catalogue.condition.retired": _route(retire_condition, catalogue.retire_condition),
    "catalogue.offering.changed": _route(replace_offering, catalogue.replace_offering),
    "catalogue.group.changed": _route(record_group, catalogue.record_group),
    "catalogue.group.retired": _route(retire_group, catalogue.retire_group),
}
#: An offering belongs to its institution: its events queue behind the institution's own.
CATALOGUE_ORDERING = {"catalogue.offering.changed": "institution_id"}

PRODUCT_HANDLERS: dict[str, Handler] = {
    "products.collection.linked": _route(link_collection, collections.collection_linked),
    "products.collection.unlinked": _route(unlink_collection, collections.collection_unlinked),
}


def _emitting(session: Session) -> UnitOfWork:
    """The consumer's unit of work, able to record ``contracting.statuses.changed`` (a save emits it)."""
    return UnitOfWork(session=session, producer=SERVICE, outbound=integration_events)


def _then_requested_statuses(handler: Handler) -> Handler:
    """R15/R16: after the catalogue handler added an institution's rows, apply the statuses waiting for them."""

    def handle(envelope: Envelope, session: Session) -> None:
        handler(envelope, session)
        requested_statuses.apply_waiting(_emitting(session), institution_id=envelope.data["institution_id"])

    handle.__name__ = handler.__name__
    return handle


for _event_type in ("catalogue.institution.registered", "catalogue.institution.changed", "catalogue.offering.changed"):
    CATALOGUE_HANDLERS[_event_type] = _then_requested_statuses(CATALOGUE_HANDLERS[_event_type])


def change_request_approved(envelope: Envelope, session: Session) -> None:
    requested_statuses.request_approved(envelope.data, _emitting(session))


SUPPORT_HANDLERS: dict[str, Handler] = {
    "support.change_request.approved": change_request_approved,
}


def subscriptions() -> list[Subscription]:
    return [
        Subscription(SERVICE, "catalogue", CATALOGUE_HANDLERS, ordering_keys=CATALOGUE_ORDERING),
        Subscription(SERVICE, "product_links", PRODUCT_HANDLERS),
        Subscription(SERVICE, "support_requests", SUPPORT_HANDLERS),
    ]
