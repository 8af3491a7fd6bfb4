"""R16: carry out the catalogue's commands on the local copy; the open years' rows follow it.

Each command with an entity's full state is applied only if its revision is newer than the stored
one: the write itself checks it (``INSERT ... ON CONFLICT DO UPDATE ...
WHERE revision < :revision``, ``UPDATE ... WHERE revision < :revision``), so no concurrent writer
can slip in between a read and a write. Closures and retirements carry no state and are final:
they set their mark once and leave the revision to the state events. An institution's own row is locked (``FOR UPDATE``) before
its offering or closure is read, and the conditions and specialisms a command relies on are held
``FOR SHARE``, so a retirement committed meanwhile waits for it, or it for the retirement, and the
later statement sees the earlier one's rows. (The kit's per-entity advisory lock already keeps two
consumers from applying one institution's events together; these locks keep the handlers right
on their own.) A command that refers to something not known yet raises :class:`UnknownReference`
and is retried later by the kit. The rows themselves: :mod:`contracting.service_layer.catalogue_rows`.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

from sqlalchemy import and_, select, update
from sqlalchemy.orm import Session

from contracting.adapters import orm
from contracting.adapters import publication as published
from contracting.adapters.collection_list import share_collection_list
from contracting.adapters.sql import insert_ignoring_duplicates
from contracting.domain import catalogue_commands
from contracting.domain.exceptions import UnknownReference
from contracting.service_layer import catalogue_rows
from contracting.service_layer.publication import publish_institution
from servicekit.db import UnitOfWork
from servicekit.published import catalogue as published_catalogue

# -- revision-guarded writes ------------------------------------------------------------------------


Command = TypeVar("Command")


def alongside_new_collections(handle: Callable[[Command, UnitOfWork], None]) -> Callable[[Command, UnitOfWork], None]:
    """``handle`` after the collection-list lock in shared mode (``adapters.collection_list``): a collection
    being made meanwhile either sees this event's rows or gets them from it."""

    def handler(command: Command, uow: UnitOfWork) -> None:
        share_collection_list(uow.session)
        handle(command, uow)

    handler.__name__ = handle.__name__
    return handler


def _upsert(session: Session, table: Any, entity_id: str, revision: int, values: dict[str, Any]) -> bool:
    """Store the full state if ``revision`` is newer than ours, in one statement; False if it was not."""
    statement = insert_ignoring_duplicates(session, table).values(id=entity_id, revision=revision, **values)
    statement = statement.on_conflict_do_update(
        index_elements=[table.c.id],
        set_={"revision": statement.excluded.revision, **{name: statement.excluded[name] for name in values}},
        where=table.c.revision < statement.excluded.revision,
    )
    return session.execute(statement.returning(table.c.id)).first() is not None


def _mark(session: Session, table: Any, entity_id: str, values: dict[str, Any], *, unless: Any) -> None:
    """Closures and retirements are final and carry no state: set ``values`` (once), never the revision.

    Leaving the revision alone keeps a rename that arrives after the closure (but was made before
    it) from being dropped as stale. Raises UnknownReference if the entity is not known yet.
    """
    result = session.execute(
        update(table).where(table.c.id == entity_id, ~unless).values(**values).returning(table.c.id)
    )
    if result.first() is None and _locked_row(session, table, entity_id) is None:
        raise UnknownReference(f"{table.name} {entity_id} not known yet")


def _locked_row(session: Session, table: Any, entity_id: str) -> Any:
    return session.execute(select(table).where(table.c.id == entity_id).with_for_update()).first()


def _hold_offered(session: Session, institution_id: str) -> None:
    """Share-lock the specialisms and conditions the institution offers (see the module's docstring)."""
    for table, offered, key in (
        (orm.specialism, orm.offering_department, orm.offering_department.c.specialism_id),
        (orm.condition, orm.offering_condition, orm.offering_condition.c.condition_id),
    ):
        session.execute(
            select(table.c.id)
            .join(offered, key == table.c.id)
            .where(offered.c.institution_id == institution_id)
            .with_for_update(read=True, of=table)
        ).all()


def _known(session: Session, table: Any, ids: tuple[str, ...]) -> None:
    """Every id is known (share-locked while this transaction lasts); else retry later."""
    if not ids:
        return
    found = set(session.execute(select(table.c.id).where(table.c.id.in_(ids)).with_for_update(read=True)).scalars())
    if missing := set(ids) - found:
        raise UnknownReference(f"{table.name}s not known yet: {sorted(missing)}")


# -- one handler per command ------------------------------------------------------------------------


def record_institution(command: catalogue_commands.RecordInstitution, uow: UnitOfWork) -> None:
    """Registered or changed: store it; a live institution appears in the open years."""
    session = uow.session
    values = {
        "agb_code": command.agb_code,
        "name": command.name,
        "type": command.type,
        "country": command.country,
        "city": command.city,
        "group_id": command.group_id,
        "opened_on": command.opened_on,
    }
    if not _upsert(session, orm.institution, command.institution_id, command.revision, values):
        return
    row = _locked_row(session, orm.institution, command.institution_id)
    if row.closed_on is None:
        _hold_offered(session, command.institution_id)
        catalogue_rows.ensure_status_rows(session, institution_id=command.institution_id, mark_new=True)
        holders = published.open_collections_holding(session, command.institution_id)
        publish_institution(uow, command.institution_id, holders)  # R17


