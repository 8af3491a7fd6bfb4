"""One handler per command: open the unit of work, load, call the domain, write, publish, commit.

Every change records its integration event(s) in the outbox in the same transaction, so an event
exists exactly when the change does (R16). Handlers never see Flask or kombu.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import asdict
from functools import partial
from typing import Any, Protocol, TypeVar

from sqlalchemy import Engine
from sqlalchemy.exc import IntegrityError

from catalogue.adapters.repository import CatalogueRepository
from catalogue.adapters.statistics import refresh_statistics
from catalogue.domain import commands, events, model
from catalogue.domain.exceptions import Conflict, InvalidInput, NotFound
from catalogue.domain.institution_csv import CHECKING, SAVING, ImportPlan, plan_import, read_rows, validate_rows
from servicekit.db import UnitOfWork
from servicekit.messaging import outbox

Found = TypeVar("Found")

#: An import this long is a bulk load: the planner's statistics are refreshed after it (issue 16 item 13).
BULK_IMPORT_ROWS = 5_000
#: Rows written per statement by the import (its progress is reported after each).
WRITE_CHUNK = 1_000


def _new_id() -> str:
    return str(uuid.uuid4())


@contextmanager
def _repository(uow: UnitOfWork) -> Iterator[CatalogueRepository]:
    """Open the unit of work, with the catalogue's repository on its session."""
    with uow:
        yield CatalogueRepository(uow.session)


def _commit(uow: UnitOfWork, event_type: str, payload: dict[str, Any]) -> None:
    """Commit the change with its integration event: the event exists exactly when the change does (R16)."""
    uow.publish(event_type, payload)
    uow.commit()


def publish_many(uow: UnitOfWork, items: Sequence[tuple[str, dict[str, Any]]]) -> None:
    """Many events in one INSERT (bulk import, cascades)."""
    outbox.add_many(uow.session, [outbox.build_envelope(uow.producer, t, data) for t, data in items])


def _load(get: Callable[..., Found | None], what: str, item_id: str) -> Found:
    """``get(item_id)``, locked until commit, or a 404 saying that ``what`` ``item_id`` does not exist."""
    found = get(item_id, for_update=True)
    if found is None:
        raise NotFound(f"{what} {item_id} bestaat niet.")
    return found


def _check_group(repo: CatalogueRepository, group_id: str | None) -> None:
    """The group exists and is not retired; its row stays locked until commit, so a retirement
    running at the same time waits and then counts this institution (and refuses)."""
    if group_id is None:
        return
    group = repo.get_group(group_id, for_update=True)
    if group is None:
        raise InvalidInput("Onbekende groep.", {"group_id": [f"Groep {group_id} bestaat niet."]})
    if group.retired:
        raise InvalidInput("Vervallen groep.", {"group_id": [f"Groep {group.name} is vervallen; kies een andere."]})


def _duplicate_agb(agb_code: str) -> Conflict:
    return Conflict(f"AGB-code {agb_code} is al in gebruik.", field="agb_code")


def _flush_unique(uow: UnitOfWork, conflict: Conflict) -> None:
    """Flush, turning a unique-constraint race (two writers, same key) into the same 409 as the check."""
    try:
        uow.session.flush()
    except IntegrityError as exc:
        raise conflict from exc


def _write_unique(uow: UnitOfWork, write: Callable[[], object], *, taken: object, conflict: Conflict) -> None:
    """Write a row whose key must be unique: ``conflict`` when the check found the key ``taken``, and the
    same ``conflict`` when another writer takes it between that check and the flush."""
    if taken:
        raise conflict
    write()
    _flush_unique(uow, conflict)


