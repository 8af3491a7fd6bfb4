"""``/health/live`` (the process answers; never touches a dependency) and ``/health/ready``."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from alembic.runtime.migration import MigrationContext
from flask.views import MethodView
from marshmallow import Schema, fields
from sqlalchemy import Engine

from servicekit.api import Blueprint, public
from servicekit.db import ping


@dataclass(frozen=True)
class ReadinessCheck:
    name: str
    check: Callable[[], str | None]  # returns a problem, or None when fine


def database_check(engine: Engine) -> ReadinessCheck:
    def check() -> str | None:
        try:
            ping(engine)
        except Exception as exc:
            return f"database unreachable: {exc.__class__.__name__}"
        return None

    return ReadinessCheck("database", check)


def migrations_check(engine: Engine, expected_head: str) -> ReadinessCheck:
    """Ready only once the explicit migrate step has brought the schema to this code's head."""

    def check() -> str | None:
        try:
            with engine.connect() as connection:
                current = MigrationContext.configure(connection).get_current_revision()
        except Exception as exc:
            return f"schema unknown: {exc.__class__.__name__}"
        if current != expected_head:
            return f"schema at {current}, code expects {expected_head}: run the migrate step"
        return None

    return ReadinessCheck("migrations", check)


class HealthSchema(Schema):
    status = fields.String(required=True, metadata={"example": "ok"})
    service = fields.String(required=True)
    checks = fields.Dict(keys=fields.String(), values=fields.String())


def health_blueprint(service: str, checks: Sequence[ReadinessCheck]) -> Blueprint:
    blp = Blueprint("health", __name__, url_prefix="/health", description="Liveness and readiness")

    @blp.route("/live")
    class Live(MethodView):
        @public
        @blp.response(200, HealthSchema)
        def get(self) -> dict[str, Any]:
            """The process is alive (no dependency is consulted)."""
            return {"status": "ok", "service": service, "checks": {}}

    @blp.route("/ready")
    class Ready(MethodView):
        @public
        @blp.response(200, HealthSchema)
        @blp.alt_response(503, schema=HealthSchema, description="A dependency is not ready")
        def get(self) -> Any:
            """Ready to serve: database reachable and migrated to this code's head."""
            results = {item.name: (item.check() or "ok") for item in checks}
            ok = all(result == "ok" for result in results.values())
            body = {"status": "ok" if ok else "unavailable", "service": service, "checks": results}
            return body, (200 if ok else 503)

    return blp
