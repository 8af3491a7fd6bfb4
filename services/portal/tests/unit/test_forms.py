"""A one-call form (``portal.web.forms.submit``): the API's Dutch refusal is shown, anything else is not swallowed."""

from __future__ import annotations

from typing import Any

import pytest
from flask import Flask, get_flashed_messages

from portal.adapters.gateway import ApiError
from portal.web import forms, pages


class FakeApi:
    def __init__(self, error: ApiError | None = None) -> None:
        self.error = error
        self.calls: list[tuple[str, str, Any]] = []

    def call(self, method: str, path: str, json: Any = None) -> Any:
        self.calls.append((method, path, json))
        if self.error:
            raise self.error
        return {}


@pytest.fixture
def context() -> Any:
    app = Flask(__name__)
    app.secret_key = "test"
    with app.test_request_context("/"):
        yield


def test_a_done_call_flashes_its_success(context: None, monkeypatch: pytest.MonkeyPatch) -> None:
    api = FakeApi()
    monkeypatch.setattr(pages, "api", lambda: api)
    assert forms.submit("PUT", "/api/support/reports/1/assignee", {}, "De melding is aan u toegewezen.") is True
    assert api.calls == [("PUT", "/api/support/reports/1/assignee", {})]
    assert get_flashed_messages(with_categories=True) == [("success", "De melding is aan u toegewezen.")]


def test_a_refusal_flashes_the_apis_dutch_message(context: None, monkeypatch: pytest.MonkeyPatch) -> None:
    refusal = ApiError(409, {"message": "R14: een gesloten melding kan niet meer veranderen."})
    monkeypatch.setattr(pages, "api", lambda: FakeApi(refusal))
    assert forms.submit("POST", "/api/support/reports/1/status", {"status": "new"}, "Gewijzigd.") is False
    assert get_flashed_messages(with_categories=True) == [
        ("error", "R14: een gesloten melding kan niet meer veranderen.")
    ]


@pytest.mark.parametrize("status", [412, 500, 503])
def test_another_error_is_not_swallowed(context: None, monkeypatch: pytest.MonkeyPatch, status: int) -> None:
    monkeypatch.setattr(pages, "api", lambda: FakeApi(ApiError(status, {"message": "Mis."})))
    with pytest.raises(ApiError):
        forms.submit("POST", "/api/support/reports/1/status", {}, "Gewijzigd.")
    assert get_flashed_messages() == []
    monkeypatch.setattr(pages, "api", lambda: FakeApi(ApiError(412, {"message": "Verouderd."})))
    assert forms.submit("PATCH", "/x", {}, "Opgeslagen.", refused=(409, 412, 422)) is False


def test_attempt_gives_the_answer_or_the_refusal(context: None, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(pages, "api", lambda: FakeApi())
    assert forms.attempt("POST", "/api/identity/insurers", {"name": "A"}) == ({}, None)
    refusal = ApiError(422, {"message": "Ongeldig.", "errors": {"json": {"slug": ["Al in gebruik."]}}})
    monkeypatch.setattr(pages, "api", lambda: FakeApi(refusal))
    assert forms.attempt("POST", "/api/identity/insurers", {"name": "A"}) == (None, refusal)
    with pytest.raises(ApiError):
        forms.attempt("POST", "/api/identity/insurers", {"name": "A"}, refused=(409,))


def test_a_refusal_is_explained_with_its_fields(context: None, monkeypatch: pytest.MonkeyPatch) -> None:
    refusal = ApiError(422, {"message": "Ongeldig.", "errors": {"json": {"new_password": ["R2: te kort."]}}})
    assert forms.first_problem(refusal) == "R2: te kort."
    assert forms.with_fields(refusal) == "Ongeldig. new_password: R2: te kort."
    assert forms.first_problem(ApiError(409, {"message": "Bezet."})) == "Bezet."
    monkeypatch.setattr(pages, "api", lambda: FakeApi(refusal))
    assert forms.submit("POST", "/x", {}, "Gedaan.", explain=forms.first_problem) is False
    assert get_flashed_messages(with_categories=True) == [("error", "R2: te kort.")]


def test_missing_names_every_empty_required_field() -> None:
    payload = {"name": "", "slug": "menzis", "city": None}
    assert forms.missing(payload, ("name", "slug")) == {"name": "Vul dit veld in."}
    assert forms.missing(payload, ("name", "city")) == {"name": "Vul dit veld in.", "city": "Vul dit veld in."}
    assert forms.missing(payload, {"name": "Naam: vul uw naam in.", "slug": "Code: vul in."}) == {
        "name": "Naam: vul uw naam in."
    }
