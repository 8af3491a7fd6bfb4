"""Fixtures of the portal's page tests: the portal in-process against a recording fake gateway.

The fake answers the API calls the pages make with the shapes of the committed OpenAPI documents;
the browser tests in tests-e2e/ run the same pages against the real platform.
"""

from __future__ import annotations

import re
import uuid
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
from flask import Flask, jsonify, request

from portal.adapters.gateway import wsgi_transport
from portal.app import create_app
from portal.config import Settings
from tests import fake_products, fake_support

COLLECTION = str(uuid.uuid4())
INSTITUTION = str(uuid.uuid4())
GROUP = fake_support.GROUP
TOKEN = "sessie-token"
RETIRED_GROUP = str(uuid.uuid4())


@dataclass
class FakeGateway:
    calls: list[tuple[str, str, Any]] = field(default_factory=list)
    save_status: int = 200
    listing_status: int = 200
    roles: tuple[str, ...] = ("insurer_user",)
    support_state: dict[str, Any] = field(default_factory=dict)
    products_state: dict[str, Any] = field(default_factory=dict)

    def app(self) -> Flask:
        app = Flask("fake-gateway")

        @app.before_request
        def record() -> None:
            body = request.get_json(silent=True)
            self.calls.append((request.method, request.full_path.rstrip("?"), body))
            if (
                request.path.startswith("/api/contracting")
                and request.headers.get("Authorization") != f"Bearer {TOKEN}"
            ):
                return jsonify(code=401, status="Unauthorized", message="Niet ingelogd."), 401  # type: ignore[return-value]
            return None

        @app.get("/api/identity/sessions/contract-years")
        def years() -> Any:
            return {"open_years": [2026, 2027]}

        @app.post("/api/identity/sessions")
        def login() -> Any:
            if request.json["password"] != "Goed2026!":
                return jsonify(code=401, status="Unauthorized", message="Onbekend."), 401
            user = {
                "username": "inkoper",
                "display_name": "Inkoper",
                "roles": list(self.roles),
                "insurer": {"id": "ins-1", "name": "Verzekeraar A"} if "insurer_user" in self.roles else None,
            }
            return {"token": TOKEN, "contract_year": 2026, "expires_after_idle_seconds": 600, "user": user}, 201

        @app.delete("/api/identity/sessions/current")
        def logout() -> Any:
            return "", 204

        @app.get("/api/contracting/collections/<cid>")
        def collection(cid: str) -> Any:
            if cid != COLLECTION:
                return jsonify(code=404, status="Not Found", message="Deze collectie bestaat niet."), 404
            return {"collection_id": cid, "name": "Basis 2026", "contract_year": 2026}

        @app.get("/api/contracting/collections/<cid>/institutions")
        def listing(cid: str) -> Any:
            if self.listing_status != 200:
                return jsonify(code=self.listing_status, status="x", message="weg"), self.listing_status
            row = {
                "institution_id": INSTITUTION,
                "name": "Ziekenhuis Noord",
                "agb_code": "06990001",
                "type": "general_hospital",
                "city": "Assen",
                "status": "NOT_CONTRACTED",
                "remark": None,
                "version": 4,
                "is_new": False,
            }
            return {
                "items": [row],
                "total": 1,
                "page": 1,
                "pages": 1,
                "counts": {"NOT_CONTRACTED": 1},
                "status_version": 9,
            }

        @app.patch("/api/contracting/collections/<cid>/institutions")
        def save(cid: str) -> Any:
            if self.save_status == 409:
                details = [{"key": INSTITUTION, "name": "Ziekenhuis Noord", "current_status": "FULL"}]
                body = {
                    "code": 409,
                    "status": "Conflict",
                    "message": "1 rij(en) zijn gewijzigd.",
                    "errors": {"rows": ["x"], "details": details},
                }
                return jsonify(body), 409
            dry = request.args.get("dry_run") == "true"
            return {
                "count": 1,
                "cascaded": {"department": 12, "condition": 140} if request.json.get("cascade") else {},
                "dry_run": dry,
            }

        @app.get("/api/catalogue/groups")
        def groups() -> Any:
            found = [{"id": GROUP, "name": "Santeon", "kind": "hospital_organisation", "open_institution_count": 3}]
            if request.args.get("include_retired") == "true":
                found.append({"id": RETIRED_GROUP, "name": "Oude Groep", "kind": "other", "open_institution_count": 0, "retired": True})  # fmt: skip
            return found

        fake_support.install(app, self)
        fake_support.install_operations(app, self)
        fake_support.install_catalogue(app)
        fake_support.install_years(app, self)
        fake_products.install_products(app, self)
        fake_products.install_companies(app, self)
        fake_products.install_publication_dates(app, self)
        return app

    def saw(self, method: str, pattern: str) -> list[tuple[str, str, Any]]:
        return [c for c in self.calls if c[0] == method and re.search(pattern, c[1])]


@pytest.fixture
def gateway() -> FakeGateway:
    return FakeGateway()


@pytest.fixture
def portal(gateway: FakeGateway, tmp_path: Path) -> Any:
    secret = tmp_path / "secret"
    secret.write_text("x" * 64)
    settings = Settings.from_env({"PORTAL_SECRET_KEY_FILE": str(secret)})
    app = create_app(settings, wsgi_transport(gateway.app()))
    app.config["TESTING"] = True
    return app.test_client()


def csrf_of(client: Any, path: str = "/inloggen") -> str:
    found = re.search(r'name="csrf" value="([^"]+)"', client.get(path).get_data(as_text=True))
    assert found, f"{path} has no CSRF field"
    return found.group(1)


def logged_in(client: Any) -> str:
    token = csrf_of(client)
    answer = client.post(
        "/inloggen", data={"csrf": token, "contract_year": "2026", "username": "inkoper", "password": "Goed2026!"}
    )
    assert answer.status_code == 302, answer.get_data(as_text=True)
    return csrf_of(client, "/contractering/" + COLLECTION)