# institutions ---------------------------------------------------------------------------------
def register_institution(cmd: commands.RegisterInstitution, uow: UnitOfWork) -> str:
    data = model.build_institution_data(cmd.attributes)
    with _repository(uow) as repo:
        _check_group(repo, data.group_id)
        created = model.Institution(id=_new_id(), data=data, revision=1)
        taken = repo.institution_id_by_agb(data.agb_code)
        _write_unique(
            uow, partial(repo.add_institutions, [created]), taken=taken, conflict=_duplicate_agb(data.agb_code)
        )
        _commit(uow, events.INSTITUTION_REGISTERED, events.institution_state(created))
    return created.id


def change_institution(cmd: commands.ChangeInstitution, uow: UnitOfWork) -> None:
    with _repository(uow) as repo:
        current = _load(repo.get_institution, "Instelling", cmd.institution_id)
        data = model.build_institution_data({**asdict(current.data), **cmd.attributes})
        if data.group_id != current.data.group_id:
            _check_group(repo, data.group_id)
        if data.agb_code != current.data.agb_code and repo.institution_id_by_agb(data.agb_code):
            raise _duplicate_agb(data.agb_code)
        changed = current.change(data, has_offering=repo.has_offering(current.id))
        if changed is None:
            return
        repo.save_institutions([changed])
        _flush_unique(uow, _duplicate_agb(data.agb_code))
        _commit(uow, events.INSTITUTION_CHANGED, events.institution_state(changed))


def close_institution(cmd: commands.CloseInstitution, uow: UnitOfWork) -> None:
    with _repository(uow) as repo:
        closed = _load(repo.get_institution, "Instelling", cmd.institution_id).close(cmd.closed_on)
        repo.save_institutions([closed])
        _commit(uow, events.INSTITUTION_CLOSED, events.institution_closed(closed))


def merge_institution(cmd: commands.MergeInstitution, uow: UnitOfWork) -> None:
    """Close ``institution_id`` as merged into ``into_institution_id`` (its offering stays as history)."""
    with _repository(uow) as repo:
        merged_away = _load(repo.get_institution, "Instelling", cmd.institution_id)
        target = repo.get_institution(cmd.into_institution_id, for_update=True)
        if target is None:
            raise InvalidInput(f"Instelling {cmd.into_institution_id} bestaat niet.", field="into_institution_id")
        merged = merged_away.merge_into(target, cmd.closed_on)
        repo.save_institutions([merged])
        _commit(uow, events.INSTITUTION_MERGED, events.institution_merged(merged))


def set_offering(cmd: commands.SetOffering, uow: UnitOfWork) -> bool:
    """Replace the whole offering; returns False (and emits nothing) when it is already so."""
    specialism_ids = list(dict.fromkeys(cmd.specialism_ids))
    condition_ids = list(dict.fromkeys(cmd.condition_ids))
    with _repository(uow) as repo:
        current = _load(repo.get_institution, "Instelling", cmd.institution_id)
        current.check_offering_allowed()
        model.check_offering(
            specialism_ids, condition_ids, repo.specialisms(specialism_ids), repo.conditions(condition_ids)
        )
        if repo.offering(current.id) == (set(specialism_ids), set(condition_ids)):
            return False
        revision = current.offering_revision + 1
        repo.replace_offering(current.id, revision, specialism_ids, condition_ids)
        _commit(
            uow, events.OFFERING_CHANGED, events.offering_state(current.id, revision, specialism_ids, condition_ids)
        )
    return True


class ImportProgress(Protocol):
    """Hears how far an import is (``adapters.import_progress.ProgressRow``): phase, done, total."""

    def report(self, phase: str, done: int, total: int) -> None: ...


class _Silent:
    def report(self, phase: str, done: int, total: int) -> None:
        return None


def _write_plan(repo: CatalogueRepository, plan: ImportPlan, progress: ImportProgress) -> None:
    """Inserts, then updates, in chunks, saying after each chunk how many rows are written."""
    total, done = len(plan.inserts) + len(plan.updates), 0
    for write, items in ((repo.add_institutions, plan.inserts), (repo.save_institutions, plan.updates)):
        for start in range(0, len(items), WRITE_CHUNK):
            chunk = items[start : start + WRITE_CHUNK]
            write(chunk)
            done += len(chunk)
            progress.report(SAVING, done, total)


