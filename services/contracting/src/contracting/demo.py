"""Demo data for ``make run``: idempotent, written through the service's own handlers."""

from __future__ import annotations

from contracting.bootstrap import Runtime


def seed_demo(runtime: Runtime) -> None:
    """Nothing yet: the contracting service's issue adds its demo data here."""