def close_institution(command: catalogue_commands.CloseInstitution, uow: UnitOfWork) -> None:
    """Closed or merged: it leaves the open years' listings, stays in closed ones (with its history)."""
    session = uow.session
    values = {"closed_on": command.closed_on, "merged_into_id": command.merged_into_id}
    _mark(session, orm.institution, command.institution_id, values, unless=orm.institution.c.closed_on.is_not(None))
    merged_into = command.merged_into_id
    reason = {"reason": "merged", "into_institution_id": merged_into} if merged_into else {"reason": "closed"}
    holders = published.open_collections_holding(session, command.institution_id)
    catalogue_rows.remove_institution_from_open_years(session, command.institution_id, reason=reason)
    publish_institution(uow, command.institution_id, holders)  # R17: withdrawn from the publication


def replace_offering(command: catalogue_commands.ReplaceOffering, uow: UnitOfWork) -> None:
    """The whole offering: new departments/conditions appear, dropped ones leave (open years only)."""
    session = uow.session
    institution_id = command.institution_id
    row = _locked_row(session, orm.institution, institution_id)
    if row is None:
        raise UnknownReference(f"institution {institution_id} not known yet")
    if row.offering_revision >= command.revision:
        return
    _known(session, orm.specialism, command.specialism_ids)
    _known(session, orm.condition, command.condition_ids)
    session.execute(
        update(orm.institution).where(orm.institution.c.id == institution_id).values(offering_revision=command.revision)
    )
    _replace_offered(session, institution_id, orm.offering_department, "specialism_id", command.specialism_ids)
    _replace_offered(session, institution_id, orm.offering_condition, "condition_id", command.condition_ids)
    catalogue_rows.remove_unoffered_rows(session, institution_id=institution_id)
    catalogue_rows.ensure_status_rows(session, institution_id=institution_id, mark_new=True)
    publish_institution(uow, institution_id, published.open_collections_holding(session, institution_id))  # R17


def _replace_offered(session: Session, institution_id: str, table: Any, column: str, ids: tuple[str, ...]) -> None:
    """Make the institution's rows of ``table`` exactly ``ids``: delete the dropped, add the new."""
    stored = set(session.execute(select(table.c[column]).where(table.c.institution_id == institution_id)).scalars())
    dropped, added = stored - set(ids), set(ids) - stored
    if dropped:
        session.execute(
            table.delete().where(and_(table.c.institution_id == institution_id, table.c[column].in_(sorted(dropped))))
        )
    if added:
        session.execute(table.insert(), [{"institution_id": institution_id, column: value} for value in sorted(added)])


def record_specialism(command: published_catalogue.RecordSpecialism, uow: UnitOfWork) -> None:
    """Added or renamed: store code and name (rows follow the offerings)."""
    values = {"code": command.code, "name": command.name}  # a retirement is final: a late rename keeps it
    _upsert(uow.session, orm.specialism, command.specialism_id, command.revision, values)


def retire_specialism(command: published_catalogue.RetireSpecialism, uow: UnitOfWork) -> None:
    """It leaves the open years: its own department and condition rows, nothing else."""
    session = uow.session
    _mark(session, orm.specialism, command.specialism_id, {"retired": True}, unless=orm.specialism.c.retired)
    catalogue_rows.remove_specialism_rows(session, command.specialism_id)


def record_condition(command: published_catalogue.RecordCondition, uow: UnitOfWork) -> None:
    """Added or renamed: store it (rows appear when an offering includes it)."""
    session = uow.session
    _known(session, orm.specialism, (command.specialism_id,))
    values = {"specialism_id": command.specialism_id, "name": command.name}  # as with specialisms
    _upsert(session, orm.condition, command.condition_id, command.revision, values)


def retire_condition(command: published_catalogue.RetireCondition, uow: UnitOfWork) -> None:
    """It leaves the open years: its own rows only (issue 16: never a scan of every condition row)."""
    session = uow.session
    _mark(session, orm.condition, command.condition_id, {"retired": True}, unless=orm.condition.c.retired)
    catalogue_rows.remove_condition_rows(session, command.condition_id)


def record_group(command: catalogue_commands.RecordGroup, uow: UnitOfWork) -> None:
    """Name and kind of an institution group (R8 group filter)."""
    values = {"name": command.name, "kind": command.kind}
    _upsert(uow.session, orm.institution_group, command.group_id, command.revision, values)


def retire_group(command: catalogue_commands.RetireGroup, uow: UnitOfWork) -> None:
    """Final, and the catalogue retires only a group without open institutions: nothing else moves.

    The closed institutions that keep it (closed years, history) still show its name.
    """
    _mark(
        uow.session, orm.institution_group, command.group_id, {"retired": True}, unless=orm.institution_group.c.retired
    )
