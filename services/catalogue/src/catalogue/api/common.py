"""What every resource's routes share: roles, Dutch validation messages, domain-error mapping."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any, ClassVar, TypeVar

from flask import current_app
from flask_smorest import Blueprint, abort
from marshmallow import Schema, fields
from sqlalchemy.orm import Session
from werkzeug.exceptions import UnprocessableEntity

from catalogue.bootstrap import Runtime
from catalogue.domain.exceptions import CatalogueError, Conflict, ImportRejected, InvalidInput, NotFound, RuleViolation
from servicekit.auth import requires
from servicekit.db import UnitOfWork
from servicekit.errors import error_response

#: Who may change master data; every logged-in principal may read it.
WRITER_ROLES = ("catalogue_maintainer", "platform_admin")

T = TypeVar("T")

_DUTCH_FIELD_MESSAGES = {
    "required": "Verplicht veld.",
    "null": "Mag niet leeg (null) zijn.",
    "validator_failed": "Ongeldige waarde.",
    "invalid_uuid": "Geen geldige UUID.",
    "too_large": "Getal is te groot.",
    "invalid_utf8": "Geen geldige UTF-8-tekst.",
}


class BaseSchema(Schema):
    """Marshmallow schema whose validation messages are Dutch (they reach the user)."""

    error_messages: ClassVar[dict[str, str]] = {
        "unknown": "Onbekend veld.",
        "type": "Ongeldige invoer: verwacht een JSON-object.",
    }

    def on_bind_field(self, field_name: str, field_obj: fields.Field) -> None:
        messages = {k: v for k, v in _DUTCH_FIELD_MESSAGES.items() if k in field_obj.error_messages}
        if "invalid" in field_obj.error_messages:
            if isinstance(field_obj, fields.Date):
                messages["invalid"] = "Ongeldige datum; gebruik JJJJ-MM-DD."
            elif isinstance(field_obj, fields.Integer):
                messages["invalid"] = "Geen geldig geheel getal."
            elif isinstance(field_obj, fields.Boolean):
                messages["invalid"] = "Geen geldige ja/nee-waarde (true/false)."
            elif isinstance(field_obj, fields.List):
                messages["invalid"] = "Verwacht een lijst."
            else:
                messages["invalid"] = "Ongeldige waarde."
        field_obj.error_messages = {**field_obj.error_messages, **messages}


def blueprint(name: str, url_prefix: str, description: str) -> Blueprint:
    """A resource blueprint whose own 422s (request validation) carry a Dutch message."""
    blp = Blueprint(name, __name__, url_prefix=url_prefix, description=description)

    @blp.errorhandler(UnprocessableEntity)
    def _invalid(exc: UnprocessableEntity) -> Any:
        data = getattr(exc, "data", None) or {}
        message = data.get("message") or "De invoer is ongeldig; zie 'errors' per veld."
        return error_response(422, message, data.get("messages") or data.get("errors"))

    return blp


def runtime() -> Runtime:
    return current_app.extensions["runtime"]  # type: ignore[no-any-return]


def unit_of_work() -> UnitOfWork:
    return runtime().unit_of_work()


@contextmanager
def read_session() -> Iterator[Session]:
    with runtime().sessions() as session:
        yield session


#: Write views: 401 without a principal, 403 for anyone but a catalogue maintainer or platform admin.
#: Applied as the outermost decorator, so authorisation is checked before the body is validated.
writer = requires(*WRITER_ROLES)
#: Read views: any logged-in principal (insurers, publication consumers, ...).
logged_in = requires()


def run(handler: Callable[..., T], *args: Any) -> T:
    """Call a command handler, mapping domain exceptions to the common error body."""
    try:
        return handler(*args)
    except ImportRejected as exc:
        abort(422, message=exc.message, errors={"rows": exc.rows})
    except (InvalidInput, RuleViolation) as exc:
        abort(422, message=exc.message, errors=exc.errors)
    except NotFound as exc:
        abort(404, message=exc.message, errors=exc.errors)
    except Conflict as exc:
        abort(409, message=exc.message, errors=exc.errors)
    except CatalogueError as exc:  # pragma: no cover - every subclass is mapped above
        abort(400, message=exc.message, errors=exc.errors)
    raise AssertionError("unreachable")


def found(item: T | None, message: str) -> T:
    if item is None:
        abort(404, message=message)
    assert item is not None
    return item
