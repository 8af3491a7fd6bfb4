"""The one way a route works (servicekit.api): authorization first, flat Dutch errors, domain errors mapped."""

from __future__ import annotations

import inspect
from dataclasses import dataclass
from typing import Any

import marshmallow
import pytest
from flask import Flask
from flask.views import MethodView
from marshmallow import fields, validate

from servicekit.api import MissingAuthorization, blueprint, public, requires
from servicekit.exceptions import Conflict, DomainError, InvalidInput
from servicekit.schemas import BaseSchema, dutch, flat_errors
from servicekit.settings import BaseSettings, SettingsError
from servicekit.testing.identity import IdentityKeys, gateway_client
from tests.unit.conftest import demo_app


class RowSchema(BaseSchema):
    status = fields.String(required=True, validate=validate.OneOf(["FULL", "PARTIAL"]))
    version = fields.Integer(required=True, strict=True)


class SaveSchema(BaseSchema):
    rows = fields.List(fields.Nested(RowSchema), required=True, validate=validate.Length(min=1, max=3))
    cascade = fields.Boolean(load_default=False)


class Throttled(DomainError):
    status = 429

    def headers(self) -> dict[str, str]:
        return {"Retry-After": "30"}


def _resource() -> Any:
    blp = blueprint("things", "/things", "Test resource.")

    @blp.route("")
    class Things(MethodView):
        @requires("writer")
        @blp.arguments(SaveSchema)
        @blp.response(200)
        def post(self, payload: dict[str, Any]) -> Any:
            """Save rows."""
            if payload["rows"][0]["status"] == "PARTIAL":
                raise InvalidInput("Gedeeltelijk kan hier niet.", field="rows.0.status", rule="R10")
            if payload["cascade"]:
                raise Conflict("Het jaar is gesloten.")
            return {"saved": len(payload["rows"])}

        @public
        @blp.response(200)
        def get(self) -> Any:
            """Anyone may read."""
            raise Throttled("Te vaak.")

    return blp


@pytest.fixture(scope="module")
def app(keys: IdentityKeys) -> Flask:
    return demo_app(keys, _resource())


GOOD = {"rows": [{"status": "FULL", "version": 1}]}


def test_an_anonymous_caller_with_a_bad_body_gets_401_not_422(app: Flask) -> None:
    response = app.test_client().post("/api/demo/things", json={"rows": "nonsense"})
    assert response.status_code == 401
    assert response.headers["WWW-Authenticate"].startswith("Bearer")
    assert {"code", "status", "message"} <= set(response.json)


def test_a_caller_without_the_role_gets_403_before_validation(app: Flask, keys: IdentityKeys) -> None:
    response = gateway_client(app, keys).post("/api/demo/things", json={}, headers=keys.headers(roles=("reader",)))
    assert response.status_code == 403


def test_validation_errors_are_flat_and_dutch(app: Flask, keys: IdentityKeys) -> None:
    body = {"rows": [{"status": "FULL", "version": 1}, {"status": "VOL", "version": "2"}], "extra": 1}
    response = gateway_client(app, keys).post("/api/demo/things", json=body, headers=keys.headers(roles=("writer",)))
    assert response.status_code == 422
    errors = response.json["errors"]
    assert errors == {
        "rows.1.status": ["Kies een van: FULL, PARTIAL."],
        "rows.1.version": ["Geen geldig geheel getal."],
        "extra": ["Onbekend veld."],
    }
    assert response.json["message"] == "De invoer is ongeldig; zie 'errors' per veld."


def test_a_body_that_is_not_an_object_is_named_body(app: Flask, keys: IdentityKeys) -> None:
    response = gateway_client(app, keys).post("/api/demo/things", json=[1, 2], headers=keys.headers(roles=("writer",)))
    assert response.status_code == 422
    assert response.json["errors"] == {"body": ["Ongeldige invoer: verwacht een JSON-object."]}


