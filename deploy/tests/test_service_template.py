"""The service template stamps the house convention: a new service passes lint and serves at once."""

from __future__ import annotations

import importlib
import importlib.util
import subprocess
import sys
import uuid
from pathlib import Path
from typing import Any

import pytest

from zcp_runner.routes import REPO_ROOT

TEMPLATE = REPO_ROOT / "deploy" / "templates" / "make_service.py"


def _template() -> Any:
    spec = importlib.util.spec_from_file_location("make_service", TEMPLATE)
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture
def stamped(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> tuple[str, Path]:
    name = f"probe{uuid.uuid4().hex[:6]}"
    _template().make(name, "Probe service", root=tmp_path)
    monkeypatch.syspath_prepend(str(tmp_path / "services" / name / "src"))
    monkeypatch.setenv("DATA_DIR", str(tmp_path / "var"))
    yield name, tmp_path / "services" / name
    for module in [m for m in sys.modules if m == name or m.startswith(f"{name}.")]:
        del sys.modules[module]


def test_a_stamped_service_passes_lint_without_edits(stamped: tuple[str, Path]) -> None:
    _, folder = stamped
    ruff = Path(sys.executable).parent / "ruff"
    config = ["--config", str(REPO_ROOT / "pyproject.toml")]
    for args in (["check", *config, str(folder)], ["format", "--check", *config, str(folder)]):
        result = subprocess.run([str(ruff), *args], capture_output=True, text=True)
        assert result.returncode == 0, result.stdout + result.stderr


def test_a_stamped_service_uses_the_kit_convention_and_serves(stamped: tuple[str, Path]) -> None:
    name, folder = stamped
    assert "create_runtime_app" in (folder / "src" / name / "app.py").read_text()
    app = importlib.import_module(f"{name}.app").create_app()
    client = app.test_client()
    assert client.get(f"/api/{name}/health/live").status_code == 200
    spec = client.get(f"/api/{name}/openapi.json").json
    assert spec["info"]["title"] == "Probe service"
    missing = client.get(f"/api/{name}/nothing-here")
    assert missing.status_code == 404 and missing.json["message"] == "Onbekende route."
