"""Plain ``pytest`` at the repository root: the suites cannot run together (each service's ``tests``
has its own fixtures and conftest), so say how to run one suite or one test instead of failing to
collect. Suites run from their own folders (`make test` runs them all) never load this file."""

from __future__ import annotations

from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent
HOW = """
This repository holds several test suites, each run from its own folder:

  make test                                   lint and every suite (what CI runs)
  cd services/identity && ../../.venv/bin/python -m pytest tests              one suite
  cd services/identity && ../../.venv/bin/python -m pytest tests/unit/test_throttle.py::test_keys   one test
  cd deploy && ../.venv/bin/python -m pytest tests                            gateway, runner, locks, migrations
  cd tests-e2e && ../.venv/bin/python -m pytest .                             the whole platform behind nginx

Suites: shared/tests, services/<name>/tests, deploy/tests, tests-e2e (see README.md, "Tests").
Services' tests need TEST_POSTGRES_URL and TEST_AMQP_URL (or a Docker engine).
"""


def pytest_configure(config: pytest.Config) -> None:
    targets = [Path(arg.split("::")[0]).resolve() for arg in config.args] or [Path.cwd()]
    if any(target == ROOT for target in targets):
        pytest.exit(HOW, returncode=4)
