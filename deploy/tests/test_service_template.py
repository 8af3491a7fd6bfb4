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


# -- Issue 9, Must show 5: a stamped service follows the one path of a request and of an event ---------


@pytest.fixture
def served(stamped: tuple[str, Path], tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Any:
    """The stamped service migrated (SQLite, no broker) and served behind a test gateway."""
    from servicekit.testing.identity import IdentityKeys, gateway_client

    name, _ = stamped
    (tmp_path / "var").mkdir(exist_ok=True)
    keys = IdentityKeys.create(tmp_path)
    monkeypatch.setenv("IDENTITY_PUBLIC_KEY_FILE", str(keys.public_key_file))
    manage = importlib.import_module(f"{name}.manage")
    settings = importlib.import_module(f"{name}.config").Settings.from_env()
    manage.migrate(settings, topology=False)
    runtime = importlib.import_module(f"{name}.bootstrap").bootstrap(settings)
    app = importlib.import_module(f"{name}.app").create_app(runtime)
    yield name, runtime, gateway_client(app, keys), keys
    runtime.engine.dispose()


def test_a_stamped_route_checks_the_caller_first_then_answers_bad_input_in_dutch(served: Any) -> None:
    name, _, client, keys = served
    url = f"/api/{name}/insurers"
    anonymous = client.get(f"{url}?page=0")
    assert anonymous.status_code == 401, "authorization runs before the query string is validated"
    assert set(anonymous.json) == {"code", "status", "message"} | ({"errors"} & set(anonymous.json))
    caller = keys.headers(roles=("insurer_user",), tenant_id=str(uuid.uuid4()))
    bad = client.get(f"{url}?page=0", headers=caller)
    assert bad.status_code == 422
    assert bad.json["errors"] == {"page": ["Moet minstens 1 en hoogstens 1000000 zijn."]}
    not_a_number = client.get(f"{url}?page_size=veel", headers=caller)
    assert not_a_number.status_code == 422 and not_a_number.json["errors"] == {
        "page_size": ["Geen geldig geheel getal."]
    }
    assert client.get(url, headers=caller).json == {"items": [], "total": 0, "page": 1}
    operation = client.get(f"/api/{name}/openapi.json").json["paths"][url]["get"]
    assert {"401", "422"} <= set(operation["responses"]) and operation["security"] == [{"bearer": []}]


def test_a_stamped_consumer_turns_an_event_into_a_typed_command_for_its_handler(served: Any) -> None:
    from servicekit.messaging.outbox import build_envelope
    from servicekit.testing.inbound import Feeder

    name, runtime, client, keys = served
    inbound = importlib.import_module(f"{name}.integration.inbound")
    commands = importlib.import_module(f"{name}.domain.commands")
    insurer_id = str(uuid.uuid4())
    data = {"insurer_id": insurer_id, "name": "Zilveren Kruis"}
    assert inbound.record_insurer(data) == commands.RecordInsurer(insurer_id=insurer_id, name="Zilveren Kruis")

    feeder = Feeder(runtime.engine, inbound.subscriptions())
    registered = build_envelope("identity", "identity.insurer.registered", data)
    renamed = build_envelope("identity", "identity.insurer.renamed", data | {"name": "Zilveren Kruis Achmea"})
    assert feeder.deliver(registered, registered, renamed) == ["acked", "acked", "acked"]
    listing = client.get(f"/api/{name}/insurers", headers=keys.headers(roles=("insurer_user",)))
    assert listing.json == {
        "items": [{"insurer_id": insurer_id, "name": "Zilveren Kruis Achmea"}],
        "total": 1,
        "page": 1,
    }
    with runtime.engine.connect() as connection:
        claimed = connection.exec_driver_sql("SELECT handler, event_type FROM inbox_message ORDER BY event_type").all()
    assert [tuple(row) for row in claimed] == [
        (f"{name}.identity:identity.insurer.registered", "identity.insurer.registered"),
        (f"{name}.identity:identity.insurer.renamed", "identity.insurer.renamed"),
    ], "one inbox claim per message: the repeat was skipped"


def test_a_stamped_service_passes_the_function_length_and_layer_checks(stamped: tuple[str, Path]) -> None:
    from test_function_length import MAX_LINES, functions_longer_than
    from test_layers import upward_imports

    name, folder = stamped
    assert functions_longer_than(MAX_LINES, (f"services/{name}/src",), base=folder.parents[1]) == {}
    package = folder / "src" / name
    assert (package / "service_layer").is_dir() and (package / "domain").is_dir()
    assert upward_imports(package) == []


def test_a_stamped_service_passes_mypy_strict_without_edits(stamped: tuple[str, Path]) -> None:
    name, folder = stamped
    mypy = Path(sys.executable).parent / "mypy"
    command = [str(mypy), "--config-file", str(REPO_ROOT / "pyproject.toml"), str(folder / "src" / name)]
    result = subprocess.run(command, capture_output=True, text=True, cwd=REPO_ROOT)
    assert result.returncode == 0, result.stdout + result.stderr
