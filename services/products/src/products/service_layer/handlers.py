"""One handler per command: companies (platform admin), products (insurer admins), links (R13), publication dates."""

from __future__ import annotations

from typing import Any, TypeVar

from sqlalchemy import Table, delete, select, update
from sqlalchemy.exc import IntegrityError

from products.adapters.orm import collection_copy, company, product, product_link, publication_date
from products.adapters.sql import new_id, now, upsert
from products.domain import commands, model
from products.domain.events import CollectionLinked, CollectionUnlinked
from servicekit.db import UnitOfWork
from servicekit.exceptions import Conflict, Forbidden, InvalidInput, NotFound

R = TypeVar("R", bound=model.YearRef)


def register_company(cmd: commands.RegisterCompany, uow: UnitOfWork) -> dict[str, Any]:
    """A company (label) with its UZOVI code, belonging to one insurer (the seed's "Verzekeraars" screen)."""
    name, uzovi = model.check_name(cmd.name), model.check_uzovi(cmd.uzovi_code)
    with uow:
        session = uow.session
        if session.execute(select(company.c.id).where(company.c.uzovi_code == uzovi)).first():
            raise Conflict(f"UZOVI-code {uzovi} is al in gebruik.", field="uzovi_code")
        company_id = new_id()
        session.execute(
            company.insert().values(
                id=company_id, insurer_id=cmd.insurer_id, name=name, uzovi_code=uzovi, created_at=now()
            )
        )
        row = session.execute(select(company).where(company.c.id == company_id)).mappings().one()
        uow.commit()
        return dict(row)


def change_company(cmd: commands.ChangeCompany, uow: UnitOfWork) -> dict[str, Any]:
    """Rename a company or move it to another insurer (the platform admin keeps which belongs to which)."""
    values: dict[str, Any] = {}
    if cmd.name is not None:
        values["name"] = model.check_name(cmd.name)
    if cmd.insurer_id is not None:
        values["insurer_id"] = cmd.insurer_id
    with uow:
        session = uow.session
        if not session.execute(select(company.c.id).where(company.c.id == cmd.company_id)).first():
            raise NotFound("Deze maatschappij bestaat niet.", field="company_id")
        if values:
            session.execute(update(company).where(company.c.id == cmd.company_id).values(**values))
        if cmd.insurer_id is not None:
            _move_products(uow, cmd.company_id, cmd.insurer_id)
        row = session.execute(select(company).where(company.c.id == cmd.company_id)).mappings().one()
        uow.commit()
        return dict(row)


def _move_products(uow: UnitOfWork, company_id: str, insurer_id: str) -> None:
    """Products follow their company to its new insurer; their links to the old insurer's collections end (R13)."""
    session = uow.session
    moving = select(product.c.id).where(product.c.company_id == company_id, product.c.insurer_id != insurer_id)
    links = session.execute(
        select(product_link.c.product_id, product_link.c.collection_id).where(product_link.c.product_id.in_(moving))
    ).all()
    for product_id, collection_id in links:
        uow.emit(CollectionUnlinked(str(product_id), str(collection_id)))
    session.execute(delete(product_link).where(product_link.c.product_id.in_([str(p) for p, _ in links])))
    session.execute(update(product).where(product.c.company_id == company_id).values(insurer_id=insurer_id))


def add_product(cmd: commands.AddProduct, actor: commands.Actor, uow: UnitOfWork) -> dict[str, Any]:
    """A basic policy of one of the insurer's own companies, for one year (insurer admins only)."""
    name, kind, year = model.check_name(cmd.name), model.check_kind(cmd.kind), model.check_year(cmd.year)
    code = model.check_name(cmd.code, field="code")
    with uow:
        session = uow.session
        owner = session.execute(select(company.c.insurer_id).where(company.c.id == cmd.company_id)).scalar()
        if owner is None or str(owner) != actor.insurer_id:
            raise Forbidden(
                "U kunt alleen producten van maatschappijen van uw eigen verzekeraar beheren.",
                field="company_id",
                rule="R13",
            )
        product_id = new_id()
        try:
            with session.begin_nested():
                session.execute(
                    product.insert().values(
                        id=product_id,
                        company_id=cmd.company_id,
                        insurer_id=actor.insurer_id,
                        year=year,
                        name=name,
                        code=code,
                        kind=kind,
                        created_at=now(),
                    )
                )
        except IntegrityError as exc:
            raise Conflict(f"Deze maatschappij heeft in {year} al een product met code {code}.", field="code") from exc
        uow.commit()
    return {
        "product_id": product_id,
        "company_id": cmd.company_id,
        "year": year,
        "name": name,
        "code": code,
        "kind": kind,
    }


