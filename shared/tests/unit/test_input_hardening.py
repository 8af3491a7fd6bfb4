"""Issue 16 items 4, 5 and 9 at the kit's depth: no input gets a 500, every answer has the safe headers.

Every service inherits these through servicekit (BaseSchema, the request parser, the chassis), so they
are tested once here on a small app, and on one real operation per service in the services' suites.
"""

from __future__ import annotations

from typing import Any

import pytest
from flask.views import MethodView
from marshmallow import fields, validate

from servicekit.api import blueprint, requires
from servicekit.schemas import MAX_PAGE, BaseSchema, PageArgsSchema
from servicekit.testing.identity import IdentityKeys, gateway_client
from tests.unit.conftest import demo_app


class NoteSchema(BaseSchema):
    name = fields.String(validate=validate.Length(max=200))
    remark = fields.String(allow_none=True, metadata={"multiline": True})
    cascade = fields.Boolean(load_default=False)
    version = fields.Integer()
    tags = fields.List(fields.String())


def _resource() -> Any:
    blp = blueprint("notes", "/notes", "Test resource.")

    @blp.route("")
    class Notes(MethodView):
        @requires()
        @blp.arguments(PageArgsSchema, location="query")
        @blp.response(200)
        def get(self, args: dict[str, Any]) -> Any:
            """A listing."""
            return args

        @requires()
        @blp.arguments(NoteSchema)
        @blp.response(200)
        def post(self, payload: dict[str, Any]) -> Any:
            """A write."""
            return payload

    @blp.route("/<int:year>")
    class NotesOfYear(MethodView):
        @requires()
        @blp.response(200)
        def get(self, year: int) -> Any:
            """A number in the path."""
            return {"year": year}, 200, {"Cache-Control": "max-age=60"}

    return blp


@pytest.fixture(scope="module")
def call(keys: IdentityKeys) -> Any:
    app = demo_app(keys, _resource())
    client, headers = gateway_client(app, keys), keys.headers(roles=("reader",))

    def send(method: str, path: str, **kwargs: Any) -> Any:
        return client.open(f"/api/demo{path}", method=method, headers=headers | kwargs.pop("headers", {}), **kwargs)

    return send


def _refused(response: Any, status: int, field: str) -> dict[str, Any]:
    assert response.status_code == status, response.get_data(as_text=True)[:300]
    body: dict[str, Any] = response.json
    assert field in body["errors"], body
    return body


@pytest.mark.parametrize(
    ("text", "field"),
    [
        ("a\x00b", "name"),  # NUL: PostgreSQL refuses it in text
        ("\ud800", "name"),  # a lone surrogate cannot be encoded as UTF-8
        ("\x1b[31mrood\x1b[0m", "name"),  # ANSI escape codes
        ("twee\nregels", "name"),  # a single-line field
        ("tab\tin naam", "name"),
    ],
)
def test_control_characters_in_a_single_line_field_are_refused_naming_it(call: Any, text: str, field: str) -> None:
    body = _refused(call("POST", "/notes", json={field: text}), 422, field)
    assert "stuurtekens" in body["errors"][field][0]


def test_a_multiline_field_takes_line_breaks_and_tabs_but_no_other_control_characters(call: Any) -> None:
    assert call("POST", "/notes", json={"remark": "regel 1\r\nregel\t2"}).status_code == 200
    _refused(call("POST", "/notes", json={"remark": "bel\x07"}), 422, "remark")
    _refused(call("POST", "/notes", json={"tags": ["ok", "n\x00ul"]}), 422, "tags.1")


def test_nul_in_a_query_parameter_is_refused(call: Any) -> None:
    _refused(call("GET", "/notes?page=1%00"), 422, "page")


@pytest.mark.parametrize("value", ["yes", "1", 1, "on", None])
def test_booleans_are_strict(call: Any, value: Any) -> None:
    """cascade: "yes" is not taken as true."""
    _refused(call("POST", "/notes", json={"cascade": value}), 422, "cascade")
    assert call("POST", "/notes", json={"cascade": True}).json["cascade"] is True


def test_numbers_are_bounded_in_body_query_and_path(call: Any) -> None:
    _refused(call("POST", "/notes", json={"version": 2**63}), 422, "version")
    _refused(call("GET", f"/notes?page={MAX_PAGE + 1}"), 422, "page")
    _refused(call("GET", "/notes?page_size=100000"), 422, "page_size")
    assert call("GET", "/notes?page=3").json == {"page": 3, "page_size": 50}
    assert call("GET", f"/notes/{10**30}").status_code == 404
    assert call("GET", "/notes/2026").json == {"year": 2026}


@pytest.mark.parametrize("body", ["[" * 100_000 + "]" * 100_000, '{"version": ' + "9" * 5000 + "}"])
def test_deeply_nested_json_or_a_giant_number_is_a_400(call: Any, body: str) -> None:
    response = call("POST", "/notes", data=body, content_type="application/json")
    _refused(response, 400, "body")


@pytest.mark.parametrize(
    ("data", "content_type"),
    [
        ("name=x", "application/x-www-form-urlencoded"),
        ("name: x", "text/plain"),
        ("<note><name>x</name></note>", "application/xml"),
    ],
)
def test_a_write_that_is_not_json_gets_415(call: Any, data: str, content_type: str) -> None:
    response = call("POST", "/notes", data=data, content_type=content_type)
    body = _refused(response, 415, "Content-Type")
    assert "JSON" in body["message"]


def test_a_write_without_body_is_an_empty_object(call: Any) -> None:
    assert call("POST", "/notes").json == {"cascade": False}


def test_every_answer_has_nosniff_and_no_store_unless_the_route_says_otherwise(call: Any) -> None:
    for response in (call("GET", "/notes"), call("GET", "/nothing"), call("POST", "/notes", json={"cascade": "x"})):
        assert response.headers["X-Content-Type-Options"] == "nosniff"
        assert response.headers["Cache-Control"] == "no-store"
    assert call("GET", "/notes/2026").headers["Cache-Control"] == "max-age=60"


def test_every_401_and_403_body_has_errors(call: Any, keys: IdentityKeys) -> None:
    anonymous = call("GET", "/notes", headers={"X-Identity-Token": ""})
    assert anonymous.status_code == 401 and anonymous.json["errors"]
    forged = call("GET", "/notes", headers={"X-Identity-Token": "forged"})
    assert forged.status_code == 401 and forged.json["errors"]["authorization"]
