"""What every answer of every service carries, and what a URL may hold, whatever the route.

- ``X-Content-Type-Options: nosniff`` on every response: a browser never guesses a type.
- ``Cache-Control: no-store`` unless a route set its own: answers are per caller (authenticated
  data, exports, the login answer with its token) and must not be kept by a browser or a proxy.
- ``<int:…>`` in a route matches only numbers that fit a database integer; a larger one is an
  unknown route (404), never an overflow (500).
"""

from __future__ import annotations

from flask import Flask, Response
from werkzeug.routing import IntegerConverter, Map

from servicekit.schemas import INT_MAX


class BoundedIntegerConverter(IntegerConverter):
    """``<int:…>`` with a default (and highest) ``max`` of a database integer."""

    def __init__(
        self, map: Map, fixed_digits: int = 0, min: int | None = None, max: int | None = None, signed: bool = False
    ) -> None:
        bound = INT_MAX if max is None or max > INT_MAX else max
        super().__init__(map, fixed_digits, min, bound, signed)


def _headers(response: Response) -> Response:
    response.headers.setdefault("X-Content-Type-Options", "nosniff")
    response.headers.setdefault("Cache-Control", "no-store")
    return response


def register_security(app: Flask) -> None:
    """Call before any blueprint is registered (the converter applies to the rules added after it)."""
    app.url_map.converters["int"] = BoundedIntegerConverter
    app.after_request(_headers)
