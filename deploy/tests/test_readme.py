"""The README is the front door: the two commands first, and every environment variable the code reads."""

from __future__ import annotations

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
