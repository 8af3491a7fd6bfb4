"""Concurrent failed logins on real PostgreSQL: every failure counts, none collides, nothing answers 500.

The attempts come from one address for one new username, so they race on the same two throttle rows
(the pair and the address), both created by the first failures at the same moment.
"""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor

from sqlalchemy import select

from identity.adapters.orm import login_throttle
from identity.domain.commands import Login
from identity.domain.exceptions import InvalidCredentials, Throttled
from identity.domain.throttle import login_keys


def test_simultaneous_first_failures_are_all_counted(runtime, clock, settings) -> None:
    attempts = settings.login_max_failures_per_account - 1

    def fail(number: int) -> str:
        command = Login(
            contract_year=2026, username="brand-new-name", password="Verkeerd123", client_address="10.0.0.1"
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
        failures = dict(
            connection.execute(
                select(login_throttle.c.key, login_throttle.c.failures).where(
                    login_throttle.c.key.in_(login_keys("brand-new-name", "10.0.0.1"))
                )
            ).all()
        )
    assert sorted(failures.values()) == [attempts, attempts]
