"""What contracting tells the products service: collections (local copy), the rollover (R3), publication (R17).

- A renamed collection keeps its links (links are by id); the new name shows at once.
- A deleted collection: contracting refuses to delete a linked one, but a link saved here while the
  deletion was under way can still meet it. Then the link is dropped (the product shows as not
  linked, its publication is empty) and its read model rows are removed.
- The rollover carries every product of the insurer's companies into the new year, with its link
  mapped to the copy of its collection (``from_collection_id`` -> ``to_collection_id``).
- ``contracting.publication.changed`` is a snapshot of one institution in one collection. It is
  applied when its ``version`` is at least the stored one (redeliveries and overtaking change
  nothing); an identical snapshot (a resync) moves neither the last-changed date nor the change feed.
"""

from __future__ import annotations

import hashlib
import json
from datetime import datetime
from typing import Any

from sqlalchemy import delete, select, update

from products.adapters import orm
from products.adapters.sql import new_id, now, upsert
from products.domain.contracting_commands import ApplyPublication, CarryProducts, ForgetCollection, RecordCollection
from products.domain.events import CollectionLinked, CollectionUnlinked
from servicekit.db import UnitOfWork

ROLLOVER_ACTOR = "jaarovergang"


def _remember_collection(uow: UnitOfWork, collection_id: str, insurer_id: str, year: int, name: str, kind: Any) -> None:
    values = {"id": collection_id, "insurer_id": insurer_id, "year": year, "name": name}
    statement = upsert(uow.session, orm.collection_copy).values(**values, collection_type=kind)
    changes: dict[str, Any] = {"name": name} | ({"collection_type": kind} if kind else {})
    uow.session.execute(statement.on_conflict_do_update(index_elements=["id"], set_=changes))


def record_collection(cmd: RecordCollection, uow: UnitOfWork) -> None:
    _remember_collection(uow, cmd.collection_id, cmd.insurer_id, cmd.contract_year, cmd.name, cmd.collection_type)


def forget_collection(cmd: ForgetCollection, uow: UnitOfWork) -> None:
    session, collection_id = uow.session, cmd.collection_id
    linked = session.execute(
        select(orm.product_link.c.product_id).where(orm.product_link.c.collection_id == collection_id)
    )
    for product_id in [str(p) for p in linked.scalars()]:
        uow.emit(CollectionUnlinked(product_id, collection_id))
    session.execute(delete(orm.product_link).where(orm.product_link.c.collection_id == collection_id))
    for table in (orm.published_condition, orm.published_department, orm.published_institution, orm.publication_change):
        session.execute(delete(table).where(table.c.collection_id == collection_id))
    session.execute(delete(orm.collection_copy).where(orm.collection_copy.c.id == collection_id))


def carry_products(cmd: CarryProducts, uow: UnitOfWork) -> None:
    """R3: the insurer's products of ``from_year`` carry on into ``to_year``, each linked to its collection's copy."""
    session, insurer_id, to_year = uow.session, cmd.insurer_id, cmd.to_year
    mapping = {pair.from_collection_id: pair.to_collection_id for pair in cmd.collections}
    for pair in cmd.collections:
        _remember_collection(uow, pair.to_collection_id, insurer_id, to_year, pair.name, None)
    carried = select(orm.product.c.carried_from_id).where(
        orm.product.c.year == to_year, orm.product.c.carried_from_id.is_not(None)
    )
    sources = session.execute(
        select(orm.product, orm.product_link.c.collection_id)
        .outerjoin(orm.product_link, orm.product_link.c.product_id == orm.product.c.id)
        .where(
            orm.product.c.insurer_id == insurer_id,
            orm.product.c.year == cmd.from_year,
            orm.product.c.id.not_in(carried),
        )
    ).mappings()
    for source in list(sources):
        if session.execute(
            select(orm.product.c.id).where(
                orm.product.c.company_id == source["company_id"],
                orm.product.c.year == to_year,
                orm.product.c.code == source["code"],
            )
        ).first():
            continue  # already added by hand for the new year
        copy_id = new_id()
        session.execute(
            orm.product.insert().values(
                id=copy_id,
                company_id=source["company_id"],
                insurer_id=insurer_id,
                year=to_year,
                name=source["name"],
                code=source["code"],
                kind=source["kind"],
                carried_from_id=str(source["id"]),
                created_at=now(),
            )
        )
        target = mapping.get(str(source["collection_id"])) if source["collection_id"] else None
        if target:
            session.execute(
                orm.product_link.insert().values(
                    product_id=copy_id, collection_id=target, linked_by=ROLLOVER_ACTOR, linked_at=now()
                )
            )
            uow.emit(CollectionLinked(copy_id, target, insurer_id, to_year))


