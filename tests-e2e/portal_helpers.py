"""Helpers of the portal's browser tests: Debian's chromium through Playwright, axe-core, screenshots.

Every main screen is checked with axe-core (no serious or critical violation) and written to
``docs/screenshots/`` (committed), so a reviewer sees the portal without running anything.
"""

from __future__ import annotations

import uuid
from pathlib import Path
from typing import Any

import requests
from axe_playwright_python.sync_playwright import Axe
from helpers import DEMO_PASSWORD, login
from playwright.sync_api import Page

from zcp_runner.routes import REPO_ROOT

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--headless", "--disable-gpu", "--disable-background-networking"]
SCREENSHOTS = REPO_ROOT / "docs" / "screenshots"
BLOCKING_IMPACTS = {"serious", "critical"}
_AXE = Axe()


def log_in(page: Page, base: str, username: str, year: int = 2026, password: str = DEMO_PASSWORD) -> None:
    """The guide's login: contract year, username, password, "Log In"."""
    page.goto(f"{base}/inloggen")
    page.get_by_label("Contractjaar").select_option(str(year))
    page.get_by_label("Gebruikersnaam").fill(username)
    page.get_by_label("Wachtwoord", exact=True).fill(password)
    page.get_by_role("button", name="Log In").click()
    page.wait_for_url("**/contractering")


def check_screen(page: Page, name: str, *, full_page: bool = False) -> None:
    """axe-core on the screen as it is now (no serious/critical violation), then its screenshot."""
    results = _AXE.run(page)
    blocking = [v for v in results.response["violations"] if v.get("impact") in BLOCKING_IMPACTS]
    details = [(v["id"], v["impact"], [n["target"] for n in v["nodes"][:3]]) for v in blocking]
    assert not blocking, f"axe-core on {name}: {details}"
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / f"{name}.png"), full_page=full_page)


def api_session(gateway: str, username: str, year: int = 2026) -> dict[str, str]:
    return login(gateway, username, year)


def api(gateway: str, headers: dict[str, str], method: str, path: str, **kwargs: Any) -> Any:
    response = requests.request(method, f"{gateway}{path}", headers=headers, timeout=60, **kwargs)
    assert response.status_code < 300, f"{method} {path}: {response.status_code} {response.text[:500]}"
    return response.json() if response.content else None


def new_collection(gateway: str, headers: dict[str, str], kind: str = "selective") -> dict[str, Any]:
    """A collection of this test's own (every institution NOT_CONTRACTED), so tests never share rows."""
    name = f"E2E {kind} {uuid.uuid4().hex[:6]}"
    body = {"name": name, "care_type": "hospital", "collection_type": kind, "description": "browser test"}
    return dict(api(gateway, headers, "POST", "/api/contracting/collections", json=body))


def institutions(gateway: str, headers: dict[str, str], collection_id: str, **params: Any) -> list[dict[str, Any]]:
    page = api(
        gateway,
        headers,
        "GET",
        f"/api/contracting/collections/{collection_id}/institutions",
        params={"page_size": 500, **params},
    )
    return list(page["items"])


def screenshot_path(name: str) -> Path:
    return SCREENSHOTS / f"{name}.png"
