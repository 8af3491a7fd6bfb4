"""Integration events this service consumes: each event becomes a typed command, one queue per purpose.

``products.contracting``: contracting's collections (local copy), its year rollover (products carry
on, R3) and its publication feed (R17), on one queue so that a collection is known before the
rollover or the publication that names it (a redelivery may still reorder: every handler is an
upsert or a versioned snapshot).
"""

from __future__ import annotations

from products import SERVICE
from products.domain import contracting_commands as cmd
from products.integration.outbound import integration_events
from products.service_layer import contracting_events
from servicekit.messaging import inbound
from servicekit.messaging.consumer import Handler, Subscription

record_collection = inbound.from_data(cmd.RecordCollection)
forget_collection = inbound.from_data(cmd.ForgetCollection)
apply_publication = inbound.from_data(cmd.ApplyPublication)


def carry_products(data: inbound.Data) -> cmd.CarryProducts:
    pairs = tuple(inbound.from_data(cmd.CollectionCarried)(pair) for pair in data["collections"])
    return cmd.CarryProducts(data["insurer_id"], int(data["from_year"]), int(data["to_year"]), pairs)


#: Envelope -> command -> the service layer, in a unit of work able to emit (a rollover links the carried products).
_route = inbound.router(SERVICE, outbound=integration_events)


CONTRACTING_HANDLERS: dict[str, Handler] = {
    "contracting.collection.created": _route(record_collection, contracting_events.record_collection),
    "contracting.collection.renamed": _route(record_collection, contracting_events.record_collection),
    "contracting.collection.deleted": _route(forget_collection, contracting_events.forget_collection),
    "contracting.year.rolled_over": _route(carry_products, contracting_events.carry_products),
    "contracting.publication.changed": _route(apply_publication, contracting_events.apply_publication),
}


def subscriptions() -> list[Subscription]:
    return [Subscription(SERVICE, "contracting", CONTRACTING_HANDLERS)]