def _refs(session: Any, table: Table, ref: type[R], ids: list[str]) -> dict[str, R]:
    """The rows ``ids`` of ``table`` (products or collection copies) as ``ref``: id, insurer and year, by id."""
    rows = session.execute(select(table.c.id, table.c.insurer_id, table.c.year).where(table.c.id.in_(ids)))
    return {str(r.id): ref(str(r.id), str(r.insurer_id), int(r.year)) for r in rows}


def _refusals(cmd: commands.LinkProducts, actor: commands.Actor, session: Any) -> dict[str, list[str]]:
    """R13: every refused row of the batch, by field (``rows.<i>.product_id`` / ``rows.<i>.collection_id``)."""
    products = _refs(session, product, model.ProductRef, [r.product_id for r in cmd.rows])
    collections = _refs(
        session, collection_copy, model.CollectionRef, [r.collection_id for r in cmd.rows if r.collection_id]
    )
    errors: dict[str, list[str]] = {}
    seen: set[str] = set()
    for i, row in enumerate(cmd.rows):
        if row.product_id in seen:
            errors[f"rows.{i}.product_id"] = ["R13: Dit product komt twee keer voor; kies één collectie per product."]
            continue
        seen.add(row.product_id)
        refusal = model.link_refusal(
            actor.insurer_id or "",
            actor.year or 0,
            products.get(row.product_id),
            collections.get(row.collection_id or ""),
            row.collection_id is not None,
        )
        if refusal:
            errors[f"rows.{i}.{refusal[0]}"] = [f"R13: {refusal[1]}"]
    return errors


def link_products(cmd: commands.LinkProducts, actor: commands.Actor, uow: UnitOfWork) -> dict[str, Any]:
    """R13 "Koppel producten": per product one hospital collection of the same insurer and year, all or nothing."""
    if not cmd.rows:
        raise InvalidInput("Geen producten om te koppelen.", field="rows", rule="R13")
    with uow:
        session = uow.session
        errors = _refusals(cmd, actor, session)
        if errors:
            raise InvalidInput(
                f"{len(errors)} van de {len(cmd.rows)} regels kunnen niet worden gekoppeld; er is niets opgeslagen.",
                errors,
            )
        ids = [r.product_id for r in cmd.rows]
        before = {
            str(p): str(c)
            for p, c in session.execute(
                select(product_link.c.product_id, product_link.c.collection_id)
                .where(product_link.c.product_id.in_(ids))
                .with_for_update()
            )
        }
        changed = 0
        for row in cmd.rows:
            changed += _relink(uow, actor, row.product_id, before.get(row.product_id), row.collection_id)
        uow.commit()
    return {"count": len(cmd.rows), "changed": changed}


def _relink(uow: UnitOfWork, actor: commands.Actor, product_id: str, was: str | None, becomes: str | None) -> int:
    """One product's link from ``was`` to ``becomes``, with the events contracting needs (deletion guard)."""
    if was == becomes:
        return 0
    session = uow.session
    if was is not None:
        session.execute(delete(product_link).where(product_link.c.product_id == product_id))
        uow.emit(CollectionUnlinked(product_id, was))
    if becomes is not None:
        session.execute(
            product_link.insert().values(
                product_id=product_id, collection_id=becomes, linked_by=actor.user_name, linked_at=now()
            )
        )
        uow.emit(CollectionLinked(product_id, becomes, actor.insurer_id or "", actor.year or 0))
    return 1


def set_publication_date(cmd: commands.SetPublicationDate, uow: UnitOfWork) -> dict[str, Any]:
    """R17: from when an insurer's year is published (the platform admin may move the default 12 November)."""
    year = model.check_year(cmd.year)
    with uow:
        session = uow.session
        statement = upsert(session, publication_date).values(
            insurer_id=cmd.insurer_id, year=year, publish_from=cmd.publish_from
        )
        session.execute(
            statement.on_conflict_do_update(
                index_elements=["insurer_id", "year"], set_={"publish_from": cmd.publish_from}
            )
        )
        uow.commit()
    return {"insurer_id": cmd.insurer_id, "year": year, "publish_from": cmd.publish_from}
