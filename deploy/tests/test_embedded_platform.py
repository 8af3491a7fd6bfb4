"""`make run`'s platform, built for real in a temporary folder: SQLite per service, kombu memory://.

Every service answers ready through the embedded gateway, a demo user logs in, and the demo
catalogue's events reach contracting through the outbox, relay, in-memory broker, consumer and inbox.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from werkzeug.test import Client

from servicekit.testing import wait_for
from zcp_runner.embedded import EmbeddedPlatform, build
from zcp_runner.routes import SERVICE_ORDER


@pytest.fixture(scope="module")
def platform(tmp_path_factory: pytest.TempPathFactory) -> Iterator[EmbeddedPlatform]:
    with pytest.MonkeyPatch.context() as env:
        for name in SERVICE_ORDER:
            env.delenv(f"{name.upper()}_DATABASE_URL", raising=False)
        for name in ("IDENTITY_SIGNING_KEY_FILE", "IDENTITY_PUBLIC_KEY_FILE", "QUEUE_PREFIX", "EVENT_EXCHANGE"):
            env.delenv(name, raising=False)
        data_dir: Path = tmp_path_factory.mktemp("make-run")
        env.setenv("DATA_DIR", str(data_dir))
        env.setenv("AMQP_URL", "memory://")
        built = build(data_dir)
        yield built
        built.shutdown()


@pytest.mark.parametrize("service", SERVICE_ORDER)
def test_every_service_answers_ready_through_the_embedded_gateway(platform: EmbeddedPlatform, service: str) -> None:
    response = Client(platform.gateway).get(f"/api/{service}/health/ready")
    assert response.status_code == 200
    assert response.json == {"status": "ok", "service": service, "checks": {"database": "ok", "migrations": "ok"}}


def test_each_service_keeps_its_own_sqlite_file(platform: EmbeddedPlatform) -> None:
    urls = {name: runtime.settings.database_url for name, runtime in platform.runtimes.items()}
    assert len(set(urls.values())) == len(SERVICE_ORDER)
    assert all(url.startswith("sqlite:///") and url.endswith(f"{name}.sqlite3") for name, url in urls.items())


def test_a_demo_user_logs_in_and_the_demo_catalogue_reaches_its_collections(platform: EmbeddedPlatform) -> None:
    client = Client(platform.gateway)
    login = client.post(
        "/api/identity/sessions", json={"contract_year": 2026, "username": "zk-inkoper", "password": "Demo2026Zcp!"}
    )
    assert login.status_code == 201, login.json
    session = {"Authorization": f"Bearer {login.json['token']}"}
    collections = client.get("/api/contracting/collections", headers=session).json
    assert collections, "the demo insurer has collections"

    def institutions_listed() -> int:
        listing = client.get(
            f"/api/contracting/collections/{collections[0]['collection_id']}/institutions", headers=session
        )
        return int(listing.json["total"]) if listing.status_code == 200 else 0

    assert wait_for(institutions_listed, timeout=60, message="catalogue events applied by contracting") > 300


def test_the_demo_collections_carry_a_purchasing_teams_decisions(platform: EmbeddedPlatform) -> None:
    client = Client(platform.gateway)
    login = client.post(
        "/api/identity/sessions", json={"contract_year": 2026, "username": "vgz-inkoper", "password": "Demo2026Zcp!"}
    )
    assert login.status_code == 201, login.json
    session = {"Authorization": f"Bearer {login.json['token']}"}
    counts = {
        c["name"]: c["counts"]["institution"] for c in client.get("/api/contracting/collections", headers=session).json
    }
    assert counts["Basis 2026"]["FULL"] > 150 and counts["Basis 2026"]["IN_NEGOTIATION"] > 100  # VGZ negotiates ZBC's
    assert counts["Selectief 2026"]["PARTIAL"] > 0 and counts["Selectief 2026"]["NOT_CONTRACTED"] > 100
    assert counts["Restitutie 2026"]["NOT_CONTRACTED"] == 0
    basis = next(
        c for c in client.get("/api/contracting/collections", headers=session).json if c["name"] == "Basis 2026"
    )
    saves = client.get(f"/api/contracting/collections/{basis['collection_id']}/changes", headers=session).json["items"]
    assert saves and all(save["changed_by"] for save in saves)
    assert all(save["changed_at"].endswith("+00:00") for save in saves)  # SQLite too: times carry their zone


def test_make_run_serves_the_portal_at_the_root_and_a_demo_login_reaches_contractering(
    platform: EmbeddedPlatform,
) -> None:
    """Issue 12, must show 5: the portal at / with the README's demo logins, calling the APIs in-process."""
    browser = Client(platform.gateway)
    assert browser.get("/").headers["Location"].endswith("/contractering")
    login_page = browser.get("/inloggen")
    assert login_page.status_code == 200 and "Log In" in login_page.get_data(as_text=True)
    assert Client(platform.gateway).get("/api/portal/health/ready").json["checks"] == {"gateway": "ok"}
    csrf = re.search(r'name="csrf" value="([^"]+)"', login_page.get_data(as_text=True))
    assert csrf is not None
    form = {"csrf": csrf.group(1), "contract_year": "2026", "username": "zk-inkoper", "password": "Demo2026Zcp!"}
    assert browser.post("/inloggen", data=form).headers["Location"].endswith("/contractering")
    overview = browser.get("/contractering").get_data(as_text=True)
    assert "Contractering 2026" in overview and "Basis 2026" in overview
    assert "Toevoegen nieuwe Contracterings Collectie voor 2026" in overview


def test_make_run_answers_a_publication_query_with_the_demo_api_key(platform: EmbeddedPlatform) -> None:
    """Issue 10: the demo products are linked to the demo collections, and the public API (R17) answers."""
    client = Client(platform.gateway)
    key = {"X-API-Key": "zcpk_demo-independer-2026-not-for-production"}
    products = client.get("/api/publication/products", query_string={"year": 2026, "uzovi_code": "9901"}, headers=key)
    assert products.status_code == 200, products.json
    basis = next(p for p in products.json if p["name"] == "Basis Zeker")

    def contracted() -> int:
        page = client.get(f"/api/publication/products/{basis['product_id']}/institutions", headers=key)
        return int(page.json["total"]) if page.status_code == 200 else 0

    assert wait_for(contracted, timeout=60, message="publication events applied by products") > 150
    first = client.get(f"/api/publication/products/{basis['product_id']}/institutions", headers=key).json["items"][0]
    answer = client.get(
        f"/api/publication/products/{basis['product_id']}/institutions/{first['agb_code']}", headers=key
    )
    assert answer.json["contracted"] is True and answer.json["last_changed_at"]
