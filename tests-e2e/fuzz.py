"""Property-based fuzzing of every service's OpenAPI document through the real gateway (schemathesis).

The documents are read from the running gateway (``/api/<service>/openapi.json`` for every service in
the route table), so a service or operation added later is fuzzed the day it lands. Every operation is
called as each role — insurer user, insurer admin, catalogue maintainer, platform admin, API-key
consumer — with valid (positive) and invalid (negative) generated requests, a bounded number of
examples each. The checks: no server error (5xx), status code, content type, headers and body as the
document declares them. One report lists every finding; a finding never stops the others.

Used by ``tests-e2e/test_openapi_fuzz.py`` (CI size) and ``make fuzz`` (nightly size).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass

import requests
import schemathesis
from hypothesis import HealthCheck, Phase, Verbosity, given, settings
from hypothesis.errors import Unsatisfiable
from schemathesis import GenerationMode
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from zcp_runner.routes import API_ORDER

CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
]
#: (method, path) never fuzzed, and why: it would end the very session the fuzzer uses.
EXCLUDED = {("DELETE", "/api/identity/sessions/current"): "logout ends the fuzzer's own session"}
#: The demo accounts per role (demo seed of identity); the API key of the demo comparison site.
ROLE_USERS = {
    "insurer_user": "cz-inkoper",
    "insurer_admin": "cz-admin",
    "catalogue_maintainer": "beheerder",
    "platform_admin": "platform",
}
DEMO_API_KEY = "zcpk_demo-independer-2026-not-for-production"


@dataclass(frozen=True)
class Finding:
    service: str
    method: str
    path: str
    role: str
    mode: str
    problem: str

    def __str__(self) -> str:
        return f"{self.method} {self.path} as {self.role} ({self.mode}): {self.problem}"


def role_headers(gateway: str, login: Callable[[str, str], dict[str, str]]) -> dict[str, dict[str, str]]:
    """Authorization headers per role: a session per demo user, and the demo API key."""
    headers = {role: login(gateway, user) for role, user in ROLE_USERS.items()}
    headers["api_consumer"] = {"X-API-Key": DEMO_API_KEY}
    return headers


def fuzz(
    gateway: str,
    roles: dict[str, dict[str, str]],
    max_examples: int,
    services: Iterable[str] = API_ORDER,
    modes: Iterable[GenerationMode] = (GenerationMode.POSITIVE, GenerationMode.NEGATIVE),
) -> tuple[list[Finding], int]:
    """Every operation of every service, as every role, in every mode: the findings and the calls made."""
    findings: list[Finding] = []
    calls = 0
    with requests.Session() as http:
        for service in services:
            document = http.get(f"{gateway}/api/{service}/openapi.json", timeout=30).json()
            schema = schemathesis.openapi.from_dict(document)
            for result in schema.get_all_operations():
                operation = result.ok()
                if (operation.method.upper(), operation.path) in EXCLUDED:
                    continue
                for role, headers in roles.items():
                    for mode in modes:
                        found, made = _run(operation, mode, gateway, http, headers, max_examples)
                        calls += made
                        if found:
                            findings.append(
                                Finding(service, operation.method.upper(), operation.path, role, mode.value, found)
                            )
    return findings, calls


def _run(operation, mode, gateway, http, headers, max_examples):  # type: ignore[no-untyped-def]
    """One operation in one mode as one role; the first problem found (or None) and the calls made."""
    made = 0

    @settings(
        max_examples=max_examples,
        deadline=None,
        database=None,
        phases=[Phase.explicit, Phase.generate],
        suppress_health_check=list(HealthCheck),
        derandomize=False,
        verbosity=Verbosity.quiet,
    )
    @given(case=operation.as_strategy(generation_mode=mode))
    def check(case) -> None:  # type: ignore[no-untyped-def]
        nonlocal made
        made += 1
        response = case.call(base_url=gateway, session=http, headers=headers, timeout=60)
        case.validate_response(response, checks=CHECKS, headers=headers)

    try:
        check()
    except Unsatisfiable:  # nothing in this operation can be made invalid (negative mode): nothing to test
        return None, made
    except Exception as exc:  # a finding: keep going with the other operations
        return f"{type(exc).__name__}: {str(exc)[:1500]}", made
    return None, made
