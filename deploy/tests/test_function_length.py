"""Issue 9: no function longer than a screen (60 lines) in the kit or a service: a longer one names its steps.

Enforced for the kit (``shared/src``) and every service's ``src`` (a new one from the template too),
with no exceptions.
"""

from __future__ import annotations

import ast
from pathlib import Path

from zcp_runner.routes import REPO_ROOT

MAX_LINES = 60
ENFORCED = ("shared/src", *sorted(str(p.relative_to(REPO_ROOT)) for p in REPO_ROOT.glob("services/*/src")))


def functions_longer_than(limit: int, roots: tuple[str, ...], base: Path = REPO_ROOT) -> dict[str, int]:
    """``path::name`` -> lines of every function (nested ones too) longer than ``limit`` lines."""
    found: dict[str, int] = {}
    for root in roots:
        for path in sorted((base / root).rglob("*.py")):
            tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
            for node in ast.walk(tree):
                if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
                    length = (node.end_lineno or node.lineno) - node.lineno + 1
                    if length > limit:
                        found[f"{path.relative_to(base)}::{node.name}"] = length
    return found


def test_no_function_in_the_kit_or_a_service_is_longer_than_a_screen() -> None:
    assert len(ENFORCED) >= 6, ENFORCED
    too_long = functions_longer_than(MAX_LINES, ENFORCED)
    assert too_long == {}, f"split these into named steps (at most {MAX_LINES} lines each): {too_long}"


def test_the_check_finds_a_long_function(tmp_path: Path) -> None:
    """The walker itself: a 61-line function (also a nested one) is found, a 60-line one is not."""
    body = "\n".join(f"    x{i} = {i}" for i in range(59))
    nested = "\n".join(f"        y{i} = {i}" for i in range(60))
    source = tmp_path / "src"
    source.mkdir()
    (source / "m.py").write_text(
        f"def long():\n{body}\n    return 0\n\n\ndef short():\n{body}\n\n\ndef outer():\n    def inner():\n{nested}\n"
    )
    assert functions_longer_than(MAX_LINES, ("src",), base=tmp_path) == {
        "src/m.py::long": 61,
        "src/m.py::outer": 62,
        "src/m.py::inner": 61,
    }
