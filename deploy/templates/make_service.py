"""Stamp out a new service skeleton: ``python deploy/templates/make_service.py <name> <port> "<title>"``.

Every service starts identical (chassis, outbox/inbox migration, relay, consumer, migrate step,
health, tests), so adding one is one command and the parts that must agree cannot drift.
"""

from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

FILES: dict[str, str] = {
"pyproject.toml": '''[build-system]
requires = ["setuptools>=68"]
build-backend = "setuptools.build_meta"

[project]
name = "{name}"
version = "0.1.0"
description = "{title}"
requires-python = ">=3.11"
dependencies = ["servicekit", "gunicorn>=22"]

[tool.setuptools.packages.find]
where = ["src"]
''',
"alembic.ini": '''[alembic]
script_location = %(here)s/migrations
# The URL comes from {upper}_DATABASE_URL through {name}.config; nothing is set here.

[loggers]
keys = root

[handlers]
keys = console

[formatters]
keys = generic

[logger_root]
level = WARNING
handlers = console

[handler_console]
class = StreamHandler
args = (sys.stderr,)
formatter = generic

[formatter_generic]
format = %(levelname)s %(name)s %(message)s
''',
"migrations/env.py": '''"""Alembic environment: the URL comes from the service's settings, the schema from its ORM metadata."""

from alembic import context
from sqlalchemy import create_engine, pool

from {name}.adapters.orm import metadata
from {name}.config import Settings

url = context.config.attributes.get("database_url") or Settings.from_env().database_url


def run_migrations_offline() -> None:
    context.configure(url=url, target_metadata=metadata, literal_binds=True, render_as_batch=url.startswith("sqlite"))
    with context.begin_transaction():
        context.run_migrations()


def run_migrations_online() -> None:
    engine = create_engine(url, poolclass=pool.NullPool)
    with engine.connect() as connection:
        context.configure(connection=connection, target_metadata=metadata, render_as_batch=url.startswith("sqlite"))
        with context.begin_transaction():
            context.run_migrations()
    engine.dispose()


if context.is_offline_mode():
    run_migrations_offline()
else:
    run_migrations_online()
''',
"migrations/script.py.mako": '''"""${{message}}

Revision ID: ${{up_revision}}
Revises: ${{down_revision | comma,n}}
Create Date: ${{create_date}}
"""

import sqlalchemy as sa
from alembic import op
${{imports if imports else ""}}

revision = ${{repr(up_revision)}}
down_revision = ${{repr(down_revision)}}
branch_labels = ${{repr(branch_labels)}}
depends_on = ${{repr(depends_on)}}


def upgrade() -> None:
    ${{upgrades if upgrades else "pass"}}


def downgrade() -> None:
    ${{downgrades if downgrades else "pass"}}
''',
"migrations/versions/0001_messaging.py": '''"""Outbox and inbox tables.

Revision ID: 0001
Revises:
"""

from alembic import op

from servicekit.migrations import create_messaging_tables, drop_messaging_tables

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    create_messaging_tables(op)


def downgrade() -> None:
    drop_messaging_tables(op)
''',
"src/{name}/__init__.py": '''"""{title}."""

SERVICE = "{name}"
''',
"src/{name}/config.py": '''"""Settings of the {name} service, read from the environment and validated at start-up."""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass

from servicekit.settings import BaseSettings, base_settings_from_env

from {name} import SERVICE


@dataclass(frozen=True)
class Settings(BaseSettings):
    @classmethod
    def from_env(cls, env: Mapping[str, str] | None = None) -> Settings:
        env = os.environ if env is None else env
        base = base_settings_from_env(SERVICE, env)
        return cls(**base.__dict__)
''',
"src/{name}/adapters/__init__.py": "",
"src/{name}/adapters/orm.py": '''"""SQLAlchemy 2 tables of the {name} service (its own database; no other service reads them)."""

from sqlalchemy import MetaData

from servicekit.messaging.tables import messaging_tables

metadata = MetaData(
    naming_convention={{
        "ix": "ix_%(column_0_label)s",
        "uq": "uq_%(table_name)s_%(column_0_name)s",
        "ck": "ck_%(table_name)s_%(constraint_name)s",
        "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
        "pk": "pk_%(table_name)s",
    }}
)
outbox_message, inbox_message = messaging_tables(metadata)
''',
"src/{name}/integration/__init__.py": "",
"src/{name}/integration/inbound.py": '''"""Integration events this service consumes: event type -> handler, one queue per purpose."""

from __future__ import annotations

from servicekit.messaging.consumer import Subscription

from {name} import SERVICE


def subscriptions() -> list[Subscription]:
    return []
''',
"src/{name}/api/__init__.py": '''"""HTTP resources of the {name} service; routes only translate."""

from flask_smorest import Blueprint


def blueprints() -> list[Blueprint]:
    return []
''',
"src/{name}/bootstrap.py": '''"""Composition root: engine, sessions, unit of work, subscriptions. Nothing connects at import."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from alembic.config import Config
from alembic.script import ScriptDirectory
from sqlalchemy import Engine
from sqlalchemy.orm import Session, sessionmaker

from servicekit.db import UnitOfWork, create_db_engine, session_factory
from servicekit.messaging.consumer import Subscription

from {name} import SERVICE
from {name}.config import Settings
from {name}.integration.inbound import subscriptions

SERVICE_ROOT = Path(__file__).resolve().parents[2]


def alembic_config(database_url: str) -> Config:
    config = Config(str(SERVICE_ROOT / "alembic.ini"))
    config.set_main_option("script_location", str(SERVICE_ROOT / "migrations"))
    config.attributes["database_url"] = database_url
    return config


def migration_head() -> str:
    head = ScriptDirectory.from_config(alembic_config("sqlite://")).get_current_head()
    assert head is not None
    return head


@dataclass
class Runtime:
    settings: Settings
    engine: Engine
    sessions: sessionmaker[Session]
    subscriptions: list[Subscription] = field(default_factory=list)

    def unit_of_work(self) -> UnitOfWork:
        return UnitOfWork(self.sessions, producer=SERVICE)


def bootstrap(settings: Settings | None = None) -> Runtime:
    settings = settings or Settings.from_env()
    engine = create_db_engine(settings.database_url)
    return Runtime(settings, engine, session_factory(engine), subscriptions())
''',
"src/{name}/manage.py": '''"""Explicit steps: ``python -m {name}.manage migrate`` (schema + broker topology), ``dead-letters``."""

from __future__ import annotations

import argparse
import json

from alembic import command

from servicekit.messaging.deadletters import DeadLetterQueue
from servicekit.runtime import declare_topology

from {name}.bootstrap import alembic_config, bootstrap
from {name}.demo import seed_demo
from {name}.config import Settings
from {name}.integration.inbound import subscriptions


def migrate(settings: Settings, *, topology: bool = True) -> None:
    command.upgrade(alembic_config(settings.database_url), "head")
    if topology:
        declare_topology(settings, subscriptions())


def dead_letter_queues(settings: Settings) -> dict[str, DeadLetterQueue]:
    prefix, url = settings.messaging.queue_prefix, settings.messaging.amqp_url
    return {{
        s.purpose: DeadLetterQueue(url, s.queue_spec.name(prefix), s.queue_spec.dead_letter_name(prefix))
        for s in subscriptions()
    }}


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="{name}.manage")
    sub = parser.add_subparsers(dest="command", required=True)
    sub.add_parser("migrate", help="alembic upgrade head, then declare the broker topology")
    sub.add_parser("seed-demo", help="load the demo data (idempotent)")
    listing = sub.add_parser("dead-letters", help="list dead letters of a purpose")
    listing.add_argument("purpose")
    replay = sub.add_parser("replay", help="replay dead letters (all, or --id ...) of a purpose")
    replay.add_argument("purpose")
    replay.add_argument("--id", action="append", dest="ids")
    args = parser.parse_args(argv)
    settings = Settings.from_env()
    if args.command == "migrate":
        migrate(settings)
    elif args.command == "seed-demo":
        seed_demo(bootstrap(settings))
    elif args.command == "dead-letters":
        letters = dead_letter_queues(settings)[args.purpose].list()
        print(json.dumps([letter.to_dict() for letter in letters], indent=2, ensure_ascii=False))
    else:
        count = dead_letter_queues(settings)[args.purpose].replay(set(args.ids) if args.ids else None)
        print(f"replayed {{count}}")


if __name__ == "__main__":
    main()
''',
"src/{name}/demo.py": '''"""Demo data for ``make run``: idempotent, written through the service's own handlers."""

from __future__ import annotations

from {name}.bootstrap import Runtime


def seed_demo(runtime: Runtime) -> None:
    """Nothing yet: the {name} service's issue adds its demo data here."""
''',
"src/{name}/app.py": '''"""``create_app``: the {name} service's HTTP API on the shared chassis."""

from __future__ import annotations

from flask import Flask

from servicekit.app import create_service_app
from servicekit.health import database_check, migrations_check

from {name}.api import blueprints
from {name}.bootstrap import Runtime, bootstrap, migration_head


def create_app(runtime: Runtime | None = None) -> Flask:
    runtime = runtime or bootstrap()
    app = create_service_app(
        runtime.settings,
        title="{title}",
        version="1",
        description="{description}",
        blueprints=blueprints(),
        readiness=[database_check(runtime.engine), migrations_check(runtime.engine, migration_head())],
    )
    app.extensions["runtime"] = runtime
    return app
''',
"src/{name}/wsgi.py": '''"""gunicorn entry point: ``gunicorn {name}.wsgi:app``."""

from servicekit.logs import configure_logging

from {name}.app import create_app
from {name}.config import Settings

_settings = Settings.from_env()
configure_logging("{name}", _settings.log_level, _settings.log_format)
app = create_app()
''',
"src/{name}/relay.py": '''"""Outbox relay process: ``python -m {name}.relay``."""

from servicekit.runtime import run_relay

from {name}.bootstrap import bootstrap


def main() -> None:
    runtime = bootstrap()
    run_relay(runtime.settings, runtime.engine)


if __name__ == "__main__":
    main()
''',
"src/{name}/consumer.py": '''"""Event consumer process: ``python -m {name}.consumer``."""

from servicekit.runtime import run_consumers

from {name}.bootstrap import bootstrap


def main() -> None:
    runtime = bootstrap()
    run_consumers(runtime.settings, runtime.engine, runtime.subscriptions)


if __name__ == "__main__":
    main()
''',
"tests/conftest.py": '''"""Fixtures of the {name} service's tests: a migrated PostgreSQL database of this run's own."""

from servicekit.testing.service import service_fixtures

from {name}.adapters.orm import metadata
from {name}.app import create_app
from {name}.bootstrap import bootstrap
from {name}.config import Settings
from {name}.manage import migrate

settings, runtime, _clean_tables, app, client = service_fixtures(
    service="{name}",
    settings_from_env=Settings.from_env,
    bootstrap=bootstrap,
    create_app=create_app,
    migrate=migrate,
    metadata=metadata,
)
''',
"tests/api/test_health.py": '''"""Chassis of the {name} service: health, error body, OpenAPI, identity token."""

from servicekit.testing.service import ChassisChecks


class TestChassis(ChassisChecks):
    service = "{name}"
    title = "{title}"
''',
}

DESCRIPTIONS = {
    "identity": "Insurers, users, roles, sessions and API keys; answers the gateway's session check.",
    "catalogue": "Master data kept by catalogue maintainers: institutions, groups, departments, conditions, offerings.",
    "contracting": "Contract years, collections and contract statuses at institution, department and condition level.",
    "products": "Companies and products of insurers, and the link of each product to a contract collection.",
    "support": "Problem reports and data change requests, handled by the catalogue maintainers.",
}


def make(name: str, title: str) -> None:
    base = ROOT / "services" / name
    values = {"name": name, "upper": name.upper(), "title": title, "description": DESCRIPTIONS.get(name, title)}
    for relative, template in FILES.items():
        path = base / relative.format(**values)
        if path.exists():
            continue
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(template.format(**values) if template else "")
    for folder in ("tests/unit", "tests/integration", "tests/contract", "tests/api"):
        (base / folder).mkdir(parents=True, exist_ok=True)


if __name__ == "__main__":
    make(sys.argv[1], sys.argv[2])
