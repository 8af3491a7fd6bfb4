"""The demo data for ``make run``: three collections per demo insurer for 2026, and once the catalogue
has arrived, a purchasing team's decisions made with the ordinary saves (R5, R7), recorded in history."""

from __future__ import annotations

from typing import Any

from sqlalchemy import func, select

from conftest import World
from contracting.adapters.orm import collection, condition_status, department_status, institution_status, status_change
from contracting.demo import DEMO_BUYER, DEMO_INSURERS, insurer_id, seed_demo


def _demo_collection(runtime: Any, slug: str, name: str) -> str:
    with runtime.engine.connect() as connection:
        return str(
            connection.execute(
                select(collection.c.id).where(collection.c.insurer_id == insurer_id(slug), collection.c.name == name)
            ).scalar_one()
        )


def _statuses(runtime: Any, table: Any, collection_id: str, institution_id: str) -> set[tuple[str, bool]]:
    with runtime.engine.connect() as connection:
        rows = connection.execute(
            select(table.c.status, table.c.is_new).where(
                table.c.collection_id == collection_id, table.c.institution_id == institution_id
            )
        ).all()
    return {(row.status, bool(row.is_new)) for row in rows}


def _history_count(runtime: Any) -> int:
    with runtime.engine.connect() as connection:
        return int(connection.execute(select(func.count()).select_from(status_change)).scalar_one())


def test_demo_seed_without_a_catalogue_creates_the_collections_and_decides_nothing(runtime) -> None:
    seed_demo(runtime, settle_timeout=0.5, quiet_for=0.1)
    seed_demo(runtime, settle_timeout=0.5, quiet_for=0.1)
    with runtime.engine.connect() as connection:
        rows = connection.execute(select(collection.c.insurer_id, func.count()).group_by(collection.c.insurer_id)).all()
    assert {str(i): n for i, n in rows} == {insurer_id(slug): 3 for slug in DEMO_INSURERS}
    assert insurer_id("zilverenkruis") == "81d87f82-c9c5-5c74-ac0f-57e075884185"
    assert _history_count(runtime) == 0


def test_r5_r7_demo_decisions_are_ordinary_saves_with_history_and_are_made_once(runtime, world: World) -> None:
    seed_demo(runtime, settle_timeout=10, quiet_for=0.2)

    basis = _demo_collection(runtime, "zilverenkruis", "Basis 2026")
    for dutch in (world.umc, world.general, world.zbc):  # R7: FULL cascades to every department and condition
        for table in (institution_status, department_status, condition_status):
            assert _statuses(runtime, table, basis, dutch) == {("FULL", False)}
    assert _statuses(runtime, institution_status, basis, world.foreign) == {("NOT_CONTRACTED", False)}

    vgz_basis = _demo_collection(runtime, "vgz", "Basis 2026")
    assert _statuses(runtime, condition_status, vgz_basis, world.zbc) == {("IN_NEGOTIATION", False)}

    selective = _demo_collection(runtime, "menzis", "Selectief 2026")
    assert _statuses(runtime, institution_status, selective, world.general) == {("FULL", False)}
    assert _statuses(runtime, institution_status, selective, world.umc) == {("PARTIAL", False)}
    with runtime.engine.connect() as connection:
        umc_departments = dict(
            connection.execute(
                select(department_status.c.specialism_id, department_status.c.status).where(
                    department_status.c.collection_id == selective, department_status.c.institution_id == world.umc
                )
            ).all()
        )
    assert {str(k): v for k, v in umc_departments.items()} == {world.cardio: "FULL", world.eye: "FULL"}
    assert _statuses(runtime, institution_status, selective, world.zbc) == {("NOT_CONTRACTED", False)}

    restitution = _demo_collection(runtime, "cz", "Restitutie 2026")
    assert _statuses(runtime, institution_status, restitution, world.foreign) == {("FULL", False)}

    with runtime.engine.connect() as connection:
        actors = set(connection.execute(select(status_change.c.actor_name).distinct()).scalars())
    assert actors == {DEMO_BUYER}
    decided = _history_count(runtime)
    assert decided > 0

    seed_demo(runtime, settle_timeout=10, quiet_for=0.2)
    assert _history_count(runtime) == decided  # a collection with any saved change is left alone


