"""The purchasing teams' tools (issue 15): copy a collection and compare two collections.

Both are set-based (``adapters.collection_tools``). The copy is one transaction: it completes or
leaves nothing, and is recorded in the new collection's history as one change "gekopieerd uit …".
A large copy (more status rows than ``Settings.copy_job_rows``) runs as a job of kind ``copy`` in the
consumer process's worker, on the rollover's job machinery (``adapters.jobs``, ``rollover.run_job``),
with the same progress (rows done of rows total, written through a second connection).
"""

from __future__ import annotations

import dataclasses
import json
from collections.abc import Callable
from typing import Any

from sqlalchemy import Engine, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from contracting import queries
from contracting.adapters import jobs
from contracting.adapters.access import collection_ref, ensure_year_open, get_collection
from contracting.adapters.collection_list import own_collection_list
from contracting.adapters.collection_tools import (
    copy_statuses,
    count_rows,
    counts_per_pair,
    differences,
    linked_collection,
    predecessor_of,
)
from contracting.adapters.orm import rollover_job, status_change
from contracting.adapters.sql import new_id, now
from contracting.domain.commands import Actor, CopyCollection
from contracting.domain.events import CollectionCreated
from contracting.domain.exceptions import NotFound
from contracting.domain.model import Level, check_collection_fields
from contracting.service_layer.collections import ensure_name_free, insert_collection
from servicekit.db import UnitOfWork


def _check_copy(session: Session, actor: Actor, cmd: CopyCollection) -> Any:
    """The source collection, once the copy may be made: valid fields, open year, a free name."""
    source = get_collection(session, actor, cmd.source_collection_id)
    check_collection_fields(name=cmd.name, care_type=source["care_type"], collection_type=cmd.collection_type)
    ensure_year_open(session, actor.insurer_id, actor.year)
    ensure_name_free(session, actor, cmd.name)
    return source


def _write_copy(
    session: Session, actor: Actor, source: Any, cmd: CopyCollection, progress: Callable[[int], Any] | None = None
) -> tuple[str, dict[str, int]]:
    """The new collection row, its statuses (one ``INSERT ... SELECT`` per level) and its history."""
    copy_id = insert_collection(
        session,
        actor,
        name=cmd.name,
        care_type=source["care_type"],
        collection_type=cmd.collection_type,
        description=cmd.description,
    )
    written = copy_statuses(session, str(source["id"]), copy_id, with_remarks=cmd.with_remarks, progress=progress)
    _record_copy(session, actor, copy_id, source, sum(written.values()), cmd.with_remarks)
    return copy_id, written


def copy_collection(cmd: CopyCollection, actor: Actor, uow: UnitOfWork) -> dict[str, Any]:
    """R4: copy a collection of the login year (statuses at all levels; remarks if asked) under a new name."""
    with uow:
        session = uow.session
        own_collection_list(session)  # R16: no catalogue event applied half into the copy
        source = _check_copy(session, actor, cmd)
        copy_id, written = _write_copy(session, actor, source, cmd)
        row = get_collection(session, actor, copy_id)
        uow.emit(CollectionCreated(collection_ref(row)))
        uow.commit()
        return dict(row) | {"copied": written}


def start_copy(cmd: CopyCollection, actor: Actor, uow: UnitOfWork, job_rows: int) -> tuple[str, dict[str, Any]]:
    """A copy at once (``("collection", row)``), or, for a source of more than ``job_rows`` status rows, a
    job for the worker with the rollover's progress (``("job", job)``). A second start of the copy of the
    same source while its job is queued or running answers with that job."""
    with uow:
        source = _check_copy(uow.session, actor, cmd)
        large = count_rows(uow.session, str(source["id"])) > job_rows
    if not large:
        return "collection", copy_collection(cmd, actor, uow)
    try:
        return "job", _queue_copy(cmd, actor, uow)
    except IntegrityError:  # a simultaneous start queued it first (uq_job_active)
        with uow:
            running = jobs.active_job(uow.session, actor.insurer_id, actor.year, "copy", cmd.source_collection_id)
        return "job", queries.job_view(running) if running is not None else _queue_copy(cmd, actor, uow)


def copy_job(session: Session, actor: Actor, collection_id: str, job_id: str) -> dict[str, Any]:
    """A copy job of the actor's collection (another insurer's collection or job: not found)."""
    get_collection(session, actor, collection_id)
    return queries.get_job(session, job_id, actor.insurer_id, kind="copy", subject_id=collection_id)


def _queue_copy(cmd: CopyCollection, actor: Actor, uow: UnitOfWork) -> dict[str, Any]:
    with uow:
        session = uow.session
        running = jobs.active_job(session, actor.insurer_id, actor.year, "copy", cmd.source_collection_id)
        if running is not None:
            return queries.job_view(running)
        params = dataclasses.asdict(cmd) | {"user_id": actor.user_id, "user_name": actor.user_name}
        row = jobs.queue_job(
            session,
            kind="copy",
            insurer_id=actor.insurer_id,
            from_year=actor.year,
            to_year=actor.year,
            subject_id=cmd.source_collection_id,
            params=json.dumps(params),
            requested_by=actor.user_name,
        )
        uow.commit()
        return queries.job_view(row)


