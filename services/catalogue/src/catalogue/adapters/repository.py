"""Load and store the catalogue's aggregates (frozen domain dataclasses) with SQLAlchemy Core.

Loads ``for_update`` take a row lock on PostgreSQL (SQLite ignores it and serialises writers anyway),
so two maintainers changing the same institution get consecutive revisions, never the same one.
Bulk operations are set-based: one statement per table, never a loop of single-row round trips.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from sqlalchemy import Column, Row, Table, bindparam, delete, func, insert, select, update
from sqlalchemy.orm import Session

from catalogue.adapters import orm
from catalogue.domain.model import Condition, Group, Institution, InstitutionData, Specialism
from servicekit.search import fold


def _institution(row: Row[Any]) -> Institution:
    data = InstitutionData(
        agb_code=row.agb_code,
        name=row.name,
        type=row.type,
        country=row.country,
        address=row.address,
        postcode=row.postcode,
        city=row.city,
        email=row.email,
        phone=row.phone,
        group_id=row.group_id,
        opened_on=row.opened_on,
    )
    return Institution(
        id=row.id,
        data=data,
        revision=row.revision,
        offering_revision=row.offering_revision,
        closed_on=row.closed_on,
        merged_into_id=row.merged_into_id,
    )


def _specialism(row: Row[Any]) -> Specialism:
    return Specialism(row.id, row.code, row.name, row.revision, row.retired)


def _condition(row: Row[Any]) -> Condition:
    return Condition(row.id, row.specialism_id, row.name, row.revision, row.retired)


def institution_values(item: Institution) -> dict[str, Any]:
    data = item.data
    return {
        "id": item.id,
        "agb_code": data.agb_code,
        "name": data.name,
        "name_folded": fold(data.name),
        "type": data.type,
        "country": data.country,
        "address": data.address,
        "postcode": data.postcode,
        "city": data.city,
        "email": data.email,
        "phone": data.phone,
        "group_id": data.group_id,
        "opened_on": data.opened_on,
        "closed_on": item.closed_on,
        "merged_into_id": item.merged_into_id,
        "revision": item.revision,
        "offering_revision": item.offering_revision,
    }


class CatalogueRepository:
    def __init__(self, session: Session) -> None:
        self.session = session

    def _by_id(self, table: Table, item_id: str, for_update: bool) -> Row[Any] | None:
        """The row of ``table`` with ``item_id``, locked until commit when ``for_update``."""
        query = select(table).where(table.c.id == item_id)
        if for_update:
            query = query.with_for_update()
        return self.session.execute(query).first()

    # institutions ----------------------------------------------------------------------------
    def get_institution(self, institution_id: str, *, for_update: bool = False) -> Institution | None:
        row = self._by_id(orm.institution, institution_id, for_update)
        return _institution(row) if row else None

    def institution_id_by_agb(self, agb_code: str) -> str | None:
        return self.session.execute(select(orm.institution.c.id).where(orm.institution.c.agb_code == agb_code)).scalar()

    def institutions_by_agb(self, *, for_update: bool = False) -> dict[str, Institution]:
        query = select(orm.institution)
        if for_update:
            query = query.with_for_update()
        return {row.agb_code: _institution(row) for row in self.session.execute(query)}

    def add_institutions(self, items: Sequence[Institution]) -> None:
        if items:
            self.session.execute(insert(orm.institution), [institution_values(i) for i in items])

    def save_institutions(self, items: Sequence[Institution]) -> None:
        """Write the attributes and life cycle of existing institutions (one executemany)."""
        if not items:
            return
        rows: list[dict[str, Any]] = []
        for item in items:
            values = institution_values(item)
            values["b_id"] = values.pop("id")
            values.pop("offering_revision")
            rows.append(values)
        columns: dict[str, Any] = {k: bindparam(k) for k in rows[0] if k != "b_id"}
        statement = (
            update(orm.institution)
            .where(orm.institution.c.id == bindparam("b_id"))
            .values(**columns, updated_at=func.now())
        )
        self.session.connection().execute(statement, rows)

    # groups ----------------------------------------------------------------------------------
    def get_group(self, group_id: str, *, for_update: bool = False) -> Group | None:
        row = self._by_id(orm.institution_group, group_id, for_update)
        return Group(row.id, row.name, row.kind, row.revision, row.retired) if row else None

    def open_institutions_in_group(self, group_id: str) -> int:
        query = select(func.count()).where(
            orm.institution.c.group_id == group_id, orm.institution.c.closed_on.is_(None)
        )
        return int(self.session.execute(query).scalar_one())

    def retired_group_names(self) -> set[str]:
        query = select(orm.institution_group.c.name).where(orm.institution_group.c.retired.is_(True))
        return set(self.session.execute(query).scalars())

    def group_id_by_name(self, name: str) -> str | None:
        return self.session.execute(
            select(orm.institution_group.c.id).where(orm.institution_group.c.name == name)
        ).scalar()

    def group_ids_by_name(self) -> dict[str, str]:
        return {
            row.name: row.id
            for row in self.session.execute(select(orm.institution_group.c.id, orm.institution_group.c.name))
        }

    def add_group(self, group: Group) -> None:
        self.session.execute(
            insert(orm.institution_group).values(id=group.id, name=group.name, kind=group.kind, revision=group.revision)
        )

    def save_group(self, group: Group) -> None:
        self.session.execute(
            update(orm.institution_group)
            .where(orm.institution_group.c.id == group.id)
            .values(
                name=group.name, kind=group.kind, revision=group.revision, retired=group.retired, updated_at=func.now()
            )
        )

    # specialisms and conditions -------------------------------------------------------------
    def get_specialism(self, specialism_id: str, *, for_update: bool = False) -> Specialism | None:
        row = self._by_id(orm.specialism, specialism_id, for_update)
        return _specialism(row) if row else None

    def specialism_code_exists(self, code: str) -> bool:
        return (
            self.session.execute(select(orm.specialism.c.id).where(orm.specialism.c.code == code)).first() is not None
        )

    def specialisms(self, ids: Iterable[str]) -> dict[str, Specialism]:
        query = select(orm.specialism).where(orm.specialism.c.id.in_(list(ids)))
        return {row.id: _specialism(row) for row in self.session.execute(query)}

    def add_specialism(self, item: Specialism) -> None:
        self.session.execute(
            insert(orm.specialism).values(
                id=item.id, code=item.code, name=item.name, revision=item.revision, retired=item.retired
            )
        )

    def save_specialism(self, item: Specialism) -> None:
        self.session.execute(
            update(orm.specialism)
            .where(orm.specialism.c.id == item.id)
            .values(name=item.name, revision=item.revision, retired=item.retired, updated_at=func.now())
        )

    def get_condition(self, condition_id: str, *, for_update: bool = False) -> Condition | None:
        row = self._by_id(orm.condition, condition_id, for_update)
        return _condition(row) if row else None

    def conditions(self, ids: Iterable[str]) -> dict[str, Condition]:
        query = select(orm.condition).where(orm.condition.c.id.in_(list(ids)))
        return {row.id: _condition(row) for row in self.session.execute(query)}

    def active_conditions_of(self, specialism_id: str) -> list[Condition]:
        query = (
            select(orm.condition)
            .where(orm.condition.c.specialism_id == specialism_id, orm.condition.c.retired.is_(False))
            .with_for_update()
        )
        return [_condition(row) for row in self.session.execute(query)]

    def condition_name_taken(self, specialism_id: str, name: str, *, other_than: str | None = None) -> bool:
        query = select(orm.condition.c.id).where(
            orm.condition.c.specialism_id == specialism_id, orm.condition.c.name == name
        )
        if other_than:
            query = query.where(orm.condition.c.id != other_than)
        return self.session.execute(query).first() is not None

    def add_condition(self, item: Condition) -> None:
        self.session.execute(
            insert(orm.condition).values(
                id=item.id,
                specialism_id=item.specialism_id,
                name=item.name,
                revision=item.revision,
                retired=item.retired,
            )
        )

    def save_condition(self, item: Condition) -> None:
        self.session.execute(
            update(orm.condition)
            .where(orm.condition.c.id == item.id)
            .values(name=item.name, revision=item.revision, retired=item.retired, updated_at=func.now())
        )

    def retire_conditions(self, ids: Sequence[str]) -> None:
        """Retire many conditions in one statement, each one revision up."""
        if ids:
            self.session.execute(
                update(orm.condition)
                .where(orm.condition.c.id.in_(list(ids)))
                .values(retired=True, revision=orm.condition.c.revision + 1, updated_at=func.now())
            )

    # offerings -------------------------------------------------------------------------------
    def offering(self, institution_id: str) -> tuple[set[str], set[str]]:
        specs = self.session.execute(
            select(orm.offering_specialism.c.specialism_id).where(
                orm.offering_specialism.c.institution_id == institution_id
            )
        ).scalars()
        conds = self.session.execute(
            select(orm.offering_condition.c.condition_id).where(
                orm.offering_condition.c.institution_id == institution_id
            )
        ).scalars()
        return set(specs), set(conds)

    def has_offering(self, institution_id: str) -> bool:
        query = select(orm.offering_specialism.c.institution_id).where(
            orm.offering_specialism.c.institution_id == institution_id
        )
        return self.session.execute(query.limit(1)).first() is not None

    def institutions_with_offering(self) -> set[str]:
        return set(self.session.execute(select(orm.offering_specialism.c.institution_id).distinct()).scalars())

    def replace_offering(
        self, institution_id: str, revision: int, specialism_ids: Iterable[str], condition_ids: Iterable[str]
    ) -> None:
        self.session.execute(
            delete(orm.offering_condition).where(orm.offering_condition.c.institution_id == institution_id)
        )
        self.session.execute(
            delete(orm.offering_specialism).where(orm.offering_specialism.c.institution_id == institution_id)
        )
        specs = [{"institution_id": institution_id, "specialism_id": s} for s in specialism_ids]
        conds = [{"institution_id": institution_id, "condition_id": c} for c in condition_ids]
        if specs:
            self.session.execute(insert(orm.offering_specialism), specs)
        if conds:
            self.session.execute(insert(orm.offering_condition), conds)
        self.session.execute(
            update(orm.institution)
            .where(orm.institution.c.id == institution_id)
            .values(offering_revision=revision, updated_at=func.now())
        )

    def remove_from_offerings(
        self, *, specialism_ids: Sequence[str] = (), condition_ids: Sequence[str] = ()
    ) -> list[str]:
        """Take specialisms and conditions out of every offering (set-based); returns the institutions touched.

        Their offering revision goes one up, in the same statement for all of them.
        """
        touched = self._unlink(orm.offering_condition.c.condition_id, condition_ids)
        touched |= self._unlink(orm.offering_specialism.c.specialism_id, specialism_ids)
        ids = sorted(touched)
        if ids:
            self.session.execute(
                update(orm.institution)
                .where(orm.institution.c.id.in_(ids))
                .values(offering_revision=orm.institution.c.offering_revision + 1, updated_at=func.now())
            )
        return ids

    def _unlink(self, item: Column[str], item_ids: Sequence[str]) -> set[str]:
        """Delete the rows of an offering link table (``item``: its specialism or condition column) that
        name ``item_ids``; returns the institutions they belonged to."""
        if not item_ids:
            return set()
        link, named = item.table, item.in_(list(item_ids))
        touched = set(self.session.execute(select(link.c.institution_id).where(named)).scalars())
        self.session.execute(delete(link).where(named))
        return touched

    def _linked(self, item: Column[str], institution_ids: list[str]) -> dict[str, list[str]]:
        """Per institution, the ids in ``item`` (an offering link table's specialism or condition column)."""
        link = item.table
        by_institution: dict[str, list[str]] = {i: [] for i in institution_ids}
        for iid, item_id in self.session.execute(
            select(link.c.institution_id, item).where(link.c.institution_id.in_(institution_ids))
        ):
            by_institution[iid].append(item_id)
        return by_institution

    def offering_states(self, institution_ids: Sequence[str]) -> list[tuple[str, int, list[str], list[str]]]:
        """(institution id, offering revision, specialism ids, condition ids) for many institutions, three queries."""
        if not institution_ids:
            return []
        ids = list(institution_ids)
        revisions = {
            iid: revision
            for iid, revision in self.session.execute(
                select(orm.institution.c.id, orm.institution.c.offering_revision).where(orm.institution.c.id.in_(ids))
            )
        }
        specs = self._linked(orm.offering_specialism.c.specialism_id, ids)
        conds = self._linked(orm.offering_condition.c.condition_id, ids)
        return [(i, revisions[i], specs[i], conds[i]) for i in ids]
