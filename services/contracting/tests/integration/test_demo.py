"""The demo data for ``make run``: three collections per demo insurer for 2026, idempotent."""

from __future__ import annotations

from sqlalchemy import func, select

from contracting.adapters.orm import collection
from contracting.demo import DEMO_INSURERS, insurer_id, seed_demo


def test_demo_seed_is_idempotent(runtime) -> None:
    seed_demo(runtime)
    seed_demo(runtime)
    with runtime.engine.connect() as connection:
        rows = connection.execute(select(collection.c.insurer_id, func.count()).group_by(collection.c.insurer_id)).all()
    assert {str(i): n for i, n in rows} == {insurer_id(slug): 3 for slug in DEMO_INSURERS}
    assert insurer_id("zilverenkruis") == "81d87f82-c9c5-5c74-ac0f-57e075884185"
