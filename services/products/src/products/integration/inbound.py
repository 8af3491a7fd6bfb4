"""Integration events this service consumes: event type -> handler, one queue per purpose.

``products.contracting``: contracting's collections (local copy), its year rollover (products carry
on, R3) and its publication feed (R17), on one queue so that a collection is known before the
rollover or the publication that names it (a redelivery may still reorder: every handler is an
upsert or a versioned snapshot).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from products import SERVICE
from products.integration.outbound import integration_events
from products.service_layer import contracting_events
from servicekit.db import UnitOfWork
from servicekit.messaging import inbound
from servicekit.messaging.consumer import Handler, Subscription


def _translate(handler: Callable[[dict[str, Any], UnitOfWork], None]) -> Handler:
    """Envelope -> the handler's data (not yet a typed command), through the kit's one inbound path."""
    return inbound.route(SERVICE, dict, handler, outbound=integration_events)


CONTRACTING_HANDLERS: dict[str, Callable[[dict[str, Any], UnitOfWork], None]] = {
    "contracting.collection.created": contracting_events.collection_created,
    "contracting.collection.renamed": contracting_events.collection_renamed,
    "contracting.collection.deleted": contracting_events.collection_deleted,
    "contracting.year.rolled_over": contracting_events.year_rolled_over,
    "contracting.publication.changed": contracting_events.publication_changed,
}


def subscriptions() -> list[Subscription]:
    return [Subscription(SERVICE, "contracting", {t: _translate(h) for t, h in CONTRACTING_HANDLERS.items()})]
