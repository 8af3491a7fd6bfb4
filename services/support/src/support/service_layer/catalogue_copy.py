"""The local copy of the catalogue the R15 checks read, kept current by catalogue events.

Each handler receives one of the catalogue commands the kit declares for every consumer
(``servicekit.published.catalogue``); a revision not newer than the stored one is ignored, so
redeliveries and reordering change nothing. A closure or retirement of something not yet known
raises, so the consumer retries it after the registration has arrived.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import Table, insert, select, update

from servicekit.db import UnitOfWork
from servicekit.published import catalogue
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


def record_institution(cmd: catalogue.RecordInstitution, uow: UnitOfWork) -> None:
    """``catalogue.institution.registered`` / ``.changed``."""
    values = {"agb_code": cmd.agb_code, "name": cmd.name, "closed": False}
    _upsert(uow, catalogue_institution, cmd.institution_id, cmd.revision, values)


def close_institution(cmd: catalogue.CloseInstitution, uow: UnitOfWork) -> None:
    """``catalogue.institution.closed`` / ``.merged``: R15 refuses requests about it from now on."""
    _mark(uow, catalogue_institution, cmd.institution_id, cmd.revision, {"closed": True})


def record_specialism(cmd: catalogue.RecordSpecialism, uow: UnitOfWork) -> None:
    """``catalogue.specialism.added`` / ``.renamed``."""
    values = {"code": cmd.code, "name": cmd.name, "retired": False}
    _upsert(uow, catalogue_specialism, cmd.specialism_id, cmd.revision, values)


def retire_specialism(cmd: catalogue.RetireSpecialism, uow: UnitOfWork) -> None:
    _mark(uow, catalogue_specialism, cmd.specialism_id, cmd.revision, {"retired": True})


def record_condition(cmd: catalogue.RecordCondition, uow: UnitOfWork) -> None:
    """``catalogue.condition.added`` / ``.renamed``."""
    values = {"specialism_id": cmd.specialism_id, "name": cmd.name, "retired": False}
    _upsert(uow, catalogue_condition, cmd.condition_id, cmd.revision, values)


def retire_condition(cmd: catalogue.RetireCondition, uow: UnitOfWork) -> None:
    _mark(uow, catalogue_condition, cmd.condition_id, cmd.revision, {"retired": True})
