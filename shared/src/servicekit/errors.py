"""One error body everywhere: flask-smorest's ``{code, status, message, errors}``, in Dutch.

Everything that goes wrong in a request answers in this shape: a domain error raised anywhere
(:class:`servicekit.exceptions.DomainError`: its status, Dutch message, field and rule), request
validation (webargs' nested English messages made flat and Dutch, see :mod:`servicekit.schemas`),
``abort(...)`` in a route, unknown routes, oversized bodies, and unexpected exceptions (logged with
their correlation id, answered without details). A 401 always says how to authenticate.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from http import HTTPStatus
from typing import Any

from flask import Flask, Response, jsonify
from werkzeug.exceptions import HTTPException

from servicekit.exceptions import DomainError
from servicekit.schemas import flat_errors

log = logging.getLogger(__name__)

#: Sent with every 401: the client authenticates with a bearer token (session token or API key).
WWW_AUTHENTICATE = 'Bearer realm="zcp"'

# Messages for errors that carry none of their own (the user interface is Dutch).
DEFAULT_MESSAGES = {
    400: "Het verzoek is ongeldig.",
    401: "Niet ingelogd of sessie verlopen; log opnieuw in.",
    403: "U heeft geen rechten voor deze handeling.",
    404: "Onbekende route.",
    405: "Deze methode is niet toegestaan op deze route.",
    409: "Dit botst met de huidige gegevens.",
    412: "De gegevens zijn intussen gewijzigd; lees ze opnieuw.",
    413: "Het verzoek is te groot.",
    415: "Dit inhoudstype wordt niet ondersteund.",
    422: "De invoer is ongeldig; zie 'errors' per veld.",
    428: "Stuur de versie mee die u las (If-Match).",
    429: "Te veel verzoeken; probeer het later opnieuw.",
    500: "Er ging iets mis aan onze kant; de fout is vastgelegd.",
}
FALLBACK_MESSAGE = "Het verzoek kon niet worden verwerkt."


def error_body(status: int, message: str | None = None, errors: Any = None) -> dict[str, Any]:
    phrase = HTTPStatus(status).phrase
    body: dict[str, Any] = {"code": status, "status": phrase}
    body["message"] = message or DEFAULT_MESSAGES.get(status, FALLBACK_MESSAGE)
    if errors is not None:
        body["errors"] = errors
    return body


def error_response(
    status: int, message: str | None = None, errors: Any = None, headers: Mapping[str, str] | None = None
) -> Response:
    response = jsonify(error_body(status, message, errors))
    response.status_code = status
    response.headers.update(headers or {})
    if status == 401:
        response.headers.setdefault("WWW-Authenticate", WWW_AUTHENTICATE)
    return response


def _http_error(exc: HTTPException) -> Response:
    data = getattr(exc, "data", None)
    data = data if isinstance(data, dict) else {}
    status = exc.code or 500
    errors = data.get("errors")
    if errors is None and isinstance(data.get("messages"), Mapping):
        errors = flat_errors(data["messages"])  # webargs' request validation
    headers = dict(data.get("headers") or {})
    if status == 405:
        headers.update({k: v for k, v in exc.get_response().headers.items() if k == "Allow"})
    return error_response(status, data.get("message"), errors, headers)


def _domain_error(exc: DomainError) -> Response:
    return error_response(exc.status, exc.message, exc.errors, exc.headers())


def _unexpected(exc: Exception) -> Response:
    log.exception("unhandled error")
    return error_response(500)


def register_error_handlers(app: Flask) -> None:
    """Replace flask-smorest's handler (registered before) so every error takes the path above."""
    app.register_error_handler(HTTPException, _http_error)
    app.register_error_handler(DomainError, _domain_error)
    app.register_error_handler(Exception, _unexpected)
