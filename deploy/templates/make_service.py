"""Stamp out a new service skeleton: ``python deploy/templates/make_service.py <name> <port> "<title>"``.

Every service starts identical (chassis, outbox/inbox migration, relay, consumer, migrate step,
health, tests), so adding one is one command and the parts that must agree cannot drift.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

FILES: dict[str, str] = {
    "pyproject.toml": """[build-system]
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
""",
    "alembic.ini": """[alembic]
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
""",
    "migrations/env.py": '''"""Alembic environment: the URL from the service's settings, the schema from its ORM metadata."""

from servicekit.migrations import run_migrations

from {name}.adapters.orm import metadata
from {name}.config import Settings

run_migrations(metadata, default_url=lambda: Settings.from_env().database_url)
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
    "migrations/versions/0001_messaging.py": '''"""Outbox and inbox tables, written out as they were on the day this migration was made.

A migration is frozen: it never imports live table definitions (a later change to the kit's
``servicekit.messaging.tables`` must come as a new migration, or old and new databases would differ
while both report "ready"). ``deploy/tests/test_frozen_migrations.py`` checks that this schema
still equals the kit's definition, and that no migration imports live code.

Revision ID: 0001
Revises:
"""

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "outbox_message",
        # SQLite only auto-increments an INTEGER PRIMARY KEY, PostgreSQL wants a BIGINT identity.
        sa.Column("position", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), autoincrement=True),
        sa.Column("message_id", sa.String(36), nullable=False),
        sa.Column("event_type", sa.String(200), nullable=False),
        sa.Column("body", sa.Text(), nullable=False),
        sa.Column(
            "created_at", sa.DateTime(timezone=True), nullable=False, server_default=sa.text("CURRENT_TIMESTAMP")
        ),
        sa.Column("sent_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("attempts", sa.Integer(), nullable=False, server_default=sa.text("0")),
        sa.Column("next_attempt_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("last_error", sa.Text(), nullable=True),
        sa.PrimaryKeyConstraint("position"),
        sa.UniqueConstraint("message_id"),
    )
    op.create_index(
        "ix_outbox_message_unsent",
        "outbox_message",
        ["position"],
        postgresql_where=sa.text("sent_at IS NULL"),
        sqlite_where=sa.text("sent_at IS NULL"),
    )
    op.create_table(
        "inbox_message",
        sa.Column("message_id", sa.String(36), nullable=False),
        sa.Column("handler", sa.String(200), nullable=False),
        sa.Column("event_type", sa.String(200), nullable=False),
        sa.Column(
            "processed_at", sa.DateTime(timezone=True), nullable=False, server_default=sa.text("CURRENT_TIMESTAMP")
        ),
        sa.PrimaryKeyConstraint("message_id", "handler"),
    )


def downgrade() -> None:
    op.drop_table("inbox_message")
    op.drop_index("ix_outbox_message_unsent", table_name="outbox_message")
    op.drop_table("outbox_message")
''',
    "migrations/versions/0002_ops_trace_context.py": '''"""The outbox keeps the W3C trace context of the span that wrote each row (issue 14).

``outbox_message.trace_context`` holds ``{{"traceparent": …, "tracestate": …}}`` as JSON, captured in the
business transaction; the relay starts its publish span as a child of it and sends the message with
its own ``traceparent``/``tracestate`` AMQP headers (``servicekit.tracing``). NULL when tracing is off,
and for every row written before this migration: those fall back to the correlation id's trace.

Frozen: the column is written out literally (``deploy/tests/test_frozen_migrations.py`` checks that
0001 plus this migration still equal the kit's ``servicekit.messaging.tables``).

Revision ID: 0002_ops_trace_context
Revises: 0001
"""

import sqlalchemy as sa
from alembic import op

revision = "0002_ops_trace_context"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("outbox_message", sa.Column("trace_context", sa.Text(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("outbox_message") as batch:
        batch.drop_column("trace_context")
''',
    "migrations/versions/0003_insurers.py": '''"""The service's copy of identity's insurers.

Revision ID: 0003_insurers
Revises: 0002_ops_trace_context
"""

import sqlalchemy as sa
from alembic import op

revision = "0003_insurers"
down_revision = "0002_ops_trace_context"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "insurer",
        sa.Column("insurer_id", sa.String(36), nullable=False),
        sa.Column("name", sa.String(200), nullable=False),
        sa.PrimaryKeyConstraint("insurer_id"),
    )


def downgrade() -> None:
    op.drop_table("insurer")
''',
    "src/{name}/__init__.py": '''"""{title}."""

SERVICE = "{name}"
''',
    "src/{name}/config.py": '''"""Settings of the {name} service: those every service reads (``servicekit.settings``), validated at start-up."""

from __future__ import annotations

from dataclasses import dataclass

from {name} import SERVICE
from servicekit.settings import BaseSettings


@dataclass(frozen=True)
class Settings(BaseSettings):
    service = SERVICE
''',
    "src/{name}/adapters/__init__.py": "",
    "src/{name}/adapters/orm.py": '''"""SQLAlchemy 2 tables of the {name} service (its own database; no other service reads them)."""

from sqlalchemy import Column, String, Table

from servicekit.db import service_metadata
from servicekit.messaging.tables import messaging_tables

metadata = service_metadata()
outbox_message, inbox_message = messaging_tables(metadata)

#: The service's copy of identity's insurers (``identity.insurer.registered`` / ``renamed``).
insurer = Table(
    "insurer",
    metadata,
    Column("insurer_id", String(36), primary_key=True),
    Column("name", String(200), nullable=False),
)
''',
    "src/{name}/integration/__init__.py": "",
    "src/{name}/integration/inbound.py": '''"""Integration events this service consumes: each event becomes a typed command, one queue per purpose.

- ``{name}.identity``: identity's insurers, for the service's local copy (``insurer``).
"""

from __future__ import annotations

from servicekit.messaging import inbound
from servicekit.messaging.consumer import Handler, Subscription

from {name} import SERVICE
from {name}.domain import commands
from {name}.service_layer import handlers


def record_insurer(data: inbound.Data) -> commands.RecordInsurer:
    return commands.RecordInsurer(insurer_id=data["insurer_id"], name=data["name"])


IDENTITY_HANDLERS: dict[str, Handler] = {{
    "identity.insurer.registered": inbound.route(SERVICE, record_insurer, handlers.record_insurer),
    "identity.insurer.renamed": inbound.route(SERVICE, record_insurer, handlers.record_insurer),
}}


def subscriptions() -> list[Subscription]:
    return [Subscription(SERVICE, "identity", IDENTITY_HANDLERS)]
''',
    "src/{name}/domain/__init__.py": '''"""The {name} service's domain: pure Python, no Flask, SQLAlchemy or kombu."""
''',
    "src/{name}/domain/commands.py": '''"""Commands of the {name} service: imperative, typed; routes and ``integration/inbound.py`` build them."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class RecordInsurer:
    """Keep the service's copy of an insurer (identity registered or renamed it)."""

    insurer_id: str
    name: str
''',
    "src/{name}/service_layer/__init__.py": "",
    "src/{name}/service_layer/handlers.py": '''"""One handler per command: ``(command, unit of work) -> result``; no Flask, no kombu."""

from __future__ import annotations

from sqlalchemy import insert, select, update

from {name}.adapters.orm import insurer
from {name}.domain import commands
from servicekit.db import UnitOfWork


def record_insurer(cmd: commands.RecordInsurer, uow: UnitOfWork) -> None:
    """Insert or rename the insurer's copy; a repeat changes nothing (the inbox also skips it)."""
    with uow:
        held = insurer.c.insurer_id == cmd.insurer_id
        if uow.session.execute(select(insurer.c.insurer_id).where(held)).first() is None:
            uow.session.execute(insert(insurer).values(insurer_id=cmd.insurer_id, name=cmd.name))
        else:
            uow.session.execute(update(insurer).where(held).values(name=cmd.name))
        uow.commit()
''',
    "src/{name}/queries.py": '''"""Read side (CQRS-lite): plain SELECTs returning dicts, no domain objects, no writes."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from {name}.adapters.orm import insurer
from servicekit.paging import paged


def list_insurers(session: Session, *, page: int, page_size: int) -> dict[str, Any]:
    """The insurers this service knows, by name: ``{{items, total, page}}``."""
    query = select(insurer.c.insurer_id, insurer.c.name).order_by(insurer.c.name, insurer.c.insurer_id)
    return paged(session, query, page=page, page_size=page_size)
''',
    "src/{name}/api/insurers/__init__.py": "",
    "src/{name}/api/insurers/schemas.py": '''"""Schemas of the insurers resource."""

from marshmallow import fields

from servicekit.schemas import BaseSchema, PageArgsSchema, PageSchema


class InsurerSchema(BaseSchema):
    insurer_id = fields.String()
    name = fields.String()


class InsurerPageSchema(PageSchema):
    items = fields.List(fields.Nested(InsurerSchema))


class InsurerQueryArgsSchema(PageArgsSchema):
    """``page`` and ``page_size`` (the kit's bounds)."""
''',
    "src/{name}/api/insurers/routes.py": '''"""Routes of the insurers resource: the service's copy of identity's insurers (read only)."""

from __future__ import annotations

from typing import Any

from flask.views import MethodView

from {name} import queries
from {name}.api.insurers import schemas
from servicekit.api import blueprint, read, requires

blp = blueprint("insurers", "/insurers", "Verzekeraars die deze dienst kent.")


@blp.route("")
class Insurers(MethodView):
    @requires()
    @blp.arguments(schemas.InsurerQueryArgsSchema, location="query")
    @blp.response(200, schemas.InsurerPageSchema)
    def get(self, args: dict[str, Any]) -> dict[str, Any]:
        """De verzekeraars die deze dienst kent, op naam."""
        return read(queries.list_insurers, page=args["page"], page_size=args["page_size"])
''',
    "src/{name}/api/__init__.py": '''"""HTTP resources of the {name} service; routes only translate (see ``servicekit.api``)."""

from servicekit.api import Blueprint

from {name}.api.insurers.routes import blp as insurers


def blueprints() -> list[Blueprint]:
    return [insurers]
''',
    "src/{name}/bootstrap.py": '''"""Composition root: engine, sessions, unit of work, subscriptions. Nothing connects at import."""

from __future__ import annotations

from pathlib import Path

from servicekit.migrations import migration_head as _migration_head
from servicekit.runtime_state import ServiceRuntime

from {name}.config import Settings
from {name}.integration.inbound import subscriptions

SERVICE_ROOT = Path(__file__).resolve().parents[2]

Runtime = ServiceRuntime[Settings]


def migration_head() -> str:
    return _migration_head(SERVICE_ROOT)


def bootstrap(settings: Settings | None = None) -> Runtime:
    return ServiceRuntime.build(settings or Settings.from_env(), subscriptions())
''',
    "src/{name}/manage.py": '''"""Explicit steps: ``python -m {name}.manage migrate | seed-demo | dead-letters P | replay P``."""

from servicekit.cli import ServiceCommands

from {name} import SERVICE
from {name}.bootstrap import SERVICE_ROOT, bootstrap
from {name}.config import Settings
from {name}.demo import seed_demo
from {name}.integration.inbound import subscriptions

COMMANDS = ServiceCommands(SERVICE, SERVICE_ROOT, Settings.from_env, subscriptions, bootstrap, seed_demo)
migrate = COMMANDS.migrate

if __name__ == "__main__":
    COMMANDS.main()
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

from {name}.api import blueprints
from {name}.bootstrap import Runtime, bootstrap, migration_head
from servicekit.app import create_runtime_app


def create_app(runtime: Runtime | None = None) -> Flask:
    return create_runtime_app(
        runtime or bootstrap(),
        title="{title}",
        description="{description}",
        blueprints=blueprints(),
        migration_head=migration_head(),
    )
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
    "src/{name}/consumer.py": '''"""Event consumer process: ``python -m {name}.consumer`` (and the service's background workers)."""

