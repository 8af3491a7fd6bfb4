"""Integration events this service consumes: event type -> handler, one queue per purpose.

- ``support.catalogue``: the catalogue's institutions, specialisms and conditions, for the local copy
  the data change requests are checked against (R15).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from servicekit.db import UnitOfWork
from servicekit.messaging import inbound
from servicekit.messaging.consumer import Handler, Subscription
from support import SERVICE
from support.service_layer import catalogue_copy


def _translate(handler: Callable[[dict[str, Any], UnitOfWork], None]) -> Handler:
    """Envelope -> the handler's data (not yet a typed command), through the kit's one inbound path."""
    return inbound.route(SERVICE, dict, handler)


CATALOGUE_HANDLERS: dict[str, Callable[[dict[str, Any], UnitOfWork], None]] = {
    "catalogue.institution.registered": catalogue_copy.institution_registered,
    "catalogue.institution.changed": catalogue_copy.institution_registered,
    "catalogue.institution.closed": catalogue_copy.institution_closed,
    "catalogue.institution.merged": catalogue_copy.institution_closed,
    "catalogue.specialism.added": catalogue_copy.specialism_added,
    "catalogue.specialism.renamed": catalogue_copy.specialism_added,
    "catalogue.specialism.retired": catalogue_copy.specialism_retired,
    "catalogue.condition.added": catalogue_copy.condition_added,
    "catalogue.condition.renamed": catalogue_copy.condition_added,
    "catalogue.condition.retired": catalogue_copy.condition_retired,
}


def subscriptions() -> list[Subscription]:
    return [Subscription(SERVICE, "catalogue", {t: _translate(h) for t, h in CATALOGUE_HANDLERS.items()})]
