"""``create_app``: the portal's pages on the kit's request context, health endpoints and settings."""

from __future__ import annotations

import logging
from typing import Any

from flask import Flask, Response, g, redirect, render_template, request
from flask_smorest import Api
from werkzeug.exceptions import HTTPException
from werkzeug.middleware.proxy_fix import ProxyFix

from portal import SERVICE
from portal.adapters.gateway import ApiError, GatewayClient, Transport
from portal.config import Settings
from portal.domain import labels
from portal.web import blueprints, pages, session
from servicekit.app import install_request_context
from servicekit.health import ReadinessCheck, health_blueprint

log = logging.getLogger(__name__)

#: No inline script or style anywhere: the policy allows the portal's own files only.
CONTENT_SECURITY_POLICY = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "form-action 'self'; frame-ancestors 'none'; base-uri 'none'; object-src 'none'"
)
ERROR_PAGES = {
    400: ("Ongeldig verzoek", "Het verzoek kon niet worden verwerkt. Laad de pagina opnieuw en probeer het nog eens."),
    403: ("Geen toegang", "U heeft geen toegang tot deze pagina."),
    404: ("Niet gevonden", "Deze pagina of gegevens zijn niet gevonden, of u heeft er geen toegang toe."),
    405: ("Niet toegestaan", "Deze handeling is hier niet mogelijk."),
    413: ("Bestand te groot", "Het bestand is te groot om te verwerken."),
    500: ("Er ging iets mis", "Er ging iets mis aan onze kant; de fout is vastgelegd. Probeer het later opnieuw."),
    503: (
        "Tijdelijk niet beschikbaar",
        "De dienst is tijdelijk niet beschikbaar. Probeer het over een ogenblik opnieuw.",
    ),
}
CSRF_REFUSED = (
    "Het formulier is verlopen of niet door deze portal gemaakt. Laad de pagina opnieuw en probeer het nog eens."
)


def gateway_check(transport: Transport) -> ReadinessCheck:
    def check() -> str | None:
        try:
            GatewayClient(transport).get("/api/identity/health/live")
        except ApiError as exc:
            return f"gateway: {exc.status}"
        return None

    return ReadinessCheck("gateway", check)


def create_app(settings: Settings | None = None, transport: Transport | None = None) -> Flask:
    settings = settings or Settings.from_env()
    transport = transport or Transport(settings.gateway_url, settings.api_timeout)
    app = Flask(SERVICE)
    app.wsgi_app = ProxyFix(app.wsgi_app, x_for=1, x_proto=1)  # type: ignore[method-assign]
    app.config.update(
        SECRET_KEY=settings.secret_key,
        SESSION_COOKIE_NAME=session.COOKIE_NAME,
        SESSION_COOKIE_HTTPONLY=True,
        SESSION_COOKIE_SAMESITE="Lax",
        MAX_CONTENT_LENGTH=settings.max_body_bytes,
        SEND_FILE_MAX_AGE_DEFAULT=3600,
        API_TITLE="Portal",
        API_VERSION="1",
        OPENAPI_VERSION="3.0.3",
        OPENAPI_URL_PREFIX=None,  # pages, not an API: no OpenAPI document
    )
    app.session_interface = session.PortalSessionInterface()
    app.extensions["portal.settings"] = settings
    app.extensions["portal.transport"] = transport
    Api(app).register_blueprint(
        health_blueprint(SERVICE, [gateway_check(transport)]), url_prefix=f"/api/{SERVICE}/health"
    )
    for blueprint in blueprints():
        app.register_blueprint(blueprint)
    install_request_context(app)
    _install_hooks(app)
    _install_error_pages(app)
    app.jinja_env.globals.update(labels=labels, csrf_token=session.csrf_token, current_user=session.current)
    app.jinja_env.trim_blocks = app.jinja_env.lstrip_blocks = True
    return app


def _install_hooks(app: Flask) -> None:
    @app.before_request
    def _session_rules() -> Any:
        if request.endpoint in (None, "static") or request.path.startswith(f"/api/{SERVICE}/"):
            return None
        session.check_csrf()
        if session.expired_by_idle():
            pages.end_identity_session(g.pop("expired_token"))
            return pages.to_login()
        return None

    @app.after_request
    def _headers(response: Response) -> Response:
        response.headers.setdefault("Content-Security-Policy", CONTENT_SECURITY_POLICY)
        response.headers.setdefault("X-Content-Type-Options", "nosniff")
        response.headers.setdefault("Referrer-Policy", "same-origin")
        response.headers.setdefault("X-Frame-Options", "DENY")
        if response.mimetype == "text/html":
            response.headers.setdefault("Cache-Control", "no-store")
        return response


def _install_error_pages(app: Flask) -> None:
    def page(status: int, message: str | None = None) -> tuple[str, int]:
        title, default = ERROR_PAGES.get(status, ERROR_PAGES[500])
        return render_template("error.html", title=title, message=message or default, status=status), status

    @app.errorhandler(ApiError)
    def _api_error(exc: ApiError) -> Any:
        if exc.status == 401:
            session.end("Uw sessie is verlopen of beëindigd. Log opnieuw in.")
            return pages.to_login()
        if exc.status in (403, 404):
            return page(exc.status)
        if exc.status >= 500:
            log.warning("API unavailable: %s", exc)
            return page(503)
        return page(exc.status if exc.status in ERROR_PAGES else 400, exc.message)

    @app.errorhandler(HTTPException)
    def _http_error(exc: HTTPException) -> Any:
        status = exc.code or 500
        if status == 403 and exc.description == "csrf":
            return page(403, CSRF_REFUSED)
        if request.path.startswith(f"/api/{SERVICE}/"):
            return {"code": status, "status": exc.name, "message": ERROR_PAGES.get(status, ERROR_PAGES[500])[1]}, status
        return page(status)

    @app.errorhandler(Exception)
    def _unexpected(exc: Exception) -> Any:
        log.exception("unhandled error")
        return page(500)

    @app.route("/")
    def home() -> Any:
        return redirect(pages.start_page())
