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

from datetime import date
from typing import Any

from sqlalchemy.orm import Session

from contracting import SERVICE
from contracting.domain import catalogue_commands as cmd
from contracting.integration.outbound import integration_events
from contracting.service_layer import catalogue, collections, requested_statuses
from servicekit.db import UnitOfWork
from servicekit.messaging import inbound
from servicekit.messaging.consumer import Handler, Subscription
from servicekit.messaging.envelope import Envelope
from servicekit.published import catalogue as published_catalogue

Data = inbound.Data


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


#: Commands whose fields are named as the event's data keys: the kit translates them by name.
record_specialism = inbound.from_data(published_catalogue.RecordSpecialism)
retire_specialism = inbound.from_data(published_catalogue.RetireSpecialism)
record_condition = inbound.from_data(published_catalogue.RecordCondition)
retire_condition = inbound.from_data(published_catalogue.RetireCondition)


def record_group(data: Data) -> cmd.RecordGroup:
    return cmd.RecordGroup(data["group_id"], int(data["revision"]), data["name"], data.get("kind"))


def retire_group(data: Data) -> cmd.RetireGroup:
    return cmd.RetireGroup(data["group_id"], int(data["revision"]))


link_collection = inbound.from_data(cmd.LinkCollection)
unlink_collection = inbound.from_data(cmd.UnlinkCollection)


#: Envelope -> command -> the service layer, in a unit of work able to emit.
_route = inbound.router(SERVICE, outbound=integration_events)


def _catalogue_route(translate: Any, handle: Any) -> Handler:
    """A catalogue event's route: its handler never runs half-way beside a collection being made (R16)."""
    return _route(translate, catalogue.alongside_new_collections(handle))


CATALOGUE_HANDLERS: dict[str, Handler] = {
    "catalogue.institution.registered": _catalogue_route(record_institution, catalogue.record_institution),
    "catalogue.institution.changed": _catalogue_route(record_institution, catalogue.record_institution),
    "catalogue.institution.closed": _catalogue_route(close_institution, catalogue.close_institution),
    "catalogue.institution.merged": _catalogue_route(close_institution, catalogue.close_institution),
    "catalogue.specialism.added": _catalogue_route(record_specialism, catalogue.record_specialism),
    "catalogue.specialism.renamed": _catalogue_route(record_specialism, catalogue.record_specialism),
    "catalogue.specialism.retired": _catalogue_route(retire_specialism, catalogue.retire_specialism),
    "catalogue.condition.added": _catalogue_route(record_condition, catalogue.record_condition),
    "catalogue.condition.renamed": _catalogue_route(record_condition, catalogue.record_condition),
    "catalogue.condition.retired": _catalogue_route(retire_condition, catalogue.retire_condition),
    "catalogue.offering.changed": _catalogue_route(replace_offering, catalogue.replace_offering),
    "catalogue.group.changed": _catalogue_route(record_group, catalogue.record_group),
    "catalogue.group.retired": _catalogue_route(retire_group, catalogue.retire_group),
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
