"""Issue 16 item 12: `make run` refuses a busy port before migrating and seeding (and names
GATEWAY_PORT); the e2e platform's start-up never counts against a test's --timeout."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from zcp_runner import embedded
from zcp_runner.ports import PortBusy, ensure_free
from zcp_runner.processes import Platform, PlatformError, parse_counts
from zcp_runner.routes import REPO_ROOT


def test_a_busy_port_stops_make_run_before_anything_is_built(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        with pytest.raises(PortBusy, match="GATEWAY_PORT="):
            ensure_free("127.0.0.1", port)
        built = []
        monkeypatch.setattr(embedded, "build", lambda *args, **kwargs: built.append(1))
        monkeypatch.setattr(sys, "argv", ["zcp-run", "--port", str(port), "--data-dir", str(tmp_path)])
        monkeypatch.delenv("AMQP_URL", raising=False)
        with pytest.raises(SystemExit) as stopped:
            embedded.main()
    assert "GATEWAY_PORT" in str(stopped.value) and built == []


def test_the_e2e_start_up_is_not_counted_in_a_tests_timeout(tmp_path: Path) -> None:
    """A session fixture slower than --timeout, as the platform's start-up on a loaded machine."""
    (tmp_path / "conftest.py").write_text(
        textwrap.dedent(
            f"""
            import importlib.util, time, pytest
            spec = importlib.util.spec_from_file_location("e2e_conftest", {str(REPO_ROOT / "tests-e2e" / "conftest.py")!r})
            e2e = importlib.util.module_from_spec(spec)
            spec.loader.exec_module(e2e)
            pytest_collection_modifyitems = e2e.pytest_collection_modifyitems

            @pytest.fixture(scope="session")
            def slow_platform():
                time.sleep(3)
                return "up"
            """
        )
    )
    (tmp_path / "test_first.py").write_text("def test_first(slow_platform):\n    assert slow_platform == 'up'\n")
    result = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "--timeout=1", str(tmp_path)],
        capture_output=True,
        text=True,
        cwd=tmp_path,
        timeout=120,
        env={**os.environ, "PYTHONPATH": str(REPO_ROOT / "tests-e2e")},  # the e2e conftest's own helpers
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_make_up_takes_consumer_counts_per_known_service_only() -> None:
    assert parse_counts("contracting=3, catalogue=2") == {"contracting": 3, "catalogue": 2}
    assert parse_counts("") == {}
    for wrong in ("contracting", "contracting=0", "billing=2", "contracting=x"):
        with pytest.raises(PlatformError, match="--consumers"):
            parse_counts(wrong)


def test_scaling_one_service_restarts_its_api_and_sets_its_consumer_count(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Issue 14 (bench_scaled.py): as an operator scales one service's Deployments, the others untouched."""
    platform = Platform(tmp_path, {}, 8080, {"contracting": 8103})
    sleeper = [sys.executable, "-c", "import time; time.sleep(60)"]
    spawned: list[list[str]] = []

    def spawn(name: str, args: list[str], *, metrics: bool = False) -> subprocess.Popen[bytes]:
        spawned.append(args)
        platform.processes[name] = subprocess.Popen(sleeper)
        return platform.processes[name]

    monkeypatch.setattr(platform, "_spawn", spawn)
    monkeypatch.setattr(platform, "wait_ready", lambda timeout: None)
    for name in ("contracting-consumer", "contracting-consumer-2", "contracting-api", "catalogue-consumer"):
        spawn(name, [])
    old = dict(platform.processes)
    try:
        platform.scale("contracting", consumers=3, workers=1)
        assert sorted(platform.processes) == [
            "catalogue-consumer",
            "contracting-api",
            "contracting-consumer",
            "contracting-consumer-2",
            "contracting-consumer-3",
        ]
        assert all(old[name].poll() is not None for name in old if name.startswith("contracting"))
        assert platform.processes["catalogue-consumer"] is old["catalogue-consumer"]
        assert spawned[-1][-1] == "1" and spawned[-1][spawned[-1].index("--workers") + 1] == "1"
        platform.scale("contracting", consumers=0)
        assert [name for name in platform.processes if "consumer" in name] == ["catalogue-consumer"]
    finally:
        platform.stop()
