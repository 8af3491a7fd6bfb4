"""Concurrent failed logins on real PostgreSQL: every failure counts, none collides, nothing answers 500."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor

from sqlalchemy import select

from identity.adapters.orm import login_throttle
from identity.domain.commands import Login
from identity.domain.exceptions import InvalidCredentials, Throttled


def test_simultaneous_first_failures_are_all_counted(runtime, clock, settings) -> None:
    attempts = settings.login_max_failures_per_account - 1

    def fail(number: int) -> str:
        command = Login(
            contract_year=2026, username="brand-new-name", password="Verkeerd123", client_address=f"10.0.0.{number}"
        )
        try:
            runtime.handle(command)
        except (InvalidCredentials, Throttled) as exc:
            return type(exc).__name__
        return "logged in"

    with ThreadPoolExecutor(max_workers=attempts) as pool:
        outcomes = list(pool.map(fail, range(attempts)))
    assert outcomes == ["InvalidCredentials"] * attempts
    with runtime.engine.connect() as connection:
        failures = connection.execute(
            select(login_throttle.c.failures).where(login_throttle.c.key == "account:brand-new-name")
        ).scalar_one()
    assert failures == attempts
