"""The committed OpenAPI documents (shared/contracts/openapi/) are the ones the code generates."""

from __future__ import annotations

import pytest

from zcp_runner.openapi import OPENAPI_DIR, generate, render
from zcp_runner.routes import API_ORDER


@pytest.mark.parametrize("service", API_ORDER)
def test_generated_openapi_equals_the_committed_file(service: str) -> None:
    committed = OPENAPI_DIR / f"{service}.json"
    assert committed.exists(), f"{committed} missing: run `make openapi`"
    assert render(generate(service)) == committed.read_text(encoding="utf-8"), "API changed: run `make openapi`"


@pytest.mark.parametrize("service", API_ORDER)
def test_every_operation_has_a_description(service: str) -> None:
    document = generate(service)
    for path, operations in document["paths"].items():
        for method, operation in operations.items():
            if method in {"get", "post", "put", "patch", "delete"}:
                assert operation.get("summary") or operation.get("description"), f"{method.upper()} {path}"
