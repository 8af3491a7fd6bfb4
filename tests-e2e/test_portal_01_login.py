"""User guide, "Hoe werkt het in- en uitloggen?" (R1, R2), in the browser through the gateway.

GIVEN the platform with demo data behind nginx, WHEN a purchasing team member logs in, logs out,
stays idle or changes the password, THEN the portal answers in Dutch as the guide says.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
import requests
from playwright.sync_api import Page, expect
from portal_helpers import check_screen, log_in

from servicekit.testing import wait_for
from zcp_runner.processes import Platform

SHORT_IDLE_SECONDS = 3


def test_r1_login_with_contract_year_and_a_wrong_password_gets_a_dutch_message(page: Page, gateway: str) -> None:
    """Guide §in- en uitloggen (R1): contract year, username, password, "Log In"; a wrong password is refused in Dutch."""
    page.goto(f"{gateway}/")
    expect(page).to_have_url(f"{gateway}/inloggen")
    expect(page.get_by_label("Contractjaar")).to_contain_text("2026")
    page.get_by_label("Gebruikersnaam").fill("zk-inkoper")
    page.get_by_label("Wachtwoord", exact=True).fill("Fout12345")
    page.get_by_role("button", name="Log In").click()
    expect(page.get_by_role("alert")).to_contain_text(
        "Onbekende combinatie van contractjaar, gebruikersnaam en wachtwoord"
    )
    check_screen(page, "01-inloggen-fout-wachtwoord")
    log_in(page, gateway, "zk-inkoper")
    expect(page.get_by_role("heading", level=1)).to_have_text("Contractering 2026")


def test_r1_uitloggen_top_right_ends_the_session_at_once(page: Page, gateway: str) -> None:
    """Guide §in- en uitloggen (R1): "Uitloggen" rechts boven ends the session; the pages need a new login."""
    log_in(page, gateway, "zk-inkoper")
    page.get_by_role("button", name="Uitloggen").click()
    expect(page.get_by_role("status")).to_contain_text("U bent uitgelogd")
    page.goto(f"{gateway}/contractering")
    expect(page).to_have_url(f"{gateway}/inloggen")


def test_r2_changing_the_password_names_the_broken_rule_next_to_the_field(page: Page, gateway: str) -> None:
    """R2: a new password that breaks the seed's rules is refused with the rule, next to the field."""
    log_in(page, gateway, "cz-inkoper")
    page.get_by_role("link", name="Wachtwoord wijzigen").click()
    page.get_by_label("Huidig wachtwoord").fill("Demo2026Zcp!")
    page.get_by_label("Nieuw wachtwoord", exact=True).fill("kort<1")
    page.get_by_label("Herhaal nieuw wachtwoord").fill("kort<1")
    page.get_by_role("button", name="Wachtwoord wijzigen").click()
    error = page.locator("#e-new_password")
    expect(error).to_contain_text("R2")
    expect(page.get_by_label("Nieuw wachtwoord", exact=True)).to_have_attribute("aria-invalid", "true")
    check_screen(page, "02-wachtwoord-wijzigen-r2")


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@pytest.fixture(scope="module")
def short_idle_portal(platform: Platform) -> Iterator[str]:
    """A second portal process with a 3-second idle time, on the same gateway (identity, APIs)."""
    port = _free_port()
    env = {**platform.env, "PORTAL_IDLE_SECONDS": str(SHORT_IDLE_SECONDS), "PORTAL_GATEWAY_URL": platform.url}
    log = open(Path(platform.run_dir) / "portal-short-idle.log", "ab")  # noqa: SIM115 - closed below
    args = [sys.executable, "-m", "gunicorn", "portal.wsgi:app", "--bind", f"127.0.0.1:{port}", "--workers", "1"]
    process = subprocess.Popen(args, env=env, stdout=log, stderr=subprocess.STDOUT, cwd=os.getcwd())
    url = f"http://127.0.0.1:{port}"

    def live() -> bool:
        try:
            return requests.get(f"{url}/api/portal/health/live", timeout=2).status_code == 200
        except requests.RequestException:
            return False

    try:
        wait_for(live, timeout=120, message="the short-idle portal answers")
        yield url
    finally:
        process.terminate()
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        log.close()


def test_r1_after_the_idle_time_the_user_is_logged_out_with_a_message(page: Page, short_idle_portal: str) -> None:
    """Guide §in- en uitloggen (R1): idle too long -> logged out, and the login page says why (short configured time)."""
    log_in(page, short_idle_portal, "menzis-inkoper")
    # No activity: the page's idle timer brings the browser to the login page by itself.
    page.wait_for_url(f"{short_idle_portal}/inloggen", timeout=(SHORT_IDLE_SECONDS + 15) * 1000)
    expect(page.get_by_role("status")).to_contain_text("automatisch uitgelogd")
    check_screen(page, "03-automatisch-uitgelogd")
    page.goto(f"{short_idle_portal}/contractering")
    expect(page).to_have_url(f"{short_idle_portal}/inloggen")


def test_the_session_cookie_is_httponly_samesite_and_secure_over_https(short_idle_portal: str) -> None:
    """Security: the portal's cookie is HttpOnly and SameSite, and Secure when the request came over HTTPS."""
    plain = requests.get(f"{short_idle_portal}/inloggen", timeout=10).headers["Set-Cookie"]
    assert "zcp_portal=" in plain and "HttpOnly" in plain and "SameSite=Lax" in plain
    assert "Secure" not in plain
    https = requests.get(f"{short_idle_portal}/inloggen", headers={"X-Forwarded-Proto": "https"}, timeout=10)
    assert "Secure" in https.headers["Set-Cookie"] and "HttpOnly" in https.headers["Set-Cookie"]