def snapshot_digest(cmd: ApplyPublication) -> str:
    """What a consumer sees of one institution; equal digests: nothing published changed."""
    return hashlib.sha256(json.dumps(cmd.snapshot(), sort_keys=True).encode()).hexdigest()


def apply_publication(cmd: ApplyPublication, uow: UnitOfWork) -> None:
    """R17: replace the published state of (collection, institution) with the event's snapshot, if not older."""
    session = uow.session
    collection_id, inst = cmd.collection_id, cmd.institution
    key = (orm.published_institution.c.collection_id == collection_id) & (
        orm.published_institution.c.institution_id == inst["institution_id"]
    )
    held = session.execute(
        select(orm.published_institution.c.version, orm.published_institution.c.digest).where(key).with_for_update()
    ).first()
    if held is not None and held.version > cmd.version:
        return  # an older snapshot overtook a newer one: keep the newer
    digest = snapshot_digest(cmd)
    if held is not None and held.digest == digest:
        session.execute(update(orm.published_institution).where(key).values(version=cmd.version))
        return
    changed_at = datetime.fromisoformat(cmd.changed_at)
    _replace_rows(uow, cmd, digest, changed_at, held=held is not None)
    session.execute(
        orm.publication_change.insert().values(
            collection_id=collection_id, institution_id=inst["institution_id"], changed_at=changed_at
        )
    )


def _replace_rows(uow: UnitOfWork, cmd: ApplyPublication, digest: str, at: datetime, *, held: bool) -> None:
    """The snapshot's rows in place of the held ones (few statements: the consumer's hot path on a cascade)."""
    session, collection_id, inst = uow.session, cmd.collection_id, cmd.institution
    institution_id = inst["institution_id"]
    values = {
        "agb_code": inst["agb_code"],
        "name": inst["name"],
        "type": inst["type"],
        "country": inst["country"],
        "city": inst["city"],
        "status": inst["status"],
        "version": cmd.version,
        "digest": digest,
        "changed_at": at,
    }
    if held:
        for table in (orm.published_condition, orm.published_department):
            session.execute(
                delete(table).where(table.c.collection_id == collection_id, table.c.institution_id == institution_id)
            )
        key = (orm.published_institution.c.collection_id == collection_id) & (
            orm.published_institution.c.institution_id == institution_id
        )
        session.execute(update(orm.published_institution).where(key).values(**values))
    else:
        session.execute(
            orm.published_institution.insert().values(
                collection_id=collection_id, institution_id=institution_id, **values
            )
        )
    common = {"collection_id": collection_id, "institution_id": institution_id}
    if cmd.departments:
        session.execute(
            orm.published_department.insert(),
            [
                common
                | {"specialism_id": d["specialism_id"], "code": d["code"], "name": d["name"], "status": d["status"]}
                for d in cmd.departments
            ],
        )
    if cmd.conditions:
        session.execute(
            orm.published_condition.insert(),
            [
                common
                | {
                    "condition_id": c["condition_id"],
                    "specialism_id": c["specialism_id"],
                    "name": c["name"],
                    "status": c["status"],
                }
                for c in cmd.conditions
            ],
        )
