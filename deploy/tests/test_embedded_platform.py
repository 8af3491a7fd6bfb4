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


# Issue 16.9: one error body in Dutch, and authorization before body validation, in every service.
# Generated from the committed OpenAPI documents, so a service's new write operation is covered too.
ENGLISH = re.compile(
    r"Must be|must be|Missing data|Unknown field|Not a valid|well-formed|Invalid (input|value|type)|"
    r"Field may not|Length must|Shorter than|Longer than|is not|required field",
)
ROLES_USERS = ("zk-inkoper", "zk-admin", "beheerder", "platform")


def _json_writes() -> list[tuple[str, str, str, bool]]:
    """(service, method, path, public) of every operation that takes a JSON body."""
    import json

    from zcp_runner.routes import REPO_ROOT

    found = []
    for document in sorted((REPO_ROOT / "shared" / "contracts" / "openapi").glob("*.json")):
        spec = json.loads(document.read_text(encoding="utf-8"))
        for path, operations in spec["paths"].items():
            for method, operation in operations.items():
                content = operation.get("requestBody", {}).get("content", {}) if isinstance(operation, dict) else {}
                if "application/json" in content:
                    found.append((document.stem, method, path, operation.get("security") == []))
    return found


def _concrete(path: str) -> str:
    import uuid

    return re.sub(r"\{(year|from_year)\}", "2026", re.sub(r"\{[a-z_]*id\}", str(uuid.uuid4()), path))


def _assert_flat_dutch_body(response: object, where: str) -> None:
    body = response.json  # type: ignore[attr-defined]
    assert set(body) >= {"code", "status", "message", "errors"}, (where, body)
    assert isinstance(body["errors"], dict), (where, body)
    for field, messages in body["errors"].items():
        assert isinstance(field, str) and isinstance(messages, list), (where, field, messages)
        for message in messages:
            text = message if isinstance(message, str) else str(message)
            assert not ENGLISH.search(text), (where, field, text)
    assert not ENGLISH.search(body["message"]), (where, body["message"])


@pytest.mark.parametrize(("service", "method", "path", "public"), _json_writes(), ids=lambda v: str(v))
def test_an_anonymous_bad_body_gets_401_before_validation_in_every_service(
    platform: EmbeddedPlatform, service: str, method: str, path: str, public: bool
) -> None:
    """Straight to the service, past the gateway: the service itself refuses who asks before what is asked."""
    app = platform.gateway.apps[service]
    response = Client(app).open(_concrete(path), method=method.upper(), json={"onbekend_veld": [[["x"]]]})
    assert response.status_code != 500
    if public:
        assert response.status_code == 422, response.json
    else:
        assert response.status_code == 401, (path, response.status_code, response.json)
    _assert_flat_dutch_body(response, f"{method} {path}")


@pytest.fixture(scope="module")
def sessions(platform: EmbeddedPlatform) -> dict[str, dict[str, str]]:
    client = Client(platform.gateway)
    out = {}
    for username in ROLES_USERS:
        login = client.post(
            "/api/identity/sessions", json={"contract_year": 2026, "username": username, "password": "Demo2026Zcp!"}
        )
        assert login.status_code == 201, login.json
        out[username] = {"Authorization": f"Bearer {login.json['token']}"}
    return out


@pytest.mark.parametrize(("service", "method", "path", "public"), _json_writes(), ids=lambda v: str(v))
def test_every_role_gets_bad_input_refused_flat_and_in_dutch_in_every_service(
    platform: EmbeddedPlatform, sessions: dict[str, dict[str, str]], service: str, method: str, path: str, public: bool
) -> None:
    """Wrong types and unknown fields, as every demo role, through the gateway: a 4xx with the common Dutch body."""
    client = Client(platform.gateway)
    bad = {"onbekend_veld": 1, "name": 7, "status": ["x"], "rows": "geen lijst", "contract_year": "twee"}
    statuses = set()
    for username, headers in sessions.items():
        response = client.open(_concrete(path), method=method.upper(), json=bad, headers=headers)
        assert 400 <= response.status_code < 500, (username, method, path, response.status_code, response.json)
        _assert_flat_dutch_body(response, f"{username} {method} {path}")
        statuses.add(response.status_code)
    assert 422 in statuses, f"no demo role got as far as validation: {statuses}"


def _queried_reads() -> list[tuple[str, str, dict[str, str]]]:
    """(service, path, bad query) of every GET with query parameters: a value of the wrong kind for each."""
    import json

    from zcp_runner.routes import REPO_ROOT

    wrong = {"integer": "veel", "boolean": "misschien", "array": "ONBEKEND"}
    found = []
    for document in sorted((REPO_ROOT / "shared" / "contracts" / "openapi").glob("*.json")):
        for path, operations in json.loads(document.read_text(encoding="utf-8"))["paths"].items():
            params = [p for p in operations.get("get", {}).get("parameters", []) if p.get("in") == "query"]
            query = {}
            for param in params:
                schema = param.get("schema", {})
                if schema.get("type") in wrong:
                    query[param["name"]] = wrong[schema["type"]]
                elif schema.get("format") == "uuid" or "enum" in schema:
                    query[param["name"]] = "ONBEKEND"
            if query:
                found.append((document.stem, path, query))
    return found


@pytest.mark.parametrize(("service", "path", "query"), _queried_reads(), ids=lambda v: str(v))
def test_every_role_gets_a_bad_query_refused_flat_and_in_dutch_in_every_service(
    platform: EmbeddedPlatform, sessions: dict[str, dict[str, str]], service: str, path: str, query: dict[str, str]
) -> None:
    """Issue 16.9 for query parameters: a 4xx with the common Dutch body, never a 500 or an English message."""
    client = Client(platform.gateway)
    statuses = set()
    for username, headers in sessions.items():
        response = client.get(_concrete(path), query_string=query, headers=headers)
        assert 400 <= response.status_code < 500, (username, path, response.status_code, response.json)
        _assert_flat_dutch_body(response, f"{username} GET {path}")
        statuses.add(response.status_code)
    assert 422 in statuses, f"no demo role got as far as validation: {statuses}"


def test_make_run_runs_a_rollover_in_its_worker_not_in_the_request(platform: EmbeddedPlatform) -> None:
    """Issue 16.3 on ``make run``: the POST only queues; the embedded worker thread runs the job (R3)."""
    client = Client(platform.gateway)
    login = client.post(
        "/api/identity/sessions", json={"contract_year": 2026, "username": "menzis-admin", "password": "Demo2026Zcp!"}
    )
    assert login.status_code == 201, login.json
    admin = {"Authorization": f"Bearer {login.json['token']}"}
    started = client.post("/api/contracting/rollovers", json={"from_year": 2026}, headers=admin)
    assert started.status_code == 202 and started.json["state"] in ("queued", "running"), started.json
    again = client.post("/api/contracting/rollovers", json={"from_year": 2026}, headers=admin)
    if again.json["job_id"] != started.json["job_id"]:  # only if the first one finished in between
        first = client.get(f"/api/contracting/rollovers/{started.json['job_id']}", headers=admin).json
        assert first["state"] in ("done", "failed"), (first, again.json)

    def finished() -> dict[str, object] | None:
        job = client.get(f"/api/contracting/rollovers/{started.json['job_id']}", headers=admin).json
        return job if job["state"] in ("done", "failed") else None

    job = wait_for(finished, timeout=300, message="the embedded worker ran the rollover")
    assert job["state"] == "done" and job["collections_copied"] == 3, job


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
