"""Request validation the Dutch way: the base schema, and marshmallow's messages made flat and Dutch.

marshmallow and webargs answer in English and nest errors by location and position
(``{"json": {"rows": {"0": {"status": [...]}}}}``). Users read Dutch, and domain errors name fields
flat (``rows.0.status``), so the app chassis runs every validation error through :func:`flat_errors`:
one level, dotted paths, each message translated by :func:`dutch`. The translation works on
marshmallow's own default messages (a test walks all of them), so a schema needs no per-field
``error_messages`` to be Dutch; a message a schema sets itself is kept as it is.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from marshmallow import RAISE, Schema, ValidationError, fields, validate

#: Key of an error about the whole body (or query string) rather than one field.
WHOLE = {"json": "body", "form": "body", "files": "body", "json_or_form": "body", "querystring": "query"}

_OPERATORS = {
    "greater than or equal to": "minstens",
    "greater than": "groter dan",
    "less than or equal to": "hoogstens",
    "less than": "kleiner dan",
}
_OP = "|".join(_OPERATORS)

# English template (marshmallow 4 / webargs 8 defaults) -> Dutch template; {name} is carried over.
_TRANSLATIONS: tuple[tuple[str, str], ...] = (
    ("Missing data for required field.", "Verplicht veld."),
    ("Field may not be null.", "Mag niet leeg (null) zijn."),
    ("Invalid value.", "Ongeldige waarde."),
    ("Invalid input.", "Ongeldige invoer."),
    ("Invalid type.", "Ongeldige invoer: verwacht een JSON-object."),
    ("Invalid input type.", "Ongeldige invoer: verwacht een JSON-object."),
    ("Invalid JSON body.", "De inhoud is geen geldige JSON."),
    ("Unknown field.", "Onbekend veld."),
    ("Must be one of: {choices}.", "Kies een van: {choices}."),
    ("Not a valid UUID.", "Geen geldige UUID."),
    ("Not a valid boolean.", "Geen geldige ja/nee-waarde (true/false)."),
    ("Not a valid date.", "Ongeldige datum; gebruik JJJJ-MM-DD."),
    ("Not a valid email address.", "Geen geldig e-mailadres."),
    ("Not a valid integer.", "Geen geldig geheel getal."),
    ("Not a valid number.", "Geen geldig getal."),
    ("Number too large.", "Getal is te groot."),
    ("Special numeric values (nan or infinity) are not permitted.", "NaN en oneindig zijn niet toegestaan."),
    ("Not a valid string.", "Tekst verwacht."),
    ("Not a valid utf-8 string.", "Geen geldige UTF-8-tekst."),
    ("Not a valid list.", "Verwacht een lijst."),
    ("Not a valid tuple.", "Verwacht een lijst."),
    ("Not a valid mapping type.", "Verwacht een JSON-object."),
    ("Not a valid URL.", "Geen geldige URL."),
    ("Not a valid period of time.", "Geen geldige tijdsduur."),
    ("Not a valid {awareness} {obj_type}.", "Ongeldig tijdstip; gebruik ISO 8601 met tijdzone."),
    ("Not a valid {obj_type}.", "Ongeldig tijdstip; gebruik ISO 8601."),
    ("Length must be between {min} and {max}.", "De lengte moet tussen {min} en {max} liggen."),
    ("Length must be {equal}.", "De lengte moet {equal} zijn."),
    ("Longer than maximum length {max}.", "Langer dan de maximale lengte {max}."),
    ("Shorter than minimum length {min}.", "Korter dan de minimale lengte {min}."),
    ("Must be {min_op} {min} and {max_op} {max}.", "Moet {min_op} {min} en {max_op} {max} zijn."),
    ("Must be {min_op} {min}.", "Moet {min_op} {min} zijn."),
    ("Must be {max_op} {max}.", "Moet {max_op} {max} zijn."),
    ("String does not match expected pattern.", "Ongeldig formaat."),
    ("Must be equal to {other}.", "Moet gelijk zijn aan {other}."),
    ("One or more of the choices you made was not in: {choices}.", "Niet toegestaan; kies uit: {choices}."),
    ("One or more of the choices you made was in: {values}.", "Niet toegestaan: {values}."),
)
_IP = re.compile(r"Not a valid IP(v4|v6)? (address|interface)\.")


_PLACEHOLDERS = {"obj_type": "datetime|time|date", "awareness": "aware|naive"}


def _pattern(template: str) -> re.Pattern[str]:
    def group(match: re.Match[str]) -> str:
        name = match.group(1)
        allowed = _OP if name.endswith("_op") else _PLACEHOLDERS.get(name, ".+?")
        return f"(?P<{name}>{allowed})"

    return re.compile(re.sub(r"\\\{(\w+)\\\}", group, re.escape(template)))


_COMPILED = tuple((_pattern(english), dutch_template) for english, dutch_template in _TRANSLATIONS)


def dutch(message: str) -> str:
    """marshmallow's English default message in Dutch; any other message unchanged."""
    if _IP.fullmatch(message):
        return "Geen geldig IP-adres."
    for pattern, template in _COMPILED:
        match = pattern.fullmatch(message)
        if match:
            values = {k: _OPERATORS.get(v, v) for k, v in match.groupdict().items()}
            return template.format(**values)
    return message


