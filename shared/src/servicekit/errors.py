"""One error body everywhere: flask-smorest's ``{code, status, message, errors}``.

Routes raise with ``flask_smorest.abort(status, message=..., errors=...)``; this module makes sure
everything else (unknown routes, oversized bodies, unexpected exceptions) answers in the same shape,
and that an unexpected exception is logged with its correlation id and answered without details.
"""

from __future__ import annotations

import logging
from http import HTTPStatus
from typing import Any

from flask import Flask, Response, jsonify
from werkzeug.exceptions import HTTPException

log = logging.getLogger(__name__)

# Messages for errors Flask raises before any route runs (the user interface is Dutch).
DEFAULT_MESSAGES = {
    400: "Het verzoek is ongeldig.",
    401: "Niet ingelogd of sessie verlopen; log opnieuw in.",
    403: "U heeft geen rechten voor deze handeling.",
    404: "Onbekende route.",
    405: "Deze methode is niet toegestaan op deze route.",
    413: "Het verzoek is te groot.",
    415: "Dit inhoudstype wordt niet ondersteund.",
}


def error_body(status: int, message: str | None = None, errors: Any = None) -> dict[str, Any]:
    phrase = HTTPStatus(status).phrase
    body: dict[str, Any] = {"code": status, "status": phrase}
    body["message"] = message or phrase
    if errors is not None:
        body["errors"] = errors
    return body


def error_response(status: int, message: str | None = None, errors: Any = None) -> Response:
    response = jsonify(error_body(status, message, errors))
    response.status_code = status
    return response


def register_error_handlers(app: Flask) -> None:
    """Handlers for what flask-smorest's own handler does not see."""

    @app.errorhandler(HTTPException)
    def _http_error(exc: HTTPException) -> Response:
        data = getattr(exc, "data", None) or {}
        messages = data.get("messages") if isinstance(data, dict) else None
        message = data.get("message") if isinstance(data, dict) else None
        status = exc.code or 500
        fallback = DEFAULT_MESSAGES.get(status, exc.description)
        response = error_response(status, message or fallback, messages or data.get("errors"))
        for header, value in exc.get_response().headers.items() if status == 405 else []:
            if header == "Allow":
                response.headers["Allow"] = value
        return response

    @app.errorhandler(Exception)
    def _unexpected(exc: Exception) -> Response:
        log.exception("unhandled error")
        return error_response(500, "Er ging iets mis aan onze kant; de fout is vastgelegd.")