def run_copy(job_id: str, uow_factory: Callable[[], UnitOfWork], engine: Engine) -> dict[str, Any]:
    """A worker runs a queued copy job: one transaction as the copy at once, progress after each level."""
    track = engine.dialect.name == "postgresql"  # SQLite has one writer: progress only at the end
    with uow_factory() as uow:
        session = uow.session
        own_collection_list(session)  # R16, as the copy at once
        job = session.execute(select(rollover_job).where(rollover_job.c.id == job_id)).mappings().one()
        params = json.loads(job["params"])
        actor = Actor(str(job["insurer_id"]), int(job["from_year"]), params.pop("user_id"), params.pop("user_name"))
        cmd = CopyCollection(**params)
        source = _check_copy(session, actor, cmd)  # again: the name may have been taken meanwhile
        total = count_rows(session, str(source["id"]))
        if track:
            jobs.set_job(engine, job_id, rows_total=total)
        progress = (lambda done: jobs.set_job(engine, job_id, rows_done=done)) if track else None
        copy_id, written = _write_copy(session, actor, source, cmd, progress)
        uow.emit(CollectionCreated(collection_ref(get_collection(session, actor, copy_id))))
        uow.commit()
    done = sum(written.values())
    return {"rows_total": total, "rows_done": done, "collections_copied": 1, "result_id": copy_id}


def _record_copy(session: Session, actor: Actor, copy_id: str, source: Any, count: int, with_remarks: bool) -> None:
    scope = {
        "kind": "copy",
        "from_collection_id": str(source["id"]),
        "from_name": source["name"],
        "with_remarks": with_remarks,
        "description": f"gekopieerd uit '{source['name']}'",
    }
    session.execute(
        status_change.insert().values(
            id=new_id(),
            insurer_id=actor.insurer_id,
            year=actor.year,
            collection_id=copy_id,
            level=Level.INSTITUTION.value,
            kind="copy",
            status=None,
            cascade=True,
            scope=json.dumps(scope),
            count=count,
            actor_id=actor.user_id,
            actor_name=actor.user_name,
            at=now(),
        )
    )


def compare_collections(
    session: Session, actor: Actor, collection_id: str, other_id: str | None, args: dict[str, Any]
) -> dict[str, Any]:
    """Per level the rows whose status differs, with counts per pair of statuses.

    Without ``other_id`` the collection is compared with its predecessor of last year (the rollover's source).
    """
    this = get_collection(session, actor, collection_id)
    if other_id is not None:
        other = get_collection(session, actor, other_id)
    else:
        other = predecessor_of(session, actor.insurer_id, this)
        if other is None:
            raise NotFound(
                f"De collectie '{this['name']}' heeft geen voorganger in {this['year'] - 1}; kies een collectie "
                "om mee te vergelijken.",
                field="other_collection_id",
            )
    levels = [Level(args["level"])] if args.get("level") else list(Level)
    result: dict[str, Any] = {}
    for level in levels:
        rows = differences(session, level, str(this["id"]), str(other["id"]), args)
        result[level.value] = {"counts": counts_per_pair(rows), "items": rows}
    return {
        "collection": _side(this),
        "other_collection": _side(other),
        "levels": result,
    }


def compare_product(session: Session, actor: Actor, product_id: str, args: dict[str, Any]) -> dict[str, Any]:
    """For a product: the differences of its linked collection against last year's predecessor.

    What a policy holder's contracted care changed. Contracting knows which product links which collection
    from products' events (its own copy of the links), so no call to the products service is needed; a
    product of another insurer, or one linking nothing this year, is not found (404).
    """
    linked = linked_collection(session, actor.insurer_id, actor.year, product_id)
    if linked is None:
        raise NotFound(
            f"Dit product is in {actor.year} niet gekoppeld aan een collectie van uw verzekeraar "
            "(Producten > Koppel producten).",
            field="product_id",
            rule="R13",
        )
    return compare_collections(session, actor, str(linked["id"]), None, args) | {"product_id": product_id}


def _side(row: Any) -> dict[str, Any]:
    return {"collection_id": str(row["id"]), "name": row["name"], "contract_year": row["year"]}


#: The status shown for the side of a comparison that has no row (the row is in one collection only).
NO_ROW = "geen rij"

COMPARE_CSV_HEADER = [
    "niveau",
    "instelling_id",
    "instelling",
    "agb_code",
    "onderdeel_id",
    "onderdeel",
    "status",
    "status_vergeleken",
    "gewijzigd_door",
    "gewijzigd_door_vergeleken",
]


def compare_rows(comparison: dict[str, Any]) -> list[list[Any]]:
    """The differences as spreadsheet lines (header first) for the CSV/XLSX export."""
    lines: list[list[Any]] = [COMPARE_CSV_HEADER]
    for level, answer in comparison["levels"].items():
        for item in answer["items"]:
            lines.append(
                [
                    level,
                    item["institution_id"],
                    item["institution_name"],
                    item["agb_code"],
                    item["subject_id"] or "",
                    item["subject_name"] or "",
                    item["status"] or NO_ROW,
                    item["other_status"] or NO_ROW,
                    item["changed_by"] or "",
                    item["other_changed_by"] or "",
                ]
            )
    return lines
