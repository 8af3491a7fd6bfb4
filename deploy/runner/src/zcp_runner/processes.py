"""The platform as separate processes: per service gunicorn + consumer + relay, behind nginx.

Used by ``make up`` and by the e2e tests. Needs ``<SERVICE>_DATABASE_URL`` for every service and
``AMQP_URL`` (PostgreSQL and RabbitMQ); the migrate step runs explicitly before anything starts.
"""

from __future__ import annotations

import argparse
import os
import shutil
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

import requests

from zcp_runner.docs import write_docs
from zcp_runner.keys import ensure_identity_keys, ensure_portal_secret
from zcp_runner.nginx import render_local
from zcp_runner.ports import PortBusy, ensure_free, free_port
from zcp_runner.routes import API_ORDER, REPO_ROOT, SEPARATE_APIS, SERVICE_ORDER, SITE, RouteTable

PYTHON = sys.executable
#: keep-alive, threads and timeouts of every API process (one place; see servicekit.gunicorn_conf).
GUNICORN_CONFIG = "python:servicekit.gunicorn_conf"


class PlatformError(RuntimeError):
    pass


def nginx_binary() -> str:
    found = shutil.which("nginx") or ("/usr/sbin/nginx" if Path("/usr/sbin/nginx").exists() else None)
    if not found:
        raise PlatformError("nginx not found: run `make deps` (installs Debian's nginx) first")
    return found


def missing_settings(env: dict[str, str]) -> list[str]:
    wanted = [f"{name.upper()}_DATABASE_URL" for name in SERVICE_ORDER] + ["AMQP_URL"]
    return [name for name in wanted if not env.get(name) or env.get(name, "").startswith("memory://")]


@dataclass
class Platform:
    run_dir: Path
    env: dict[str, str]
    gateway_port: int
    service_ports: dict[str, int]
    processes: dict[str, subprocess.Popen[bytes]] = field(default_factory=dict)
    #: consumer/relay process name -> the port of its ``/metrics`` (README "Metrics")
    metrics_ports: dict[str, int] = field(default_factory=dict)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.gateway_port}"

    def _spawn(self, name: str, args: list[str], *, metrics: bool = False) -> subprocess.Popen[bytes]:
        log = open(self.run_dir / f"{name}.log", "ab")  # noqa: SIM115 - lives as long as the process
        env = self.env
        if metrics:
            self.metrics_ports[name] = free_port()
            env = {**self.env, "METRICS_PORT": str(self.metrics_ports[name])}
        process = subprocess.Popen(args, env=env, stdout=log, stderr=subprocess.STDOUT, cwd=REPO_ROOT)
        self.processes[name] = process
        return process

    def _run_step(self, service: str, step: str, deadline: float) -> None:
        try:
            result = subprocess.run(
                [PYTHON, "-m", f"{service}.manage", step],
                env=self.env,
                cwd=REPO_ROOT,
                capture_output=True,
                text=True,
                timeout=max(1.0, deadline - time.monotonic()),
            )
        except subprocess.TimeoutExpired as exc:
            raise PlatformError(f"{service} {step} did not finish before the start-up time limit") from exc
        if result.returncode != 0:
            raise PlatformError(f"{service} {step} failed:\n{result.stdout}\n{result.stderr}")

    def _spawn_api(self, service: str, workers: int) -> None:
        port = self.service_ports[service]
        bind = ["--bind", f"127.0.0.1:{port}", "--workers", str(workers)]
        entry = SEPARATE_APIS[service][1] if service in SEPARATE_APIS else f"{service}.wsgi:app"
        self._spawn(f"{service}-api", [PYTHON, "-m", "gunicorn", entry, "--config", GUNICORN_CONFIG, *bind])

    def start(
        self,
        *,
        seed_demo: bool = True,
        workers: int = 2,
        consumers: Mapping[str, int] | None = None,
        timeout: float = 300.0,
    ) -> Platform:
        """Migrate, start every process, seed, and wait until all are ready, all within ``timeout`` seconds.

        ``workers``: gunicorn workers per API; ``consumers``: consumer processes per service (default 1),
        e.g. ``{"contracting": 3}`` - several consumers share their service's queues (README "Metrics").
        """
        deadline = time.monotonic() + timeout
        self.run_dir.mkdir(parents=True, exist_ok=True)
        ensure_identity_keys(self.run_dir / "keys", self.env)
        ensure_portal_secret(self.run_dir / "keys", self.env)
        self.env.setdefault("PORTAL_GATEWAY_URL", self.url)
        for service in SERVICE_ORDER:
            self._run_step(service, "migrate", deadline)
        for service in SERVICE_ORDER:
            for number in range((consumers or {}).get(service, 1)):
                name = f"{service}-consumer" + (f"-{number + 1}" if number else "")
                self._spawn(name, [PYTHON, "-m", f"{service}.consumer"], metrics=True)
            self._spawn(f"{service}-relay", [PYTHON, "-m", f"{service}.relay"], metrics=True)
        for service in (*API_ORDER, SITE):
            self._spawn_api(service, workers)
        if seed_demo:
            for service in SERVICE_ORDER:
                self._run_step(service, "seed-demo", deadline)
        routes = RouteTable.load()
        write_docs(self.run_dir / "docs", routes.api_services)
        conf = render_local(routes, self.run_dir, self.gateway_port, self.service_ports)
        self._spawn("gateway", [nginx_binary(), "-c", str(conf), "-p", str(self.run_dir)])
        self.wait_ready(max(1.0, deadline - time.monotonic()))
        return self

    def wait_ready(self, timeout: float) -> None:
        deadline = time.monotonic() + timeout
        pending = {*API_ORDER, SITE}
        pause = threading.Event()
        while pending and time.monotonic() < deadline:
            for name, process in self.processes.items():
                if process.poll() is not None:
                    log = (self.run_dir / f"{name}.log").read_text(errors="replace")[-3000:]
                    raise PlatformError(f"{name} exited with {process.returncode}:\n{log}")
            for service in list(pending):
                try:
                    if requests.get(f"{self.url}/api/{service}/health/ready", timeout=2).status_code == 200:
                        pending.discard(service)
                except requests.RequestException:
                    pass
            pause.wait(0.2)
        if pending:
            raise PlatformError(f"not ready after {timeout}s: {', '.join(sorted(pending))} (logs in {self.run_dir})")

    def scale(
        self, service: str, *, workers: int | None = None, consumers: int | None = None, timeout: float = 300.0
    ) -> None:
        """Restart ``service``'s API with ``workers`` gunicorn workers and/or run ``consumers`` consumer
        processes (0: none, their queue fills), as an operator scales one Deployment; the API is ready on return.
        """
        if consumers is not None:
            self._stop([name for name in self.processes if name.startswith(f"{service}-consumer")])
            for number in range(consumers):
                name = f"{service}-consumer" + (f"-{number + 1}" if number else "")
                self._spawn(name, [PYTHON, "-m", f"{service}.consumer"], metrics=True)
        if workers is not None:
            self._stop([f"{service}-api"])
            self._spawn_api(service, workers)
            self.wait_ready(timeout)

    def _stop(self, names: list[str]) -> None:
        for name in names:
            process = self.processes.pop(name)
            if process.poll() is None:
                process.send_signal(signal.SIGTERM)
            try:
                process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()

    def stop(self) -> None:
        for process in self.processes.values():
            if process.poll() is None:
                process.send_signal(signal.SIGTERM)
        deadline = time.monotonic() + 15
        for process in self.processes.values():
            try:
                process.wait(timeout=max(0.1, deadline - time.monotonic()))
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()


