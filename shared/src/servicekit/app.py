"""The app chassis: every service's ``create_app`` is one call of :func:`create_runtime_app`.

It gives each service the same error body (domain errors and request validation included, in
Dutch), correlation ids on every request (taken from the gateway's request id, or new), JSON access logs, a body-size limit, the verified caller on
``flask.g``, ``/health/live`` and ``/health/ready``, and its OpenAPI document at
``/api/<service>/openapi.json``. Every route lives under ``/api/<service>``, the same path the
gateway exposes, so nothing is rewritten on the way.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Sequence
from typing import Any, Protocol

from flask import Flask, Response, g, request
from flask_smorest import Api, Blueprint
from sqlalchemy import Engine

from servicekit import metrics, tracing
from servicekit.api import Blueprint as AuthorizingBlueprint
from servicekit.auth import IdentityTokenVerifier, load_principal
from servicekit.correlation import CORRELATION_HEADER, REQUEST_ID_HEADER, bind, new_id, unbind
from servicekit.errors import register_error_handlers
from servicekit.health import ReadinessCheck, database_check, health_blueprint, migrations_check
from servicekit.security import register_security
from servicekit.settings import BaseSettings

access_log = logging.getLogger("access")
#: Descriptions cite the platform's rules as R1-R17: say where they are defined.
RULES_NOTE = (
    "\n\nRules cited as R1-R17 (for example R7, the cascade) are defined in docs/domain.md of the "
    "project's repository; errors name the rule they enforce."
)


def api_prefix(service: str) -> str:
    return f"/api/{service}"


def create_service_app(
    settings: BaseSettings,
    *,
    title: str,
    version: str,
    description: str,
    blueprints: Sequence[Blueprint],
    readiness: Sequence[ReadinessCheck],
    verifier: IdentityTokenVerifier | None = None,
    extra_config: dict[str, Any] | None = None,
) -> Flask:
    service = settings.service_name
    prefix = api_prefix(service)
    app = Flask(service)
    register_security(app)
    app.config.update(
        API_TITLE=title,
        API_VERSION=version,
        OPENAPI_VERSION="3.0.3",
        OPENAPI_URL_PREFIX=prefix,
        OPENAPI_JSON_PATH="openapi.json",
        MAX_CONTENT_LENGTH=settings.max_body_bytes,
        JSON_SORT_KEYS=False,
        API_SPEC_OPTIONS={
            "info": {"description": description + RULES_NOTE},
            "servers": [{"url": "/"}],
            "components": {
                "securitySchemes": {
                    "bearer": {
                        "type": "http",
                        "scheme": "bearer",
                        "description": "Session token from POST /api/identity/sessions, or an API key",
                    }
                }
            },
        },
    )
    app.config.update(extra_config or {})
    api = Api(app)
    register_error_handlers(app)
    api.register_blueprint(health_blueprint(service, readiness), url_prefix=f"{prefix}/health")
    for blueprint in blueprints:
        api.register_blueprint(blueprint, url_prefix=f"{prefix}{blueprint.url_prefix or ''}")
    app.extensions["servicekit.api"] = api
    app.add_url_rule("/metrics", "metrics", _metrics, methods=["GET"])  # this worker's counters; not via the gateway
    install_request_context(app, verifier or IdentityTokenVerifier.from_file(settings.identity_public_key_file))
    if tracing.configure(service):
        tracing.install(app, service)
    return app


def install_request_context(app: Flask, token_verifier: IdentityTokenVerifier | None = None) -> None:
    """Correlation id and access log on every request, and (with a verifier) the verified caller on ``g``.

    Used by :func:`create_service_app`, and on its own by a web front end (the portal) that answers
    HTML rather than an API but logs and correlates its requests the same way.
    """

    @app.before_request
    def _start_request() -> None:
        correlation_id = request.headers.get(CORRELATION_HEADER) or request.headers.get(REQUEST_ID_HEADER) or new_id()
        bind(correlation_id)
        g.correlation_id = correlation_id
        g.started = time.perf_counter()
        if token_verifier is not None:
            load_principal(token_verifier)

    @app.after_request
    def _finish_request(response: Response) -> Response:
        response.headers[CORRELATION_HEADER] = g.get("correlation_id", "")
        _observe(response, time.perf_counter() - g.get("started", time.perf_counter()))
        if not request.path.endswith("/health/live"):
            access_log.info(
                "request",
                extra={
                    "fields": {
                        "method": request.method,
                        "path": request.path,
                        "status": response.status_code,
                        "ms": round((time.perf_counter() - g.get("started", time.perf_counter())) * 1000, 1),
                    }
                },
            )
        return response

    @app.teardown_request
    def _end_request(_exc: BaseException | None) -> None:
        unbind()


def _metrics() -> Response:
    body, content_type = metrics.render()
    return Response(body, content_type=content_type, headers={"Cache-Control": "no-store"})


def _observe(response: Response, seconds: float) -> None:
    """Count the request by its route template (bounded labels: never the ids in the path)."""
    route = request.url_rule.rule if request.url_rule is not None else "unmatched"
    metrics.HTTP_REQUESTS.labels(route, request.method, str(response.status_code)).inc()
    metrics.HTTP_SECONDS.labels(route, request.method).observe(seconds)


class ServiceRuntimeLike(Protocol):
    """What the chassis needs of a service's runtime (its composition root)."""

    @property
    def settings(self) -> BaseSettings: ...

    @property
    def engine(self) -> Engine: ...


def create_runtime_app(
    runtime: ServiceRuntimeLike,
    *,
    title: str,
    description: str,
    blueprints: Sequence[Blueprint],
    migration_head: str,
    verifier: IdentityTokenVerifier | None = None,
) -> Flask:
    """A service's whole ``create_app``: the chassis over its runtime.

    Ready when the service's database answers and is migrated to ``migration_head``; the runtime is
    what :func:`servicekit.api.current_runtime` gives the routes. Every blueprint must be a
    :class:`servicekit.api.Blueprint`, so every operation authorizes first.
    """
    for blueprint in blueprints:
        if not isinstance(blueprint, AuthorizingBlueprint):
            raise TypeError(f"blueprint {blueprint.name!r}: make it with servicekit.api.blueprint()")
    app = create_service_app(
        runtime.settings,
        title=title,
        version="1",
        description=description,
        blueprints=blueprints,
        readiness=[database_check(runtime.engine), migrations_check(runtime.engine, migration_head)],
        verifier=verifier,
    )
    app.extensions["runtime"] = runtime
    return app
