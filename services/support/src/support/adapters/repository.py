"""Reads and writes of the support service's own tables, for the service layer."""

from __future__ import annotations

import json
import uuid
from collections.abc import Mapping
from datetime import datetime
from typing import Any

from sqlalchemy import Row, Table, func, insert, select, update
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.orm import Session

from servicekit.search import fold
from support.adapters import orm
from support.domain.change_requests import KnownInstitution, KnownSubject


def new_id() -> str:
    return str(uuid.uuid4())


def next_number(session: Session, prefix: str, year: int) -> str:
    """``MP-2026-0001``: the next number of ``prefix`` in ``year``, taken in this transaction.

    The counter row is made if missing (``ON CONFLICT DO NOTHING``: two first creators of a year do
    not collide), then incremented with ``UPDATE ... RETURNING``, whose row lock makes concurrent
    creators wait for each other instead of taking the same number.
    """
    dialect_insert = pg_insert if session.get_bind().dialect.name == "postgresql" else sqlite_insert
    session.execute(
        dialect_insert(orm.number_counter).values(prefix=prefix, year=year, last_number=0).on_conflict_do_nothing()
    )
    taken = session.execute(
        update(orm.number_counter)
        .where(orm.number_counter.c.prefix == prefix, orm.number_counter.c.year == year)
        .values(last_number=orm.number_counter.c.last_number + 1)
        .returning(orm.number_counter.c.last_number)
    ).scalar_one()
    return f"{prefix}-{year}-{taken:04d}"


class CatalogueCopy:
    """The local catalogue copy as the R15 checks read it (``support.domain.change_requests.CatalogueView``)."""

    def __init__(self, session: Session) -> None:
        self.session = session

    def _by_id(self, table: Table, item_id: str) -> Row[Any] | None:
        """The copy's row with ``item_id``; None, without a query, when ``item_id`` is not a UUID (as every id here is)."""
        try:
            uuid.UUID(item_id)
        except ValueError:
            return None
        return self.session.execute(select(table).where(table.c.id == item_id)).first()

    def institution(self, institution_id: str) -> KnownInstitution | None:
        row = self._by_id(orm.catalogue_institution, institution_id)
        return KnownInstitution(row.id, row.name, row.closed) if row else None

    def institution_with_agb(self, agb: str) -> KnownInstitution | None:
        row = self.session.execute(
            select(orm.catalogue_institution).where(orm.catalogue_institution.c.agb_code == agb).limit(1)
        ).first()
        return KnownInstitution(row.id, row.name, row.closed) if row else None

    def specialism(self, specialism_id: str) -> KnownSubject | None:
        row = self._by_id(orm.catalogue_specialism, specialism_id)
        return KnownSubject(row.id, row.name, row.retired) if row else None

    def condition(self, condition_id: str) -> KnownSubject | None:
        row = self._by_id(orm.catalogue_condition, condition_id)
        return KnownSubject(row.id, row.name, row.retired, row.specialism_id) if row else None

    def condition_named(self, specialism_id: str, name: str) -> KnownSubject | None:
        rows = self.session.execute(
            select(orm.catalogue_condition).where(orm.catalogue_condition.c.specialism_id == specialism_id)
        ).all()
        wanted = fold(name)
        for row in rows:
            if fold(row.name) == wanted and not row.retired:
                return KnownSubject(row.id, row.name, row.retired, row.specialism_id)
        return None


# -- reports ------------------------------------------------------------------------------------------


def get_report(session: Session, report_id: str, *, for_update: bool = False) -> Any:
    query = select(orm.problem_report).where(orm.problem_report.c.id == report_id)
    return session.execute(query.with_for_update() if for_update else query).first()


def add_report(session: Session, values: Mapping[str, Any]) -> None:
    session.execute(insert(orm.problem_report).values(**values))


def update_report(session: Session, report_id: str, values: Mapping[str, Any]) -> None:
    session.execute(update(orm.problem_report).where(orm.problem_report.c.id == report_id).values(**values))


def add_comment(session: Session, values: Mapping[str, Any]) -> None:
    session.execute(insert(orm.report_comment).values(id=new_id(), **values))


# -- change requests ---------------------------------------------------------------------------------


def get_request(session: Session, request_id: str, *, for_update: bool = False) -> Any:
    query = select(orm.change_request).where(orm.change_request.c.id == request_id)
    return session.execute(query.with_for_update() if for_update else query).first()


def open_request_with_key(session: Session, key: str, other_than: str | None = None) -> Any:
    """The oldest open request with the same duplicate key (the one a repeat is linked to)."""
    query = (
        select(orm.change_request.c.id, orm.change_request.c.number)
        .where(orm.change_request.c.duplicate_key == key, orm.change_request.c.status.in_(("submitted", "in_review")))
        .order_by(orm.change_request.c.created_at, orm.change_request.c.number)
        .limit(1)
    )
    if other_than:
        query = query.where(orm.change_request.c.id != other_than)
    return session.execute(query).first()


def add_request(session: Session, values: Mapping[str, Any]) -> None:
    session.execute(insert(orm.change_request).values(**values))


def update_request(session: Session, request_id: str, values: Mapping[str, Any]) -> None:
    session.execute(
        update(orm.change_request)
        .where(orm.change_request.c.id == request_id)
        .values(version=orm.change_request.c.version + 1, **values)
    )


def proposal_of(row: Any) -> dict[str, Any]:
    return dict(json.loads(row.proposal))


# -- notifications and e-mail -------------------------------------------------------------------------


def add_notification(session: Session, values: Mapping[str, Any]) -> None:
    session.execute(insert(orm.notification).values(id=new_id(), **values))


def queue_mail(session: Session, recipient: str, subject: str, body: str, at: datetime) -> None:
    session.execute(
        insert(orm.mail_outbox).values(
            id=new_id(), recipient=recipient, subject=subject, body=body, created_at=at, attempts=0, next_attempt_at=at
        )
    )


def mark_read(session: Session, recipient_id: str, ids: list[str], at: datetime) -> int:
    query = (
        update(orm.notification)
        .where(orm.notification.c.recipient_id == recipient_id, orm.notification.c.read_at.is_(None))
        .values(read_at=at)
    )
    if ids:
        query = query.where(orm.notification.c.id.in_(ids))
    return int(session.execute(query).rowcount or 0)  # type: ignore[attr-defined]


def count(session: Session, table: Any) -> int:
    return int(session.execute(select(func.count()).select_from(table)).scalar_one())
