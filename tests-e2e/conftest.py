"""The whole platform as separate processes behind nginx, on real PostgreSQL and RabbitMQ.

One platform per test session: fresh databases (one per service) and this run's own exchange and
queue names, demo data seeded through each service's own seed step. Tests talk to the gateway only.

Start-up has its own time limit (``E2E_START_TIMEOUT``, 900 s: migrate, start, seed, ready) and never
counts against a test's ``--timeout``: every test here times its own body only (``func_only``), so
the first test on a loaded machine is not failed for the platform's start-up.
"""

from __future__ import annotations

import os
import socket
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest
import requests
from helpers import API_WORKERS, CONTRACTING_CONSUMERS, login
from playwright.sync_api import Browser, Page, expect, sync_playwright
from portal_helpers import CHROMIUM, CHROMIUM_ARGS

from servicekit.testing import wait_for
from zcp_runner.disposable import free_port_offset
from zcp_runner.processes import Platform, platform_from_env
from zcp_runner.routes import SERVICE_ORDER


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


#: where support sends e-mail in this run; nothing listens there until a test starts a catcher
SUPPORT_SMTP_PORT = _free_port()


@pytest.fixture(scope="session")
def support_smtp_port() -> int:
    return SUPPORT_SMTP_PORT


@pytest.fixture(scope="session")
def platform(database_factory, broker_namespace) -> Iterator[Platform]:  # type: ignore[no-untyped-def]
    env = {f"{name.upper()}_DATABASE_URL": database_factory.create(f"e2e_{name}") for name in SERVICE_ORDER}
    env.update(broker_namespace.env())
    env.update({"LOG_LEVEL": "INFO", "RELAY_POLL_INTERVAL": "0.05"})
    # a copy of a whole demo collection runs as a job, so the portal's copy shows its progress bar (issue 15)
    env.update({"COPY_JOB_ROWS": "1000"})
    # support's e-mails go to the SMTP catcher that test_support.py starts and stops on this port
    env.update({"SMTP_URL": f"smtp://127.0.0.1:{SUPPORT_SMTP_PORT}", "MAIL_POLL_INTERVAL": "0.2"})
    run_dir = Path(tempfile.mkdtemp(prefix="zcp-e2e-"))
    started = platform_from_env(run_dir, {**os.environ, **env}, port_offset=free_port_offset())
    try:
        started.start(
            seed_demo=True,
            workers=API_WORKERS,
            consumers={"contracting": CONTRACTING_CONSUMERS},
            timeout=float(os.environ.get("E2E_START_TIMEOUT", "900")),
        )
        settle(started.url, float(os.environ.get("E2E_SETTLE_TIMEOUT", "600")))
    except Exception:
        started.stop()
        raise
    yield started
    started.stop()  # the queues carry the run's prefix: the broker fixture removes them


def settle(gateway: str, timeout: float) -> None:
    """Start-up ends when the demo seed's events are handled: no message waits in any service's queues
    (the operations view's counts, as a platform admin). Tests then never queue behind the seed's backlog."""
    admin = login(gateway, "platform")

    def waiting() -> int:
        counts = [
            requests.get(f"{gateway}/api/{service}/dead-letters", headers=admin, timeout=30)
            for service in SERVICE_ORDER
        ]
        return sum(q["waiting"] for answer in counts if answer.status_code == 200 for q in answer.json())

    backlog: list[int] = []

    def quiet() -> bool:
        backlog.append(waiting())
        return len(backlog) >= 2 and backlog[-1] == backlog[-2] == 0

    wait_for(
        quiet,
        timeout=120,
        interval=1.0,
        message="the demo seed's events handled",
        progress=lambda: backlog[-1:],
        most=timeout,
    )


@pytest.fixture
def gateway(platform: Platform) -> str:
    return platform.url


@pytest.fixture
def http() -> Iterator[requests.Session]:
    with requests.Session() as session:
        yield session


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    """Debian's chromium (installed by deploy/scripts/install-system-deps.sh), one for the whole session."""
    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield launched
        launched.close()


@pytest.fixture
def page(browser: Browser) -> Iterator[Page]:
    """A fresh browser context per test: its own cookies, a desktop-sized window, Dutch locale."""
    context = browser.new_context(viewport={"width": 1366, "height": 900}, locale="nl-NL", accept_downloads=True)
    context.set_default_timeout(30_000)
    # Assertions wait as long as actions: on a loaded CI machine a cascade preview took over 5 s.
    expect.set_options(timeout=30_000)
    opened = context.new_page()
    yield opened
    context.close()


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line("markers", "fuzz: fuzzes the whole platform; runs after every other e2e test")


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Each test's timeout times its body only (the platform fixture has its own limits), and the fuzzer
    runs last: the data it leaves and the login throttle it trips must not reach other flows."""
    for item in items:
        if item.get_closest_marker("timeout") is None:
            item.add_marker(pytest.mark.timeout(func_only=True))
    items.sort(key=lambda item: item.get_closest_marker("fuzz") is not None)
