"""The one way a route is written, in every service.

```python
blp = blueprint("groups", "/groups", "Groepen van instellingen.")

@blp.route("/<uuid:group_id>")
class GroupById(MethodView):
    @requires(*WRITER_ROLES)                   # outermost: 401/403 before the body is even read
    @blp.arguments(schemas.GroupChangeSchema)  # then validation: a flat, Dutch 422 (servicekit.schemas)
    @blp.response(200, schemas.GroupSchema)
    def patch(self, data, group_id):
        \"\"\"The OpenAPI description.\"\"\"
        handlers.change_group(commands.ChangeGroup(...), current_runtime().unit_of_work())
```

- Authorization runs first: :func:`requires` (or :func:`public`) must be the outermost decorator of
  every operation; a :class:`Blueprint` refuses at start-up a view without it, or with it further in.
  It also documents the operation's security and its 401/403 answers in the OpenAPI document.
- A handler raises :class:`servicekit.exceptions.DomainError` subclasses; the chassis maps any of
  them to the common Dutch error body (``servicekit.errors``), so routes call handlers directly.
- A route reads through :func:`read` (a ``queries`` function in a session of the request) or
  :func:`read_found` (the same, 404 when it finds nothing), not a session block of its own.
"""

from __future__ import annotations

import functools
import json
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from copy import deepcopy
from http import HTTPStatus
from typing import Any, Concatenate, NoReturn, ParamSpec, TypeVar, cast

import flask_smorest
from flask import Request, current_app
from flask.views import MethodView
from marshmallow import missing
from sqlalchemy.orm import Session
from webargs.core import parse_json
from webargs.flaskparser import FlaskParser, is_json_request

from servicekit.auth import require_principal
from servicekit.db import UnitOfWork

F = TypeVar("F", bound=Callable[..., Any])
T = TypeVar("T")
P = ParamSpec("P")

#: The attribute an authorization decorator sets on the function it returns (and only on that one).
_AUTHORIZED = "_servicekit_authorized"
BEARER = "bearer"
TOO_DEEP = "Te diep geneste lijsten of objecten, of een getal met duizenden cijfers."


def abort(status: int, **kwargs: Any) -> NoReturn:
    """``flask_smorest.abort`` (the common error body), typed as never returning, so the checker narrows after it."""
    flask_smorest.abort(status, **kwargs)
    raise AssertionError("flask_smorest.abort always raises")  # pragma: no cover


class MissingAuthorization(TypeError):
    """A route whose outermost decorator is not ``requires(...)`` or ``public``."""


def _authorized(view: Callable[..., Any], wrapper: Any, roles: tuple[str, ...] | None) -> Any:
    """Mark ``wrapper`` as the authorization layer and document it (security, 401, 403)."""
    wrapper._apidoc = deepcopy(getattr(view, "_apidoc", {}))
    manual = wrapper._apidoc.setdefault("manual_doc", {})
    responses = wrapper._apidoc.setdefault("response", {}).setdefault("responses", {})
    if roles is None:
        manual["security"] = []
    else:
        manual["security"] = [{BEARER: []}]
        responses.setdefault(401, []).append("UNAUTHORIZED")
        if roles:
            responses.setdefault(403, []).append("FORBIDDEN")
    setattr(wrapper, _AUTHORIZED, wrapper)
    return wrapper


def _document(function: Any, codes: Iterable[int]) -> None:
    """Add the common error answers ``codes`` to an operation's OpenAPI responses (once each)."""
    function._apidoc = deepcopy(getattr(function, "_apidoc", {}))
    responses = function._apidoc.setdefault("response", {}).setdefault("responses", {})
    for code in codes:
        name = HTTPStatus(code).name
        if name not in responses.setdefault(code, []):
            responses[code].append(name)


def responds(*codes: int) -> Callable[[F], F]:
    """Document error answers an operation gives besides those the kit documents itself (e.g. 409, 412, 428).

    The kit documents 401/403 (``requires``), 422 (arguments), 404 (a path with parameters) and 400/415
    (a JSON body) by itself.
    """

    def decorate(view: F) -> F:
        _document(view, codes)
        return view

    return decorate


def requires(*roles: str) -> Callable[[F], F]:
    """Outermost decorator of a protected operation: 401 without a caller, 403 without one of ``roles``.

    No roles: any logged-in caller (user or API key).
    """

    def decorate(view: F) -> F:
        @functools.wraps(view)
        def wrapper(*args: Any, **kwargs: Any) -> Any:
            require_principal(*roles)
            return view(*args, **kwargs)

        return cast(F, _authorized(view, wrapper, roles))

    return decorate