def platform_from_env(
    run_dir: Path, env: dict[str, str] | None = None, gateway_port: int | None = None, port_offset: int = 0
) -> Platform:
    env = dict(os.environ if env is None else env)
    missing = missing_settings(env)
    if missing:
        raise PlatformError("process mode needs PostgreSQL and RabbitMQ URLs; missing: " + ", ".join(missing))
    routes = RouteTable.load()
    ports = {name: port + port_offset for name, port in routes.service_ports.items()}
    env.setdefault("EVENT_CONTRACTS_DIR", str(REPO_ROOT / "shared" / "contracts" / "events"))
    return Platform(run_dir, env, gateway_port or routes.listen_port + port_offset, ports)


def parse_counts(text: str) -> dict[str, int]:
    """``"contracting=3,catalogue=2"`` -> ``{"contracting": 3, "catalogue": 2}`` (services checked)."""
    counts: dict[str, int] = {}
    for part in filter(None, (item.strip() for item in text.split(","))):
        service, _, number = part.partition("=")
        if service not in SERVICE_ORDER or not number.isdigit() or int(number) < 1:
            raise PlatformError(f"--consumers: expected <service>=<count> with a known service, got {part!r}")
        counts[service] = int(number)
    return counts


def main() -> None:
    parser = argparse.ArgumentParser(prog="zcp-up", description=__doc__)
    parser.add_argument("--run-dir", default=str(REPO_ROOT / "var" / "up"))
    parser.add_argument("--port", type=int, default=int(os.environ.get("GATEWAY_PORT", "8080")))
    parser.add_argument("--no-demo", action="store_true")
    parser.add_argument("--workers", type=int, default=2, help="gunicorn workers per API")
    parser.add_argument(
        "--consumers",
        default="",
        help="consumer processes per service, e.g. contracting=3,catalogue=2 (default 1 each)",
    )
    args = parser.parse_args()
    try:
        ensure_free("127.0.0.1", args.port)
        platform = platform_from_env(Path(args.run_dir), gateway_port=args.port).start(
            seed_demo=not args.no_demo, workers=args.workers, consumers=parse_counts(args.consumers)
        )
    except (PlatformError, PortBusy) as exc:
        sys.exit(f"zcp-up: {exc}")
    print(f"Platform up at {platform.url}  (API docs: {platform.url}/api/docs/, logs: {platform.run_dir})")
    stop = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: stop.set())
    signal.signal(signal.SIGINT, lambda *_: stop.set())
    stop.wait()
    platform.stop()


if __name__ == "__main__":
    main()