def flat_errors(messages: Mapping[str, Any]) -> dict[str, list[str]]:
    """webargs' ``{location: nested errors}`` as ``{"dotted.path": [Dutch messages]}``.

    An error about a whole body or query string is keyed ``body`` or ``query``.
    """
    flat: dict[str, list[str]] = {}
    for location, nested in messages.items():
        _flatten(nested, "", WHOLE.get(location, location), flat)
    return flat


def _flatten(value: Any, path: str, whole: str, into: dict[str, list[str]]) -> None:
    if isinstance(value, Mapping):
        for key, inner in value.items():
            child = path if key == "_schema" else (f"{path}.{key}" if path else str(key))
            _flatten(inner, child, whole, into)
    elif isinstance(value, list | tuple) and all(isinstance(item, str) for item in value):
        into.setdefault(path or whole, []).extend(dutch(item) for item in value)
    elif isinstance(value, list | tuple):
        for item in value:
            _flatten(item, path, whole, into)
    else:
        into.setdefault(path or whole, []).append(dutch(str(value)))


#: Refused in every text field: C0/C1 control characters (NUL, ESC of ANSI escapes, ...) and lone
#: surrogates (they cannot be stored as UTF-8). A multi-line field (``metadata={"multiline": True}``:
#: remarks, descriptions) also takes tab, line feed and carriage return.
_NOT_SINGLE_LINE = re.compile("[\x00-\x1f\x7f-\x9f\ud800-\udfff]")
_NOT_MULTI_LINE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff]")
SINGLE_LINE_MESSAGE = (
    "Alleen gewone tekst op één regel: geen regeleinden, tabs of stuurtekens (zoals NUL of escape-codes)."
)
MULTI_LINE_MESSAGE = "Alleen gewone tekst: geen stuurtekens (zoals NUL of escape-codes)."
#: Whole numbers fit a PostgreSQL ``integer`` unless a field says otherwise with its own range.
INT_MIN, INT_MAX = -(2**31), 2**31 - 1
#: Pages of a listing: bounded, so that an offset never overflows and a typo is refused.
MAX_PAGE = 1_000_000


class PlainText(validate.Validator):
    """Refuses control characters (and, on a single line, line breaks and tabs) in a text field."""

    def __init__(self, *, multiline: bool) -> None:
        self.pattern = _NOT_MULTI_LINE if multiline else _NOT_SINGLE_LINE
        self.message = MULTI_LINE_MESSAGE if multiline else SINGLE_LINE_MESSAGE

    def __call__(self, value: Any) -> Any:
        if isinstance(value, str) and self.pattern.search(value):
            raise ValidationError(self.message)
        return value


class StrictBoolean(fields.Boolean):
    """JSON ``true``/``false``, or the words true/false in a query string; ``"yes"``, 1, ``"on"`` are refused."""

    def _deserialize(self, value: Any, attr: str | None, data: Any, **kwargs: Any) -> bool:
        if isinstance(value, bool):
            return value
        if isinstance(value, str) and value.lower() in ("true", "false"):
            return value.lower() == "true"
        raise self.make_error("invalid")


def harden(field: fields.Field[Any]) -> None:
    """The kit's input rules for one field and the fields inside it (list items, mapping values)."""
    if isinstance(field, fields.String):
        field.validators.insert(0, PlainText(multiline=bool(field.metadata.get("multiline"))))
    elif type(field) is fields.Boolean:
        field.__class__ = StrictBoolean  # the same field, stricter: no schema has to declare it
    elif isinstance(field, fields.Integer):
        field.validators.append(validate.Range(INT_MIN, INT_MAX, error="Getal is te groot."))
    elif isinstance(field, fields.List) and field.inner is not None:
        harden(field.inner)
    elif isinstance(field, fields.Tuple):
        for inner in field.tuple_fields:
            harden(inner)
    elif isinstance(field, fields.Dict):
        for part in (field.key_field, field.value_field):
            if part is not None:
                harden(part)


class BaseSchema(Schema):
    """Base of every request and response schema.

    Unknown fields are refused (``Onbekend veld.``). Every field gets the kit's input rules
    (:func:`harden`): plain text only (no NUL, escape codes or other control characters; line breaks
    and tabs only in fields marked ``metadata={"multiline": True}``), strict booleans, and whole
    numbers within a database integer.
    """

    class Meta:
        unknown = RAISE

    def on_bind_field(self, field_name: str, field_obj: fields.Field[Any]) -> None:
        harden(field_obj)


def page_size_field(default: int = 50, most: int = 500) -> fields.Integer:
    """A listing's ``page_size`` field: ``default`` rows a page, at most ``most``."""
    return fields.Integer(load_default=default, validate=validate.Range(1, most))


class PageArgsSchema(BaseSchema):
    """``page`` and ``page_size`` of a listing; a listing narrows ``page_size`` by ``page_size = page_size_field(…)``."""

    page = fields.Integer(
        load_default=1, validate=validate.Range(1, MAX_PAGE), metadata={"description": "Pagina, vanaf 1."}
    )
    page_size = page_size_field()


class PageSchema(BaseSchema):
    """One page of a listing (``servicekit.paging.paged``): a subclass adds ``items``."""

    total = fields.Integer()
    page = fields.Integer()