def test_domain_errors_become_the_common_body_with_field_and_rule(app: Flask, keys: IdentityKeys) -> None:
    client, writer = gateway_client(app, keys), keys.headers(roles=("writer",))
    refused = client.post("/api/demo/things", json={"rows": [{"status": "PARTIAL", "version": 1}]}, headers=writer)
    assert refused.status_code == 422
    assert refused.json == {
        "code": 422,
        "status": "Unprocessable Entity",
        "message": "Gedeeltelijk kan hier niet.",
        "errors": {"rows.0.status": ["R10: Gedeeltelijk kan hier niet."]},
    }
    conflict = client.post("/api/demo/things", json=GOOD | {"cascade": True}, headers=writer)
    assert (conflict.status_code, conflict.json["message"]) == (409, "Het jaar is gesloten.")
    assert client.post("/api/demo/things", json=GOOD, headers=writer).json == {"saved": 1}


def test_a_domain_error_sets_its_headers(app: Flask) -> None:
    response = app.test_client().get("/api/demo/things")
    assert (response.status_code, response.headers["Retry-After"]) == (429, "30")


def test_openapi_documents_security_and_401_403(app: Flask) -> None:
    spec = app.test_client().get("/api/demo/openapi.json").json
    post, get = spec["paths"]["/api/demo/things"]["post"], spec["paths"]["/api/demo/things"]["get"]
    assert post["security"] == [{"bearer": []}]
    assert {"401", "403", "422"} <= set(post["responses"])
    assert get["security"] == [] and "401" not in get["responses"]


def test_a_route_without_authorization_is_refused_at_start_up() -> None:
    blp = blueprint("loose", "/loose", "No authorization.")

    class Loose(MethodView):
        @blp.response(200)
        def get(self) -> Any:
            """Forgot requires."""

    with pytest.raises(MissingAuthorization, match="outermost"):
        blp.route("")(Loose)


def test_authorization_further_in_than_outermost_is_refused() -> None:
    blp = blueprint("inner", "/inner", "Authorization too late.")

    class Inner(MethodView):
        @blp.arguments(SaveSchema)
        @requires("writer")
        def post(self, payload: dict[str, Any]) -> Any:
            """Validation would run first."""

    with pytest.raises(MissingAuthorization):
        blp.route("")(Inner)


def _default_messages() -> set[str]:
    messages: set[str] = set(marshmallow.Schema._default_error_messages.values())
    for _, cls in inspect.getmembers(fields, inspect.isclass):
        if issubclass(cls, fields.Field):
            messages |= {m for k, m in cls.default_error_messages.items() if k != "format"}
    for _, cls in inspect.getmembers(validate, inspect.isclass):
        messages |= {getattr(cls, a) for a in dir(cls) if a.endswith("message") and isinstance(getattr(cls, a), str)}
    return messages


def test_every_marshmallow_default_message_has_a_dutch_translation() -> None:
    untranslated = {m for m in _default_messages() if dutch(m) == m and "{" not in m}
    assert not untranslated
    assert (
        dutch("Must be greater than or equal to 1 and less than or equal to 500.")
        == "Moet minstens 1 en hoogstens 500 zijn."
    )
    assert dutch("Length must be between 1 and 2000.") == "De lengte moet tussen 1 en 2000 liggen."
    assert dutch("Al in het Nederlands.") == "Al in het Nederlands."


def test_flat_errors_keep_dotted_paths_per_location() -> None:
    nested = {"json": {"rows": {"0": {"status": ["Invalid value."]}}, "_schema": ["Invalid input type."]}}
    assert flat_errors(nested) == {
        "rows.0.status": ["Ongeldige waarde."],
        "body": ["Ongeldige invoer: verwacht een JSON-object."],
    }
    assert flat_errors({"querystring": {"page": ["Not a valid integer."]}}) == {"page": ["Geen geldig geheel getal."]}


@dataclass(frozen=True)
class DemoSettings(BaseSettings):
    service = "demo"


def test_settings_of_a_service_without_its_own_need_only_its_name(tmp_path: Any) -> None:
    settings = DemoSettings.from_env({"DATA_DIR": str(tmp_path)})
    assert isinstance(settings, DemoSettings)
    assert settings.database_url.endswith("demo.sqlite3")
    with pytest.raises(SettingsError, match="service"):
        BaseSettings.from_env({})