def test_demo_decisions_reread_a_listing_a_late_catalogue_event_changed(runtime, world: World, monkeypatch) -> None:
    """R5's If-Match guards the demo too: on 412 it re-reads the version and saves again, as a user would."""
    import contracting.demo as demo
    from contracting.domain.exceptions import PreconditionFailed

    real_apply = demo.apply_to_shown
    refused: list[int] = []

    def first_save_meets_a_late_event(command, actor, uow):  # type: ignore[no-untyped-def]
        if refused:
            return real_apply(command, actor, uow)
        world.catalogue.close(world.general)  # bumps the collection's status_version under the save
        try:
            return real_apply(command, actor, uow)
        except PreconditionFailed:
            refused.append(command.if_match)
            raise

    monkeypatch.setattr(demo, "apply_to_shown", first_save_meets_a_late_event)
    seed_demo(runtime, settle_timeout=10, quiet_for=0.2)
    basis = _demo_collection(runtime, "zilverenkruis", "Basis 2026")
    assert refused and _statuses(runtime, institution_status, basis, world.umc) == {("FULL", False)}


def test_demo_decisions_that_keep_failing_do_not_stop_the_platform(runtime, world: World, monkeypatch, caplog) -> None:
    import contracting.demo as demo
    from contracting.domain.exceptions import PreconditionFailed

    def always_stale(command, actor, uow):  # type: ignore[no-untyped-def]
        raise PreconditionFailed("De collectie is gewijzigd.", field="If-Match")

    monkeypatch.setattr(demo, "apply_to_shown", always_stale)
    seed_demo(runtime, settle_timeout=10, quiet_for=0.2)  # returns: the collections exist, undecided
    assert "demo statuses not (all) decided" in caplog.text
    assert _history_count(runtime) == 0


def test_demo_decides_rows_that_came_late_and_leaves_a_users_collection_alone(
    runtime, world: World, api_b: Any
) -> None:
    """Issue 16 item 13: a catalogue event that arrives after the demo decided is decided by the next seed;
    applied again, the decisions write nothing else, and a collection a user has changed is not touched."""
    seed_demo(runtime, settle_timeout=10, quiet_for=0.2)
    decided = _history_count(runtime)
    basis = _demo_collection(runtime, "zilverenkruis", "Basis 2026")
    vgz_basis = _demo_collection(runtime, "vgz", "Basis 2026")
    menzis_basis = _demo_collection(runtime, "menzis", "Basis 2026")  # api_b is a purchaser of menzis
    saved = api_b.post(
        f"/collections/{menzis_basis}/institutions/apply-to-shown",
        json={"status": "IN_NEGOTIATION", "filter": {"type": "general_hospital"}, "cascade": True},
    )
    assert saved.status_code == 200, saved.json

    late_hospital = world.catalogue.institution("Laat Ziekenhuis", specialisms=(world.cardio,))
    late_zbc = world.catalogue.institution("Late Kliniek", type="zbc", specialisms=(world.cardio,))
    assert _statuses(runtime, institution_status, basis, late_hospital) == {("NOT_CONTRACTED", True)}

    seed_demo(runtime, settle_timeout=10, quiet_for=0.2)
    for table in (institution_status, department_status):
        assert _statuses(runtime, table, basis, late_hospital) == {("FULL", False)}
        assert _statuses(runtime, table, vgz_basis, late_zbc) == {("IN_NEGOTIATION", False)}
    assert _statuses(runtime, institution_status, vgz_basis, world.general) == {("FULL", False)}  # no flip-flop
    assert _statuses(runtime, institution_status, menzis_basis, late_hospital) == {("NOT_CONTRACTED", True)}
    repaired = _history_count(runtime)
    assert decided + 1 < repaired  # the user's save, and the repairs of the late rows

    seed_demo(runtime, settle_timeout=10, quiet_for=0.2)
    assert _history_count(runtime) == repaired  # decisions applied again change nothing


def test_settling_waits_while_messages_wait_in_the_queues() -> None:
    """The local copy can be quiet while the broker still holds its next events: not settled then."""
    from contracting.demo import _settles

    waiting = iter([False, False, True])
    assert _settles(lambda: (5, 1), lambda: next(waiting), timeout=10, quiet_for=0.1)
    assert next(waiting, "done") == "done"  # asked until the queues were empty
    assert not _settles(lambda: (5, 1), lambda: False, timeout=0.6, quiet_for=0.1)
    assert not _settles(lambda: (0, 0), lambda: True, timeout=0.6, quiet_for=0.1)  # nothing arrived at all
