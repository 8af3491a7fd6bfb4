"""Demo seeding (idempotent, with events) on PostgreSQL, and the migrations plus seed on SQLite (make run)."""

from __future__ import annotations

from sqlalchemy import func, select, text

from catalogue.adapters.orm import institution, offering_condition
from catalogue.bootstrap import bootstrap
from catalogue.config import Settings
from catalogue.demo import seed_demo
from catalogue.manage import migrate
from catalogue.reference_data import demo_catalogue
from servicekit.testing.outbox import outbox_events


def test_seed_demo_on_postgres_is_idempotent_and_publishes(runtime, client, identity_keys):
    assert seed_demo(runtime) is True
    assert seed_demo(runtime) is False
    expected = demo_catalogue()
    with runtime.engine.connect() as connection:
        assert connection.execute(select(func.count()).select_from(institution)).scalar() == len(expected.institutions)
        assert connection.execute(select(func.count()).select_from(offering_condition)).scalar() == len(
            expected.offering_conditions
        )
        trgm = connection.execute(
            text("SELECT count(*) FROM pg_indexes WHERE indexname = 'ix_institution_name_trgm'")
        ).scalar()
    assert trgm == 1
    assert len(outbox_events(runtime.engine, "catalogue.institution.registered")) == len(expected.institutions)
    headers = identity_keys.headers(roles=("insurer_user",))
    found = client.get("/api/catalogue/institutions?name=isala&type=top_clinical_hospital", headers=headers).json
    assert {i["name"] for i in found["items"]} >= {"Isala Klinieken"}


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
        assert seed_demo(runtime) is True and seed_demo(runtime) is False
        from catalogue.app import create_app

        client = create_app(runtime).test_client()
        headers = identity_keys.headers(roles=("insurer_user",))
        page = client.get(
            "/api/catalogue/institutions?name=KLINIEK&status=open&sort=city&page_size=5", headers=headers
        ).json
        assert page["total"] > 100 and len(page["items"]) == 5
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
