"""servicekit.api's read side of a route: a query in a session of the request, closed afterwards; 404 when nothing."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import pytest
from flask import Flask
from werkzeug.exceptions import NotFound

from servicekit.api import read, read_found


class FakeRuntime:
    def __init__(self) -> None:
        self.opened: list[str] = []
        self.closed: list[str] = []

    @contextmanager
    def sessions(self) -> Iterator[Any]:
        session = f"session-{len(self.opened) + 1}"
        self.opened.append(session)
        try:
            yield session
        finally:
            self.closed.append(session)


@pytest.fixture
def runtime() -> Iterator[FakeRuntime]:
    app = Flask(__name__)
    fake = FakeRuntime()
    app.extensions["runtime"] = fake
    with app.app_context():
        yield fake


def _echo(session: Any, key: str, *, page: int = 1) -> dict[str, Any] | None:
    return None if key == "absent" else {"session": session, "key": key, "page": page}


def test_read_runs_the_query_in_a_session_it_closes(runtime: FakeRuntime) -> None:
    assert read(_echo, "a", page=3) == {"session": "session-1", "key": "a", "page": 3}
    assert runtime.closed == ["session-1"]


def test_read_found_answers_the_row(runtime: FakeRuntime) -> None:
    assert read_found("Bestaat niet.", _echo, "a") == {"session": "session-1", "key": "a", "page": 1}


def test_read_found_is_404_with_the_message_when_nothing_is_found(runtime: FakeRuntime) -> None:
    with pytest.raises(NotFound) as refused:
        read_found("Ding absent bestaat niet.", _echo, "absent")
    assert refused.value.data["message"] == "Ding absent bestaat niet."  # type: ignore[attr-defined]
    assert runtime.closed == ["session-1"]