def import_institutions(
    cmd: commands.ImportInstitutions, uow: UnitOfWork, progress: ImportProgress | None = None
) -> dict[str, int]:
    """All or nothing: every row is validated and planned before anything is written.

    ``progress`` hears the rows checked, then the rows written (the portal's bar for large files)."""
    progress = progress or _Silent()
    rows = read_rows(cmd.csv_text)
    total = len(rows)
    progress.report(CHECKING, 0, total)
    with _repository(uow) as repo:
        checked = partial(progress.report, CHECKING, total=total)
        valid = validate_rows(rows, repo.group_ids_by_name(), repo.retired_group_names(), checked)
        offered = repo.institutions_with_offering()
        plan = plan_import(valid, repo.institutions_by_agb(for_update=True), lambda iid: iid in offered)
        progress.report(CHECKING, total, total)
        if cmd.dry_run:
            return plan.summary()
        _write_plan(repo, plan, progress)
        _flush_unique(
            uow, Conflict("Een andere gebruiker heeft tegelijk dezelfde AGB-code ingevoerd; probeer opnieuw.")
        )
        publish_many(uow, plan.events)
        uow.commit()
        engine = uow.session.get_bind()
    if len(rows) >= BULK_IMPORT_ROWS and isinstance(engine, Engine):
        refresh_statistics(engine)
    return plan.summary()


# groups ---------------------------------------------------------------------------------------
def _duplicate_group(name: str) -> Conflict:
    return Conflict(f"Er bestaat al een groep met de naam {name!r}.", field="name")


def create_group(cmd: commands.CreateGroup, uow: UnitOfWork) -> str:
    group = model.Group(_new_id(), model.clean_name(cmd.name), model.Group.check_kind(cmd.kind), 1)
    with _repository(uow) as repo:
        taken = repo.group_id_by_name(group.name)
        _write_unique(uow, partial(repo.add_group, group), taken=taken, conflict=_duplicate_group(group.name))
        _commit(uow, events.GROUP_CHANGED, events.group_state(group))
    return group.id


def change_group(cmd: commands.ChangeGroup, uow: UnitOfWork) -> None:
    with _repository(uow) as repo:
        current = _load(repo.get_group, "Groep", cmd.group_id)
        name = model.clean_name(cmd.name) if cmd.name is not None else current.name
        kind = model.Group.check_kind(cmd.kind) if cmd.kind is not None else current.kind
        changed = current.change(name, kind)
        if changed is None:
            return
        taken = name != current.name and repo.group_id_by_name(name)
        _write_unique(uow, partial(repo.save_group, changed), taken=taken, conflict=_duplicate_group(name))
        _commit(uow, events.GROUP_CHANGED, events.group_state(changed))


def retire_group(cmd: commands.RetireGroup, uow: UnitOfWork) -> None:
    """Retire an empty group (no open institutions; closed ones keep it as history)."""
    with _repository(uow) as repo:
        current = _load(repo.get_group, "Groep", cmd.group_id)
        retired = current.retire(repo.open_institutions_in_group(current.id))
        repo.save_group(retired)
        _commit(uow, events.GROUP_RETIRED, events.group_retired(retired))


# specialisms ----------------------------------------------------------------------------------
def add_specialism(cmd: commands.AddSpecialism, uow: UnitOfWork) -> str:
    item = model.Specialism(_new_id(), model.normalise_specialism_code(cmd.code), model.clean_name(cmd.name), 1)
    duplicate = Conflict(f"Specialismecode {item.code} bestaat al.", field="code")
    with _repository(uow) as repo:
        taken = repo.specialism_code_exists(item.code)
        _write_unique(uow, partial(repo.add_specialism, item), taken=taken, conflict=duplicate)
        _commit(uow, events.SPECIALISM_ADDED, events.specialism_state(item))
    return item.id


