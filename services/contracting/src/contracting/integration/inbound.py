"""Integration events this service consumes: event type -> handler, one queue per purpose.

- ``contracting.catalogue``: the catalogue's institutions, specialisms, conditions, offerings and
  groups (R16). Out-of-order references raise, so the kit retries them (and dead-letters them
  after its attempts are used up).
- ``contracting.product_links``: products report which product links which collection, so that
  deleting a linked collection is refused.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from sqlalchemy.orm import Session

from contracting import SERVICE
from contracting.integration.outbound import integration_events
from contracting.service_layer import catalogue, collections
from servicekit.db import UnitOfWork
from servicekit.messaging.consumer import Handler, Subscription
from servicekit.messaging.envelope import Envelope


def _translate(handler: Callable[[dict[str, Any], UnitOfWork], None]) -> Handler:
    """Envelope -> the handler's data, in a unit of work around the consumer's session."""

    def handle(envelope: Envelope, session: Session) -> None:
        handler(envelope.data, UnitOfWork(session=session, producer=SERVICE, outbound=integration_events))

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


def subscriptions() -> list[Subscription]:
    return [
        Subscription(SERVICE, "catalogue", {t: _translate(h) for t, h in CATALOGUE_HANDLERS.items()}),
        Subscription(SERVICE, "product_links", {t: _translate(h) for t, h in PRODUCT_HANDLERS.items()}),
    ]
