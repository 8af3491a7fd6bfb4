"""Settings: one explicit URL per dependency, validated at start-up with the variable named."""

from __future__ import annotations

import pytest

from servicekit.settings import SettingsError, base_settings_from_env


def test_embedded_defaults_need_no_server(tmp_path) -> None:  # type: ignore[no-untyped-def]
    settings = base_settings_from_env("catalogue", {"DATA_DIR": str(tmp_path)})
    assert settings.database_url == f"sqlite:///{tmp_path}/catalogue.sqlite3"
    assert settings.messaging.is_memory


def test_postgres_urls_are_pinned_to_psycopg3() -> None:
    settings = base_settings_from_env(
        "catalogue", {"CATALOGUE_DATABASE_URL": "postgresql://u@h/db", "AMQP_URL": "amqp://h//"}
    )
    assert settings.database_url == "postgresql+psycopg://u@h/db"
    assert not settings.messaging.is_memory


@pytest.mark.parametrize(
    ("env", "named"),
    [
        ({"CATALOGUE_DATABASE_URL": "mysql://h/db"}, "CATALOGUE_DATABASE_URL"),
        ({"AMQP_URL": "redis://h"}, "AMQP_URL"),
        ({"MAX_DELIVERY_ATTEMPTS": "0"}, "MAX_DELIVERY_ATTEMPTS"),
        ({"RELAY_POLL_INTERVAL": "soon"}, "RELAY_POLL_INTERVAL"),
        ({"LOG_LEVEL": "LOUD"}, "LOG_LEVEL"),
        ({"IDENTITY_PUBLIC_KEY_FILE": "/no/such/key.pem"}, "IDENTITY_PUBLIC_KEY_FILE"),
    ],
)
def test_bad_values_fail_fast_naming_the_variable(env: dict[str, str], named: str) -> None:
    with pytest.raises(SettingsError, match=named):
        base_settings_from_env("catalogue", env)
