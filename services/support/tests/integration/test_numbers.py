"""R14/R15 readable numbers under real concurrency on PostgreSQL: no number twice, none skipped."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import select

from conftest import INSURER_A
from support.adapters.orm import problem_report
from support.domain.commands import Actor, CreateReport
from support.domain.model import Side
from support.service_layer.reports import create_report

FIELDS = {"name": "Anna", "email": "anna@zk.example", "description": "Tegelijk gemeld."}


def test_r14_concurrent_reports_get_consecutive_numbers_of_their_year(runtime: Any) -> None:
    actor = Actor(Side.INSURER, "user-a", "zk-inkoper", INSURER_A)
    at = datetime(2031, 3, 2, 10, 0, tzinfo=UTC)  # the first reports of a year: the counter row is made

    def create(_: int) -> str:
        return create_report(CreateReport(actor, FIELDS, at), runtime.unit_of_work())

    with ThreadPoolExecutor(max_workers=4) as pool:
        ids = list(pool.map(create, range(12)))
    with runtime.engine.connect() as connection:
        numbers = sorted(connection.execute(select(problem_report.c.number)).scalars())
    assert len(ids) == 12
    assert numbers == [f"MP-2031-{n:04d}" for n in range(1, 13)]
