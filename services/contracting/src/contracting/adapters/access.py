"""Tenant scoping and year state: every handler and query loads its collection through here.

A collection of another insurer, or of another year than the login year, is reported as not
found: an insurer cannot even learn that it exists.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from contracting.adapters.orm import collection, contract_year, institution, institution_status, specialism
from contracting.adapters.sql import insert_ignoring_duplicates
from contracting.domain.commands import Actor, Target
from contracting.domain.events import CollectionRef
from contracting.domain.exceptions import Conflict, NotFound
from contracting.domain.model import Level, check_level_for_institution


def year_state(session: Session, insurer_id: str, year: int) -> str | None:
    return session.execute(
        select(contract_year.c.state).where(contract_year.c.insurer_id == insurer_id, contract_year.c.year == year)
    ).scalar_one_or_none()


def year_closed(year: int) -> Conflict:
    """R3: a closed year is read-only."""
    return Conflict(f"Contractjaar {year} is gesloten en alleen nog te raadplegen.", field="contract_year", rule="R3")


def ensure_year_open(session: Session, insurer_id: str, year: int) -> None:
    """Create the contract year (open) if needed; refuse when it is closed (read-only)."""
    session.execute(
        insert_ignoring_duplicates(session, contract_year)
        .values(insurer_id=insurer_id, year=year, state="open")
        .on_conflict_do_nothing()
    )
    if year_state(session, insurer_id, year) == "closed":
        raise year_closed(year)


def get_collection(session: Session, actor: Actor, collection_id: str, *, for_write: bool = False) -> Any:
    """The actor's collection of its login year (locked for a write), else :class:`NotFound`."""
    query = select(collection).where(
        collection.c.id == collection_id, collection.c.insurer_id == actor.insurer_id, collection.c.year == actor.year
    )
    if for_write:
        query = query.with_for_update()
    row = session.execute(query).mappings().one_or_none()
    if row is None:
        raise NotFound(
            "Deze contracteercollectie bestaat niet (voor uw verzekeraar en contractjaar).", field="collection_id"
        )
    if for_write and year_state(session, actor.insurer_id, actor.year) == "closed":
        raise year_closed(actor.year)
    return row


def get_institution_in_collection(session: Session, collection_id: str, institution_id: str) -> Any:
    """The institution (catalogue copy) if the collection holds it, else :class:`NotFound`."""
    row = (
        session.execute(
            select(institution)
            .join(institution_status, institution_status.c.institution_id == institution.c.id)
            .where(institution_status.c.collection_id == collection_id, institution.c.id == institution_id)
        )
        .mappings()
        .one_or_none()
    )
    if row is None:
        raise NotFound("Deze instelling komt niet voor in deze collectie.", field="institution_id")
    return row


def get_specialism(session: Session, specialism_id: str) -> Any:
    """The department (specialism) of the catalogue copy, else :class:`NotFound`."""
    row = session.execute(select(specialism).where(specialism.c.id == specialism_id)).mappings().one_or_none()
    if row is None:
        raise NotFound("Deze afdeling bestaat niet.", field="specialism_id")
    return row


def check_target(session: Session, target: Target) -> Any:
    """Below institution level: the institution (returned) must be in the collection and Dutch (R11)."""
    if target.level is Level.INSTITUTION:
        return None
    inst = get_institution_in_collection(session, target.collection_id, target.institution_id or "")
    check_level_for_institution(target.level, country=inst["country"], institution_type=inst["type"], name=inst["name"])
    if target.level is Level.CONDITION:
        get_specialism(session, target.specialism_id or "")
    return inst


def collection_ref(row: Any) -> CollectionRef:
    """The outside world's view of a collection row (for domain events)."""
    return CollectionRef(
        id=str(row["id"]),
        insurer_id=str(row["insurer_id"]),
        year=int(row["year"]),
        name=row["name"],
        care_type=row["care_type"],
        collection_type=row["collection_type"],
    )