def rename_specialism(cmd: commands.RenameSpecialism, uow: UnitOfWork) -> None:
    with _repository(uow) as repo:
        renamed = _load(repo.get_specialism, "Specialisme", cmd.specialism_id).rename(model.clean_name(cmd.name))
        if renamed is None:
            return
        repo.save_specialism(renamed)
        _commit(uow, events.SPECIALISM_RENAMED, events.specialism_state(renamed))


def retire_specialism(cmd: commands.RetireSpecialism, uow: UnitOfWork) -> None:
    """Retire the specialism and its active conditions; take them out of every offering (set-based)."""
    with _repository(uow) as repo:
        retired = _load(repo.get_specialism, "Specialisme", cmd.specialism_id).retire()
        conditions = [c.retire() for c in repo.active_conditions_of(retired.id)]
        repo.save_specialism(retired)
        repo.retire_conditions([c.id for c in conditions])
        touched = repo.remove_from_offerings(specialism_ids=[retired.id], condition_ids=[c.id for c in conditions])
        publish_many(
            uow,
            [(events.CONDITION_RETIRED, events.condition_retired(c)) for c in conditions]
            + [(events.SPECIALISM_RETIRED, events.specialism_retired(retired))]
            + _offering_events(repo, touched),
        )
        uow.commit()


def _offering_events(repo: CatalogueRepository, institution_ids: Sequence[str]) -> list[tuple[str, dict[str, Any]]]:
    return [
        (events.OFFERING_CHANGED, events.offering_state(iid, revision, specs, conds))
        for iid, revision, specs, conds in repo.offering_states(institution_ids)
    ]


# conditions -----------------------------------------------------------------------------------
def _duplicate_condition(name: str) -> Conflict:
    return Conflict(f"Dit specialisme heeft al een aandoening {name!r}.", field="name")


def add_condition(cmd: commands.AddCondition, uow: UnitOfWork) -> str:
    name = model.clean_name(cmd.name)
    with _repository(uow) as repo:
        parent = repo.get_specialism(cmd.specialism_id)
        if parent is None or parent.retired:
            reason = (
                f"Specialisme {cmd.specialism_id} bestaat niet."
                if parent is None
                else f"Specialisme {parent.code} is vervallen."
            )
            raise InvalidInput(reason, field="specialism_id")
        item = model.Condition(_new_id(), parent.id, name, 1)
        taken = repo.condition_name_taken(parent.id, name)
        _write_unique(uow, partial(repo.add_condition, item), taken=taken, conflict=_duplicate_condition(name))
        _commit(uow, events.CONDITION_ADDED, events.condition_state(item))
    return item.id


def rename_condition(cmd: commands.RenameCondition, uow: UnitOfWork) -> None:
    with _repository(uow) as repo:
        current = _load(repo.get_condition, "Aandoening", cmd.condition_id)
        renamed = current.rename(model.clean_name(cmd.name))
        if renamed is None:
            return
        taken = repo.condition_name_taken(current.specialism_id, renamed.name, other_than=current.id)
        conflict = _duplicate_condition(renamed.name)
        _write_unique(uow, partial(repo.save_condition, renamed), taken=taken, conflict=conflict)
        _commit(uow, events.CONDITION_RENAMED, events.condition_state(renamed))


def retire_condition(cmd: commands.RetireCondition, uow: UnitOfWork) -> None:
    """Retire the condition and take it out of every offering that has it (set-based)."""
    with _repository(uow) as repo:
        retired = _load(repo.get_condition, "Aandoening", cmd.condition_id).retire()
        repo.save_condition(retired)
        touched = repo.remove_from_offerings(condition_ids=[retired.id])
        publish_many(
            uow, [(events.CONDITION_RETIRED, events.condition_retired(retired)), *_offering_events(repo, touched)]
        )
        uow.commit()
