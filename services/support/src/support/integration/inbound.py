"""Integration events this service consumes: each event becomes a typed command, one queue per purpose.

- ``support.catalogue``: the catalogue's institutions, specialisms and conditions, for the local copy
  the data change requests are checked against (R15).
"""

from __future__ import annotations

from servicekit.messaging import inbound
from servicekit.messaging.consumer import Handler, Subscription
from support import SERVICE
from support.domain import catalogue_commands as cmd
from support.service_layer import catalogue_copy

Data = inbound.Data


def record_institution(data: Data) -> cmd.RecordInstitution:
    return cmd.RecordInstitution(data["institution_id"], int(data["revision"]), data["agb_code"], data["name"])


def close_institution(data: Data) -> cmd.CloseInstitution:
    return cmd.CloseInstitution(data["institution_id"], int(data["revision"]))


def record_specialism(data: Data) -> cmd.RecordSpecialism:
    return cmd.RecordSpecialism(data["specialism_id"], int(data["revision"]), data["code"], data["name"])


def retire_specialism(data: Data) -> cmd.RetireSpecialism:
    return cmd.RetireSpecialism(data["specialism_id"], int(data["revision"]))


def record_condition(data: Data) -> cmd.RecordCondition:
    return cmd.RecordCondition(data["condition_id"], int(data["revision"]), data["specialism_id"], data["name"])


def retire_condition(data: Data) -> cmd.RetireCondition:
    return cmd.RetireCondition(data["condition_id"], int(data["revision"]))


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