from servicekit.runtime import run_consumers

from {name}.bootstrap import bootstrap


def main() -> None:
    runtime = bootstrap()
    run_consumers(runtime.settings, runtime.engine, runtime.subscriptions, runtime.background_workers())


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


def make(name: str, title: str, root: Path = ROOT) -> list[Path]:
    """Write the skeleton under ``root/services/<name>`` (existing files are kept); the files written."""
    base = root / "services" / name
    values = {"name": name, "upper": name.upper(), "title": title, "description": DESCRIPTIONS.get(name, title)}
    written: list[Path] = []
    for relative, template in FILES.items():
        path = base / relative.format(**values)
        if path.exists():
            continue
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(template.format(**values) if template else "")
        written.append(path)
    for folder in ("tests/unit", "tests/integration", "tests/contract", "tests/api"):
        (base / folder).mkdir(parents=True, exist_ok=True)
    tidy([path for path in written if path.suffix == ".py"])
    return written


def tidy(paths: list[Path]) -> None:
    """Sort imports and format as ``make lint`` wants (the import order depends on the service's name)."""
    ruff = shutil.which("ruff") or shutil.which("ruff", path=str(Path(sys.executable).parent))
    if not ruff or not paths:
        return
    config = ["--config", str(ROOT / "pyproject.toml")]
    subprocess.run([ruff, "check", "--fix", "--select", "I", "-q", *config, *map(str, paths)], check=False)
    subprocess.run([ruff, "format", "-q", *config, *map(str, paths)], check=True)


if __name__ == "__main__":
    make(sys.argv[1], sys.argv[2])
