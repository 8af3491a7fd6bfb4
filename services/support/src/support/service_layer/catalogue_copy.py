"""The local copy of the catalogue the R15 checks read, kept current by catalogue events.

Each handler receives an event's full state; a revision not newer than the stored one is ignored,
so redeliveries and reordering change nothing. A closure or retirement of something not yet known
raises, so the consumer retries it after the registration has arrived.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import Table, insert, select, update

from servicekit.db import UnitOfWork
from support.adapters.orm import catalogue_condition, catalogue_institution, catalogue_specialism


class UnknownReference(LookupError):
    """The event refers to something this copy has not seen yet (the consumer retries it)."""


def _upsert(uow: UnitOfWork, table: Table, entity_id: str, revision: int, values: dict[str, Any]) -> None:
    stored = uow.session.execute(select(table.c.revision).where(table.c.id == entity_id)).scalar_one_or_none()
    if stored is None:
        uow.session.execute(insert(table).values(id=entity_id, revision=revision, **values))
    elif stored < revision:
        uow.session.execute(update(table).where(table.c.id == entity_id).values(revision=revision, **values))


def _mark(uow: UnitOfWork, table: Table, entity_id: str, revision: int, values: dict[str, Any]) -> None:
    stored = uow.session.execute(select(table.c.revision).where(table.c.id == entity_id)).scalar_one_or_none()
    if stored is None:
        raise UnknownReference(f"{table.name} {entity_id} not known yet")
    if stored < revision:
        uow.session.execute(update(table).where(table.c.id == entity_id).values(revision=revision, **values))


def institution_registered(data: dict[str, Any], uow: UnitOfWork) -> None:
    """``catalogue.institution.registered`` / ``.changed``."""
    values = {"agb_code": data["agb_code"], "name": data["name"], "closed": False}
    _upsert(uow, catalogue_institution, data["institution_id"], int(data["revision"]), values)


def institution_closed(data: dict[str, Any], uow: UnitOfWork) -> None:
    """``catalogue.institution.closed`` / ``.merged``: R15 refuses requests about it from now on."""
    _mark(uow, catalogue_institution, data["institution_id"], int(data["revision"]), {"closed": True})


def specialism_added(data: dict[str, Any], uow: UnitOfWork) -> None:
    """``catalogue.specialism.added`` / ``.renamed``."""
    values = {"code": data["code"], "name": data["name"], "retired": False}
    _upsert(uow, catalogue_specialism, data["specialism_id"], int(data["revision"]), values)


def specialism_retired(data: dict[str, Any], uow: UnitOfWork) -> None:
    _mark(uow, catalogue_specialism, data["specialism_id"], int(data["revision"]), {"retired": True})


def condition_added(data: dict[str, Any], uow: UnitOfWork) -> None:
    """``catalogue.condition.added`` / ``.renamed``."""
    values = {"specialism_id": data["specialism_id"], "name": data["name"], "retired": False}
    _upsert(uow, catalogue_condition, data["condition_id"], int(data["revision"]), values)


def condition_retired(data: dict[str, Any], uow: UnitOfWork) -> None:
    _mark(uow, catalogue_condition, data["condition_id"], int(data["revision"]), {"retired": True})
