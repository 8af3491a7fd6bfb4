"""Small builders shared by the API tests."""

from __future__ import annotations

import random

API = "/api/catalogue"


def agb(prefix: str = "22") -> str:
    """A random demo-looking AGB code (random, so tests never depend on fixed ids)."""
    return f"{prefix}97{random.randint(0, 9999):04d}"


def institution_body(**overrides: object) -> dict[str, object]:
    body: dict[str, object] = {"agb_code": agb(), "name": "Oogkliniek Testdorp", "type": "zbc", "city": "Testdorp"}
    body.update(overrides)
    return body


def assert_error(response, status: int, field: str | None = None, text: str | None = None) -> dict:  # type: ignore[no-untyped-def, type-arg]
    """The common error body, naming the field (anywhere in ``errors``) and containing ``text``."""
    assert response.status_code == status, response.json
    body = response.json
    assert body["code"] == status and body["status"] and body["message"], body
    if field is not None:
        assert field in repr(body.get("errors")), body
    if text is not None:
        assert text in repr(body), body
    return body  # type: ignore[no-any-return]
