"""Demo data: open reports and requests of the demo insurers, one request overdue; idempotent."""

from __future__ import annotations

from typing import Any

from sqlalchemy import func, select

from conftest import Api, Catalogue
from support.adapters.orm import change_request, problem_report
from support.demo import seed_demo


def test_demo_data_has_open_items_and_one_overdue_request(runtime: Any, catalogue: Catalogue, maintainer: Api) -> None:
    seed_demo(runtime, settle_timeout=5)
    seed_demo(runtime, settle_timeout=5)  # a second run adds nothing
    with runtime.engine.connect() as connection:
        assert connection.scalar(select(func.count()).select_from(problem_report)) == 3
        assert connection.scalar(select(func.count()).select_from(change_request)) == 3
    listing = maintainer.get("/requests").json["items"]
    assert [r["overdue"] for r in listing] == [True, False, False]  # oldest first
    assert {r["status"] for r in listing} == {"submitted", "in_review"}
    statuses = {r["status"] for r in maintainer.get("/reports").json["items"]}
    assert statuses == {"new", "in_progress", "waiting_for_reporter"}


def test_demo_reports_without_a_catalogue_copy(runtime: Any, maintainer: Api) -> None:
    seed_demo(runtime, settle_timeout=0.5)
    assert maintainer.get("/reports").json["total"] == 3
    assert maintainer.get("/requests").json["total"] == 0
