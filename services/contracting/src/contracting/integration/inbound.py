"""Integration events this service consumes: event type -> handler, one queue per purpose.

- ``contracting.catalogue``: the catalogue's institutions, specialisms, conditions, offerings and
  groups (R16). Out-of-order references raise, so the kit retries them (and dead-letters them
  after its attempts are used up).
- ``contracting.product_links``: products report which product links which collection, so that
  deleting a linked collection is refused.
- ``contracting.support_requests``: data change requests approved in support (R15) whose requester
  named a collection and a status for the new data; catalogue events that add the rows apply it
  in the same transaction (``service_layer/requested_statuses.py``).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from sqlalchemy.orm import Session

from contracting import SERVICE
from contracting.integration.outbound import integration_events
from contracting.service_layer import catalogue, collections, requested_statuses
from servicekit.db import UnitOfWork
from servicekit.messaging.consumer import Handler, Subscription
from servicekit.messaging.envelope import Envelope


def _translate(handler: Callable[[dict[str, Any], UnitOfWork], None]) -> Handler:
    """Envelope -> the handler's data, in a unit of work around the consumer's session."""

    def handle(envelope: Envelope, session: Session) -> None:
        handler(envelope.data, UnitOfWork(session=session, producer=SERVICE))

    handle.__name__ = handler.__name__
    return handle


CATALOGUE_HANDLERS: dict[str, Callable[[dict[str, Any], UnitOfWork], None]] = {
    "catalogue.institution.registered": catalogue.institution_registered,
    "catalogue.institution.changed": catalogue.institution_registered,
    "catalogue.institution.closed": catalogue.institution_closed,
    "catalogue.institution.merged": catalogue.institution_closed,
    "catalogue.specialism.added": catalogue.specialism_added,
    "catalogue.specialism.renamed": catalogue.specialism_added,
    "catalogue.specialism.retired": catalogue.specialism_retired,
    "catalogue.condition.added": catalogue.condition_added,
    "catalogue.condition.renamed": catalogue.condition_added,
    "catalogue.condition.retired": catalogue.condition_retired,
    "catalogue.offering.changed": catalogue.offering_changed,
    "catalogue.group.changed": catalogue.group_changed,
}
PRODUCT_HANDLERS: dict[str, Callable[[dict[str, Any], UnitOfWork], None]] = {
    "products.collection.linked": collections.collection_linked,
    "products.collection.unlinked": collections.collection_unlinked,
}


def _then_requested_statuses(
    handler: Callable[[dict[str, Any], UnitOfWork], None],
) -> Callable[[dict[str, Any], UnitOfWork], None]:
    """R15/R16: after the catalogue handler added an institution's rows, apply the statuses waiting for them."""

    def handle(data: dict[str, Any], uow: UnitOfWork) -> None:
        handler(data, uow)
        requested_statuses.apply_waiting(_emitting(uow), institution_id=data["institution_id"])

    handle.__name__ = handler.__name__
    return handle


def _emitting(uow: UnitOfWork) -> UnitOfWork:
    """The consumer's unit of work, able to record ``contracting.statuses.changed`` (a save emits it)."""
    return UnitOfWork(session=uow.session, producer=SERVICE, outbound=integration_events)


for _event_type in ("catalogue.institution.registered", "catalogue.institution.changed", "catalogue.offering.changed"):
    CATALOGUE_HANDLERS[_event_type] = _then_requested_statuses(CATALOGUE_HANDLERS[_event_type])


def change_request_approved(data: dict[str, Any], uow: UnitOfWork) -> None:
    requested_statuses.request_approved(data, _emitting(uow))


SUPPORT_HANDLERS: dict[str, Callable[[dict[str, Any], UnitOfWork], None]] = {
    "support.change_request.approved": change_request_approved,
}


def subscriptions() -> list[Subscription]:
    return [
        Subscription(SERVICE, "catalogue", {t: _translate(h) for t, h in CATALOGUE_HANDLERS.items()}),
        Subscription(SERVICE, "product_links", {t: _translate(h) for t, h in PRODUCT_HANDLERS.items()}),
        Subscription(SERVICE, "support_requests", {t: _translate(h) for t, h in SUPPORT_HANDLERS.items()}),
    ]