def public(view: F) -> F:
    """Outermost decorator of an operation anyone may call (log in, the gateway's check, health)."""

    @functools.wraps(view)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        return view(*args, **kwargs)

    return cast(F, _authorized(view, wrapper, None))


def _operations(view: Any) -> list[tuple[str, Callable[..., Any]]]:
    if isinstance(view, type) and issubclass(view, MethodView):
        return [(method, getattr(view, method.lower())) for method in sorted(view.methods or ())]
    return [("view", view)]


def check_authorization(view: Any, where: str) -> None:
    """Refuse a view whose operations do not start with ``requires(...)`` or ``public``."""
    for method, function in _operations(view):
        if getattr(function, _AUTHORIZED, None) is not function:
            raise MissingAuthorization(
                f"{where} {method}: make requires(...) or public the outermost decorator, "
                "so that authorization runs before the request is validated"
            )


def _implied_errors(rule: str, function: Any) -> list[int]:
    """404 where the path has parameters; 400 and 415 where the operation reads a JSON body."""
    codes = [404] if "<" in (rule or "") else []
    parameters = getattr(function, "_apidoc", {}).get("arguments", {}).get("parameters", [])
    if any(p.get("in") == "json" for p in parameters):
        codes += [400, 415]
    return codes


class RequestParser(FlaskParser):
    """webargs' parser, refusing what it would otherwise read as ``{}`` or answer with a 500.

    - A body of another type than JSON (text/plain, a form, XML) for a JSON operation: 415.
    - JSON nested deeper than Python's recursion limit, or with a number of thousands of digits: 400.
    """

    def _raw_load_json(self, req: Request) -> Any:
        if not is_json_request(req):
            if req.mimetype or req.content_length:
                abort(
                    415,
                    message="Stuur de gegevens als JSON (Content-Type: application/json).",
                    errors={"Content-Type": ["Alleen application/json wordt hier gelezen."]},
                )
            return missing
        try:
            return parse_json(req.get_data(cache=True))
        except (RecursionError, ValueError) as exc:
            if isinstance(exc, json.JSONDecodeError):
                raise
            abort(400, message="De JSON is te diep genest of bevat een te groot getal.", errors={"body": [TOO_DEEP]})


class Blueprint(flask_smorest.Blueprint):  # type: ignore[misc]  # flask-smorest ships no types
    """flask-smorest's Blueprint that will not register an operation without authorization first."""

    ARGUMENTS_PARSER = RequestParser()

    def add_url_rule(self, rule: str, endpoint: str | None = None, view_func: Any = None, **options: Any) -> None:
        check_authorization(view_func, f"{self.name} {rule}")
        for _, function in _operations(view_func):
            _document(function, _implied_errors(rule, function))
        super().add_url_rule(rule, endpoint, view_func, **options)


def blueprint(name: str, url_prefix: str, description: str) -> Blueprint:
    """A resource's blueprint: ``url_prefix`` below ``/api/<service>``, ``description`` in the OpenAPI."""
    return Blueprint(name, __name__, url_prefix=url_prefix, description=description)


def current_runtime() -> Any:
    """The service's runtime (composition root) of this app: unit of work, sessions, settings."""
    return current_app.extensions["runtime"]


def unit_of_work() -> UnitOfWork:
    """A new unit of work of this request (a write: the handler commits it or nothing)."""
    return cast(UnitOfWork, current_runtime().unit_of_work())


@contextmanager
def read_session() -> Iterator[Session]:
    """A session for the read side (``queries.py``) of this request, closed afterwards."""
    with current_runtime().sessions() as session:
        yield session


def found(item: T | None, message: str) -> T:
    """``item``, or 404 with ``message`` when there is none."""
    if item is None:
        abort(404, message=message)
    return item


def read(query: Callable[Concatenate[Session, P], T], *args: P.args, **kwargs: P.kwargs) -> T:
    """``query(session, *args, **kwargs)`` of the read side in a session of this request (closed afterwards)."""
    with read_session() as session:
        return query(session, *args, **kwargs)


def read_found(
    missing: str, query: Callable[Concatenate[Session, P], T | None], *args: P.args, **kwargs: P.kwargs
) -> T:
    """:func:`read`, or 404 with the message ``missing`` when the query finds nothing."""
    return found(read(query, *args, **kwargs), missing)
