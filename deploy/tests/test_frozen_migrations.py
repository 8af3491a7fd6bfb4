"""Issue 16 item 11: every migration is frozen — it never imports live table definitions.

An unfrozen migration builds tables from today's code: a database migrated last year and one
migrated today would differ while both report "ready". So every migration of every service, and
every migration the service template stamps, may import only Alembic, SQLAlchemy and the standard
library. The literal outbox/inbox tables of ``0001_messaging`` are checked against the kit's live
definition, so a kit change without a new migration fails here.
"""

from __future__ import annotations

import ast
import importlib.util
import sys
from pathlib import Path
from types import ModuleType

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from alembic.operations import Operations
from sqlalchemy import MetaData, create_engine

from servicekit.messaging.tables import messaging_tables
from zcp_runner.routes import REPO_ROOT

ALLOWED_ROOTS = {"__future__", "alembic", "sqlalchemy"} | set(sys.stdlib_module_names)
SERVICE_MIGRATIONS = sorted(REPO_ROOT.glob("services/*/migrations/versions/*.py"))


def imported_roots(path: Path) -> set[str]:
    roots: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            roots.update(alias.name.split(".")[0] for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            roots.add("." if node.level else (node.module or "").split(".")[0])
    return roots


def stamped_template(tmp_path: Path) -> Path:
    """The service the template stamps, in a scratch folder."""
    spec = importlib.util.spec_from_file_location("make_service", REPO_ROOT / "deploy/templates/make_service.py")
    assert spec and spec.loader
    template = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(template)
    template.make("frozencheck", "Frozen check", root=tmp_path)
    return tmp_path / "services" / "frozencheck"


def load(path: Path) -> ModuleType:
    spec = importlib.util.spec_from_file_location(f"migration_{path.parent.parent.parent.name}_{path.stem}", path)
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_every_service_has_migrations_to_check() -> None:
    services = {path.parts[-4] for path in SERVICE_MIGRATIONS}
    assert {"identity", "catalogue", "contracting", "products", "support"} <= services


@pytest.mark.parametrize("path", SERVICE_MIGRATIONS, ids=lambda p: f"{p.parts[-4]}/{p.name}")
def test_a_service_migration_imports_no_live_code(path: Path) -> None:
    assert imported_roots(path) <= ALLOWED_ROOTS, f"{path} imports live code: {imported_roots(path) - ALLOWED_ROOTS}"


def test_the_template_stamps_frozen_migrations(tmp_path: Path) -> None:
    stamped = sorted((stamped_template(tmp_path) / "migrations" / "versions").glob("*.py"))
    assert stamped, "the template stamps no migration"
    for path in stamped:
        assert imported_roots(path) <= ALLOWED_ROOTS, f"the template's {path.name} imports live code"
    identity_first = REPO_ROOT / "services/identity/migrations/versions/0001_messaging.py"
    assert (stamped[0]).read_text(encoding="utf-8") == identity_first.read_text(encoding="utf-8")


def messaging_migrations(versions: Path) -> list[Path]:
    """A service's migrations of the kit's outbox/inbox tables, in order: 0001, then ``*_ops_trace_context``."""
    return [*sorted(versions.glob("0001_*.py")), *sorted(versions.glob("*_ops_trace_context.py"))]


def test_every_service_and_the_template_carry_the_same_outbox_trace_context_migration(tmp_path: Path) -> None:
    """Issue 14: the column came as a new migration per service (never an edited 0001), the same body each."""
    template = stamped_template(tmp_path) / "migrations" / "versions"
    folders = [*sorted({path.parent for path in SERVICE_MIGRATIONS}), template]
    bodies = set()
    for folder in folders:
        found = messaging_migrations(folder)
        assert len(found) == 2, f"{folder}: expected 0001 and one *_ops_trace_context migration, found {found}"
        text = found[1].read_text(encoding="utf-8")
        bodies.add(text[text.index("\ndef upgrade") :])
    assert len(bodies) == 1, "the services' trace-context migrations differ"


@pytest.mark.parametrize(
    "versions",
    sorted({path.parent for path in SERVICE_MIGRATIONS}),
    ids=lambda p: p.parts[-3],
)
def test_the_literal_messaging_tables_still_equal_the_kit_definition(tmp_path: Path, versions: Path) -> None:
    """If the kit's outbox/inbox tables change, every service needs a new migration, not an edited 0001."""
    engine = create_engine(f"sqlite:///{tmp_path / 'frozen.sqlite3'}")
    firsts = sorted(REPO_ROOT.glob("services/*/migrations/versions/0001_*.py"))
    texts = {path.read_text(encoding="utf-8") for path in firsts}
    assert len(texts) == 1, "the services' 0001 migrations differ"
    with engine.begin() as connection:
        for path in messaging_migrations(versions):
            migration = load(path)
            migration.op = Operations(MigrationContext.configure(connection))
            migration.upgrade()
        live = MetaData()
        messaging_tables(live)
        context = MigrationContext.configure(connection, opts={"compare_server_default": True})
        differences = compare_metadata(context, live)
    engine.dispose()
    assert differences == []
