"""Collections (R4), contract years, and product links reported by the products service."""

from __future__ import annotations

from typing import Any

from sqlalchemy import delete, func, select, update
from sqlalchemy.orm import Session

from contracting.adapters import orm
from contracting.adapters.access import collection_ref, ensure_year_open, get_collection
from contracting.adapters.collection_list import own_collection_list
from contracting.adapters.sql import insert_ignoring_duplicates, new_id, now
from contracting.domain.catalogue_commands import LinkCollection, UnlinkCollection
from contracting.domain.commands import Actor, CreateCollection, DeleteCollection, UpdateCollection
from contracting.domain.events import CollectionCreated, CollectionDeleted, CollectionRenamed
from contracting.domain.exceptions import Conflict, NotFound, StaleData
from contracting.domain.model import check_collection_fields
from contracting.service_layer.catalogue_rows import ensure_status_rows
from contracting.service_layer.publication import publish_collection
from servicekit.db import UnitOfWork


def _name_taken(session: Session, insurer_id: str, year: int, name: str, except_id: str | None = None) -> bool:
    query = select(func.count()).where(
        orm.collection.c.insurer_id == insurer_id,
        orm.collection.c.year == year,
        func.lower(orm.collection.c.name) == name.strip().lower(),
    )
    if except_id:
        query = query.where(orm.collection.c.id != except_id)
    return bool(uow_scalar(session, query))


def ensure_name_free(session: Session, actor: Actor, name: str, except_id: str | None = None) -> None:
    """R4: a collection's name is unique (ignoring case) among the insurer's collections of the year."""
    if _name_taken(session, actor.insurer_id, actor.year, name, except_id=except_id):
        raise Conflict(f"Er bestaat al een collectie '{name.strip()}' in {actor.year}.", field="name", rule="R4")


def insert_collection(
    session: Session, actor: Actor, *, name: str, care_type: str, collection_type: str, description: str | None
) -> str:
    """A new collection row of the actor's insurer and year, made by the actor now; its id."""
    collection_id = new_id()
    session.execute(
        orm.collection.insert().values(
            id=collection_id,
            insurer_id=actor.insurer_id,
            year=actor.year,
            name=name.strip(),
            care_type=care_type,
            collection_type=collection_type,
            description=description,
            created_at=now(),
            created_by=actor.user_name,
        )
    )
    return collection_id


def uow_scalar(session: Session, query: Any) -> Any:
    return session.execute(query).scalar_one()


def create_collection(cmd: CreateCollection, actor: Actor, uow: UnitOfWork) -> dict[str, Any]:
    """R4: a new collection for the login year, filled with every institution, department and condition offered."""
    check_collection_fields(name=cmd.name, care_type=cmd.care_type, collection_type=cmd.collection_type)
    with uow:
        session = uow.session
        own_collection_list(session)  # R16: no catalogue event applied half into the new collection
        ensure_year_open(session, actor.insurer_id, actor.year)
        ensure_name_free(session, actor, cmd.name)
        collection_id = insert_collection(
            session,
            actor,
            name=cmd.name,
            care_type=cmd.care_type,
            collection_type=cmd.collection_type,
            description=cmd.description,
        )
        ensure_status_rows(session, collection_ids=[collection_id], mark_new=False)
        row = get_collection(session, actor, collection_id)
        uow.emit(CollectionCreated(collection_ref(row)))
        uow.commit()
        return dict(row)


