"""The portal's settings are validated at start-up, naming the variable."""

from __future__ import annotations

from pathlib import Path

import pytest

from portal.config import Settings
from servicekit.settings import SettingsError


def secret(tmp_path: Path, value: str = "s" * 64) -> str:
    path = tmp_path / "secret"
    path.write_text(value)
    return str(path)


def test_defaults_and_values(tmp_path: Path) -> None:
    settings = Settings.from_env({"PORTAL_SECRET_KEY_FILE": secret(tmp_path)})
    assert settings.gateway_url == "http://127.0.0.1:8080" and settings.idle_seconds is None
    tuned = Settings.from_env(
        {
            "PORTAL_SECRET_KEY_FILE": secret(tmp_path),
            "PORTAL_GATEWAY_URL": "http://gw:8080/",
            "PORTAL_IDLE_SECONDS": "90",
            "PORTAL_IMPORT_TIMEOUT": "45",
        }
    )
    assert tuned.gateway_url == "http://gw:8080" and tuned.idle_seconds == 90
    assert (settings.api_timeout, settings.import_timeout, tuned.import_timeout) == (30.0, 60.0, 45.0)


@pytest.mark.parametrize(
    ("env", "named"),
    [
        ({}, "PORTAL_SECRET_KEY_FILE"),
        ({"PORTAL_SECRET_KEY_FILE": "/nonexistent/secret"}, "PORTAL_SECRET_KEY_FILE"),
        ({"PORTAL_GATEWAY_URL": "gateway:8080"}, "PORTAL_GATEWAY_URL"),
        ({"PORTAL_IDLE_SECONDS": "tien"}, "PORTAL_IDLE_SECONDS"),
    ],
)
def test_a_bad_value_stops_the_start_naming_the_variable(tmp_path: Path, env: dict[str, str], named: str) -> None:
    base = {} if named == "PORTAL_SECRET_KEY_FILE" else {"PORTAL_SECRET_KEY_FILE": secret(tmp_path)}
    with pytest.raises(SettingsError, match=named):
        Settings.from_env(base | env)


def test_a_short_secret_is_refused(tmp_path: Path) -> None:
    with pytest.raises(SettingsError, match="32 bytes"):
        Settings.from_env({"PORTAL_SECRET_KEY_FILE": secret(tmp_path, "kort")})
