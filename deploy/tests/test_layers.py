"""Issue 9: imports run down the layers only. The service layer and the domain never import the
integration layer (outbound events are domain events, mapped by ``integration/outbound.py``), and
the domain imports nothing of the layers around it. Checked for every service.
"""

from __future__ import annotations

import ast
from pathlib import Path

from zcp_runner.routes import REPO_ROOT

#: layer folder -> the sibling layers it must not import
FORBIDDEN = {
    "service_layer": ("integration", "api"),
    "domain": ("integration", "api", "service_layer", "adapters"),
    "adapters": ("integration", "api", "service_layer"),
}


def imported_modules(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            names.add(node.module)
            names.update(f"{node.module}.{alias.name}" for alias in node.names)
    return names


def upward_imports(package_dir: Path) -> list[str]:
    """``<file> imports <package>.<layer>`` for every import of a forbidden layer."""
    package = package_dir.name
    found = set()
    for layer, forbidden in FORBIDDEN.items():
        for path in sorted((package_dir / layer).rglob("*.py")):
            for module in imported_modules(path):
                parts = module.split(".")
                if parts[0] == package and len(parts) > 1 and parts[1] in forbidden:
                    found.add(f"{path.relative_to(package_dir.parent)} imports {package}.{parts[1]}")
    return sorted(found)


def test_no_service_imports_up_the_layers() -> None:
    packages = [p for p in sorted(REPO_ROOT.glob("services/*/src/*")) if (p / "__init__.py").is_file()]
    assert len(packages) >= 3
    problems = [problem for package in packages for problem in upward_imports(package)]
    assert problems == []


def test_the_check_sees_an_upward_import(tmp_path: Path) -> None:
    package = tmp_path / "demo"
    (package / "service_layer").mkdir(parents=True)
    (package / "service_layer" / "handlers.py").write_text(
        "from demo.integration import outbound\nimport demo.domain\n"
    )
    (package / "domain").mkdir()
    (package / "domain" / "model.py").write_text("from demo.adapters.orm import thing\n")
    assert upward_imports(package) == [
        "demo/domain/model.py imports demo.adapters",
        "demo/service_layer/handlers.py imports demo.integration",
    ]


def test_mypy_checks_every_service_and_the_kit() -> None:
    """Issue 9 Must show 4: ``make lint`` type-checks every service's code (a new one from the template too)."""
    import glob
    import tomllib

    from zcp_runner.routes import REPO_ROOT

    files = tomllib.loads((REPO_ROOT / "pyproject.toml").read_text(encoding="utf-8"))["tool"]["mypy"]["files"]
    covered = {Path(p).resolve() for pattern in files for p in glob.glob(str(REPO_ROOT / pattern))}
    services = {path.parent.resolve() for path in REPO_ROOT.glob("services/*/src/*/__init__.py")}
    assert services and all(any(s == c or c in s.parents for c in covered) for s in services), services - covered
    assert (REPO_ROOT / "shared/src/servicekit").resolve() in covered
    makefile = (REPO_ROOT / "Makefile").read_text(encoding="utf-8")
    assert "$(BIN)/mypy" in makefile.split("\nlint:", 1)[1].split("\n\n", 1)[0]