def update_collection(cmd: UpdateCollection, actor: Actor, uow: UnitOfWork) -> dict[str, Any]:
    """Rename or describe a collection; with ``expected_version`` a concurrent edit is refused."""
    with uow:
        session = uow.session
        row = get_collection(session, actor, cmd.collection_id, for_write=True)
        if cmd.expected_version is not None and cmd.expected_version != row["version"]:
            raise StaleData(
                f"De collectie is intussen gewijzigd (nu '{row['name']}', versie {row['version']}); laad opnieuw.",
                field="version",
            )
        values: dict[str, Any] = {}
        if cmd.name is not None:
            check_collection_fields(name=cmd.name, care_type=row["care_type"], collection_type=row["collection_type"])
            ensure_name_free(session, actor, cmd.name, except_id=cmd.collection_id)
            values["name"] = cmd.name.strip()
        if cmd.description is not None:
            values["description"] = cmd.description
        if values:
            session.execute(
                update(orm.collection)
                .where(orm.collection.c.id == cmd.collection_id)
                .values(**values, version=orm.collection.c.version + 1)
            )
        new = get_collection(session, actor, cmd.collection_id)
        if new["name"] != row["name"]:
            uow.emit(CollectionRenamed(collection_ref(new), old_name=row["name"]))
        uow.commit()
        return dict(new)


def delete_collection(cmd: DeleteCollection, actor: Actor, uow: UnitOfWork) -> None:
    """Delete a collection and its statuses; refused while a product links to it. History stays."""
    with uow:
        session = uow.session
        row = get_collection(session, actor, cmd.collection_id, for_write=True)
        links = session.execute(
            select(func.count()).where(orm.collection_link.c.collection_id == cmd.collection_id)
        ).scalar_one()
        if links:
            raise Conflict(
                f"De collectie '{row['name']}' is gekoppeld aan {links} product(en) en kan niet worden verwijderd; "
                "ontkoppel eerst de producten (Producten > Koppel producten).",
                field="collection_id",
                rule="R13",
            )
        for table in (orm.condition_status, orm.department_status, orm.institution_status):
            session.execute(delete(table).where(table.c.collection_id == cmd.collection_id))
        session.execute(delete(orm.collection).where(orm.collection.c.id == cmd.collection_id))
        uow.emit(CollectionDeleted(collection_ref(row)))
        uow.commit()


def close_year(insurer_id: str, year: int, closed_by: str, uow: UnitOfWork) -> dict[str, Any]:
    """Close a contract year: from now on it is read-only (R3) and no longer follows the catalogue (R16)."""
    with uow:
        session = uow.session
        exists = session.execute(
            select(func.count()).where(orm.contract_year.c.insurer_id == insurer_id, orm.contract_year.c.year == year)
        ).scalar_one()
        if not exists:
            raise NotFound(f"Contractjaar {year} bestaat niet voor deze verzekeraar.", field="year")
        session.execute(
            update(orm.contract_year)
            .where(
                orm.contract_year.c.insurer_id == insurer_id,
                orm.contract_year.c.year == year,
                orm.contract_year.c.state == "open",
            )
            .values(state="closed", closed_at=now(), closed_by=closed_by)
        )
        uow.commit()
        return {"insurer_id": insurer_id, "year": year, "state": "closed"}


# -- products' links (inbound) ------------------------------------------------------------------------


def collection_linked(command: LinkCollection, uow: UnitOfWork) -> None:
    """``products.collection.linked``: remember the link so that deleting the collection is refused.

    The link is stored even for a collection this service does not know (deleted meanwhile, or an
    event of a collection created later): retrying could never succeed, and the row is harmless.
    """
    session = uow.session
    already_linked = session.execute(
        select(orm.collection_link.c.product_id)
        .where(orm.collection_link.c.collection_id == command.collection_id)
        .limit(1)
    ).first()
    result: Any = session.execute(
        insert_ignoring_duplicates(session, orm.collection_link)
        .values(product_id=command.product_id, collection_id=command.collection_id)
        .on_conflict_do_nothing(),
        execution_options={"preserve_rowcount": True},
    )
    added = int(result.rowcount or 0)
    row = session.execute(select(orm.collection).where(orm.collection.c.id == command.collection_id)).mappings().first()
    if added and not already_linked and row is not None:  # R17: products gets a newly linked collection whole
        publish_collection(uow, row, "link")


def collection_unlinked(command: UnlinkCollection, uow: UnitOfWork) -> None:
    """``products.collection.unlinked``: forget the link."""
    uow.session.execute(
        delete(orm.collection_link).where(
            orm.collection_link.c.product_id == command.product_id,
            orm.collection_link.c.collection_id == command.collection_id,
        )
    )
