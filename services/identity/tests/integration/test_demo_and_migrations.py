"""Demo data is idempotent; migrations run forwards and backwards on SQLite (``make run``) too."""

from __future__ import annotations

import re
from pathlib import Path

from alembic import command
from sqlalchemy import create_engine, func, inspect, select

from identity.adapters.orm import insurer, user_account
from identity.bootstrap import alembic_config
from identity.demo import DEMO_PASSWORD, USERS, seed_demo
from identity.domain.model import USER_ROLES
from servicekit.testing.outbox import outbox_events


def test_seeding_twice_changes_nothing(runtime, clock) -> None:
    seed_demo(runtime)
    seed_demo(runtime)
    with runtime.engine.connect() as connection:
        assert connection.execute(select(func.count()).select_from(insurer)).scalar() == 4
        assert connection.execute(select(func.count()).select_from(user_account)).scalar() == len(USERS)
        roles = set(connection.execute(select(user_account.c.role)).scalars())
    assert roles == set(USER_ROLES)
    assert len(outbox_events(runtime.engine, "identity.insurer.registered")) == 4


def test_the_accounts_table_lists_every_demo_user() -> None:
    table = (Path(__file__).resolve().parents[2] / "DEMO_ACCOUNTS.md").read_text(encoding="utf-8")
    assert "| role | insurer | username | password |" in table
    for username, _, role, _ in USERS:
        assert re.search(rf"\| {role} \| [^|]+ \| `{re.escape(username)}` \| `{re.escape(DEMO_PASSWORD)}` \|", table), (
            username
        )


def test_migrations_upgrade_and_downgrade_on_sqlite(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'identity.sqlite3'}"
    config = alembic_config(url)
    command.upgrade(config, "head")
    engine = create_engine(url)
    assert {"insurer", "user_account", "user_session", "api_key", "login_throttle"} <= set(
        inspect(engine).get_table_names()
    )
    command.downgrade(config, "0001")
    assert "user_account" not in inspect(engine).get_table_names()
    engine.dispose()
