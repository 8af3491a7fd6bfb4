"""Demo seeding (idempotent, with events) on PostgreSQL, and the migrations plus seed on SQLite (make run)."""

from __future__ import annotations

import threading

import pytest
from sqlalchemy import func, select, text

from catalogue.adapters.orm import institution, offering_condition
from catalogue.bootstrap import bootstrap
from catalogue.config import Settings
from catalogue.demo import seed_demo
from catalogue.manage import migrate
from catalogue.reference_data import demo_catalogue
from servicekit.db import create_db_engine
from servicekit.runtime import build_relay
from servicekit.settling import outbox_waiting
from servicekit.testing.identity import gateway_client
from servicekit.testing.outbox import outbox_events


def test_seed_demo_on_postgres_is_idempotent_and_publishes(runtime, client, identity_keys):
    assert seed_demo(runtime, settle_timeout=0) is True  # no relay runs here: the events stay in the outbox
    assert seed_demo(runtime, settle_timeout=0) is False
    expected = demo_catalogue()
    with runtime.engine.connect() as connection:
        assert connection.execute(select(func.count()).select_from(institution)).scalar() == len(expected.institutions)
        assert connection.execute(select(func.count()).select_from(offering_condition)).scalar() == len(
            expected.offering_conditions
        )
        trgm = connection.execute(
            text("SELECT count(*) FROM pg_indexes WHERE indexname = 'ix_institution_name_folded_trgm'")
        ).scalar()
    assert trgm == 1
    assert len(outbox_events(runtime.engine, "catalogue.institution.registered")) == len(expected.institutions)
    headers = identity_keys.headers(roles=("insurer_user",))
    found = client.get("/api/catalogue/institutions?name=isala&type=top_clinical_hospital", headers=headers).json
    assert {i["name"] for i in found["items"]} >= {"Isala Klinieken"}


def test_seed_demo_returns_once_the_relay_has_published_every_event(runtime):
    """Issue 16 item 13: a consumer's seed that runs next waits for a catalogue that is on its way, not half of it."""
    stop = threading.Event()
    relay = threading.Thread(target=build_relay(runtime.settings, runtime.engine).run, args=(stop,), daemon=True)
    relay.start()
    try:
        assert seed_demo(runtime, settle_timeout=60) is True
        assert outbox_waiting(runtime.engine) == 0
    finally:
        stop.set()
        relay.join(timeout=10)


def test_seed_demo_without_a_relay_says_so_and_returns(runtime, caplog):
    assert seed_demo(runtime, settle_timeout=0.3) is True
    assert outbox_waiting(runtime.engine) == len(outbox_events(runtime.engine))
    assert outbox_waiting(runtime.engine) > 0 and "not all published" in caplog.text


def test_migrations_and_seed_on_sqlite(tmp_path, identity_keys):
    settings = Settings.from_env(
        {
            "CATALOGUE_DATABASE_URL": f"sqlite:///{tmp_path / 'catalogue.sqlite3'}",
            "IDENTITY_PUBLIC_KEY_FILE": str(identity_keys.public_key_file),
        }
    )
    migrate(settings, topology=False)
    runtime = bootstrap(settings)
    try:
        assert seed_demo(runtime, settle_timeout=0) is True and seed_demo(runtime, settle_timeout=0) is False
        from catalogue.app import create_app

        client = gateway_client(create_app(runtime), identity_keys)
        headers = identity_keys.headers(roles=("insurer_user",))
        page = client.get(
            "/api/catalogue/institutions?name=KLINIEK&status=open&sort=city&page_size=5", headers=headers
        ).json
        assert page["total"] > 100 and len(page["items"]) == 5
        # R8, issue 16 item 8: accent-free typing finds accented names on SQLite too (make run).
        for typed, expected in (("maxima", "Máxima"), ("Munster", "Münster")):
            found = client.get(f"/api/catalogue/institutions?name={typed}", headers=headers).json["items"]
            assert found and all(expected in item["name"] for item in found), (typed, found)
        exported = client.get("/api/catalogue/institutions/export", headers=headers).data.decode()
        maintainer = identity_keys.headers(roles=("catalogue_maintainer",))
        result = client.post(
            "/api/catalogue/institutions/import", data=exported, headers={**maintainer, "Content-Type": "text/csv"}
        )
        assert (
            result.status_code == 200
            and result.json["events"] == 0
            and result.json["unchanged"] == len(demo_catalogue().institutions)
        )
    finally:
        runtime.engine.dispose()


@pytest.mark.parametrize("backend", ["sqlite", "postgresql"])
def test_migration_0003_folds_the_names_of_an_existing_catalogue(tmp_path, database_factory, backend):
    """An existing database (at 0002) gets name_folded filled in for every institution."""
    from alembic import command

    from catalogue.bootstrap import SERVICE_ROOT
    from servicekit.migrations import alembic_config

    url = f"sqlite:///{tmp_path / 'old.sqlite3'}" if backend == "sqlite" else database_factory.create("cat_0003")
    config = alembic_config(SERVICE_ROOT, url)
    command.upgrade(config, "0002")
    engine = create_db_engine(url)
    with engine.begin() as connection:
        connection.execute(
            text(
                "INSERT INTO institution (id, agb_code, name, type, country, revision) "
                "VALUES ('i-1', '06979999', 'Máxima MC Großhadern', 'general_hospital', 'NL', 1)"
            )
        )
    command.upgrade(config, "head")
    with engine.connect() as connection:
        assert connection.execute(text("SELECT name_folded FROM institution")).scalar() == "maxima mc grosshadern"
    engine.dispose()
