"""Integration events this service consumes: each event becomes a typed command, one queue per purpose.

- ``support.catalogue``: the catalogue's institutions, specialisms and conditions, for the local copy
  the data change requests are checked against (R15).
"""

from __future__ import annotations

from servicekit.messaging import inbound
from servicekit.messaging.consumer import Handler, Subscription
from servicekit.published import catalogue as cmd
from support import SERVICE
from support.service_layer import catalogue_copy

#: Each command's fields are named as the event's data keys: the kit translates by name.
record_institution = inbound.from_data(cmd.RecordInstitution)
close_institution = inbound.from_data(cmd.CloseInstitution)
record_specialism = inbound.from_data(cmd.RecordSpecialism)
retire_specialism = inbound.from_data(cmd.RetireSpecialism)
record_condition = inbound.from_data(cmd.RecordCondition)
retire_condition = inbound.from_data(cmd.RetireCondition)

CATALOGUE_HANDLERS: dict[str, Handler] = {
    "catalogue.institution.registered": inbound.route(SERVICE, record_institution, catalogue_copy.record_institution),
    "catalogue.institution.changed": inbound.route(SERVICE, record_institution, catalogue_copy.record_institution),
    "catalogue.institution.closed": inbound.route(SERVICE, close_institution, catalogue_copy.close_institution),
    "catalogue.institution.merged": inbound.route(SERVICE, close_institution, catalogue_copy.close_institution),
    "catalogue.specialism.added": inbound.route(SERVICE, record_specialism, catalogue_copy.record_specialism),
    "catalogue.specialism.renamed": inbound.route(SERVICE, record_specialism, catalogue_copy.record_specialism),
    "catalogue.specialism.retired": inbound.route(SERVICE, retire_specialism, catalogue_copy.retire_specialism),
    "catalogue.condition.added": inbound.route(SERVICE, record_condition, catalogue_copy.record_condition),
    "catalogue.condition.renamed": inbound.route(SERVICE, record_condition, catalogue_copy.record_condition),
    "catalogue.condition.retired": inbound.route(SERVICE, retire_condition, catalogue_copy.retire_condition),
}


def subscriptions() -> list[Subscription]:
    return [Subscription(SERVICE, "catalogue", CATALOGUE_HANDLERS)]
