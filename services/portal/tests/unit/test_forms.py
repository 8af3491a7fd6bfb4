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
