"""The README is the front door: the two commands first, and every environment variable the code reads."""

from __future__ import annotations

import json
import re

from zcp_runner.routes import REPO_ROOT

README = (REPO_ROOT / "README.md").read_text(encoding="utf-8")
READS = re.compile(r"""(?:env(?:iron)?(?:\.get)?\(\s*|env_\w+\(\s*env,\s*|\benv\[)["']([A-Z][A-Z0-9_]+)["']""")
WSGI_KEYS = {"CONTENT_LENGTH", "PATH_INFO", "QUERY_STRING", "REMOTE_ADDR", "REQUEST_METHOD"}


def variables_read_by_code() -> set[str]:
    names: set[str] = set()
    for folder in ("shared/src", "services", "deploy/runner/src"):
        for path in (REPO_ROOT / folder).rglob("*.py"):
            if "/tests/" not in str(path):
                names.update(READS.findall(path.read_text(encoding="utf-8")))
    return {name for name in names if name not in WSGI_KEYS and not name.startswith("HTTP_")}


def test_the_two_commands_come_first() -> None:
    first_block = README.split("```")[1]
    assert first_block.strip().splitlines()[1].startswith("make run")
    assert first_block.strip().splitlines()[2].startswith("make test")


def test_every_environment_variable_the_code_reads_is_documented() -> None:
    found = variables_read_by_code()
    assert len(found) > 20
    undocumented = sorted(name for name in found if name not in README)
    assert undocumented == [], f"document these in README.md: {undocumented}"


def test_the_demo_accounts_table_has_the_agreed_columns() -> None:
    assert "| role | insurer | username | password |" in README


def test_the_first_api_call_is_shown_with_a_demo_login_and_real_operations() -> None:
    """Issue 16 item 12: log in with a contract year, then the bearer token, then real requests."""
    section = README.split("### Your first API call", 1)[1].split("\n## ", 1)[0]
    login = json.loads(re.search(r"-d '(\{.*?\})'", section).group(1))  # type: ignore[union-attr]
    assert set(login) == {"contract_year", "username", "password"}
    demo_row = f"| `{login['username']}` | `{login['password']}` |"
    assert demo_row in README, "the first call must log in with an account of the demo table"
    assert "Authorization: Bearer $TOKEN" in section
    documented = set()
    for name in ("identity", "catalogue", "contracting"):
        documented |= set(json.loads((REPO_ROOT / f"shared/contracts/openapi/{name}.json").read_text())["paths"])
    called = [p for p in re.findall(r"http://127\.0\.0\.1:8080(/api/[a-z/]+)", section) if p != "/api/docs/"]
    assert len(called) >= 4 and set(called) <= documented


def test_the_readme_points_into_the_project_for_the_domain_rules() -> None:
    domain = (REPO_ROOT / "docs" / "domain.md").read_text(encoding="utf-8")
    for number in range(1, 18):
        assert f"**R{number} — " in domain, f"R{number} is not defined in docs/domain.md"
    assert "(docs/domain.md)" in README
    assert "../shared" not in README and "DOMAIN.md" not in README
    assert "GATEWAY_PORT=" in README.split("## Architecture", 1)[0]


def test_every_rule_cited_in_the_openapi_documents_is_defined_in_docs_domain() -> None:
    domain = (REPO_ROOT / "docs" / "domain.md").read_text(encoding="utf-8")
    for path in (REPO_ROOT / "shared/contracts/openapi").glob("*.json"):
        text = path.read_text(encoding="utf-8")
        assert "docs/domain.md" in text, path.name
        for number in set(re.findall(r"\bR(\d{1,2})\b", text)):
            assert f"**R{number} — " in domain, f"{path.name} cites R{number}"
