"""``make run``: the whole platform in one process on embedded defaults, with demo data.

Every service keeps its own SQLite file under ``DATA_DIR`` (default ``./var``), events travel over
kombu's in-memory transport through each service's real outbox, relay, consumer and inbox, and the
gateway's routes are served in-process at ``http://127.0.0.1:8080`` (``GATEWAY_PORT``). Nothing
outside Python is needed. With ``AMQP_URL`` and the database URLs set, the same command starts the
process mode instead (see :mod:`zcp_runner.processes`).
"""

from __future__ import annotations

import argparse
import importlib
import logging
import os
import sys
import threading
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from zcp_runner.gateway import EmbeddedGateway
from zcp_runner.keys import ensure_identity_keys, ensure_portal_secret
from zcp_runner.ports import PortBusy, ensure_free
from zcp_runner.routes import REPO_ROOT, SEPARATE_APIS, SERVICE_ORDER, SITE, RouteTable

log = logging.getLogger("zcp_runner")


@dataclass
class EmbeddedPlatform:
    gateway: EmbeddedGateway
    runtimes: dict[str, Any]
    stop: threading.Event = field(default_factory=threading.Event)
    threads: list[threading.Thread] = field(default_factory=list)

    def shutdown(self) -> None:
        self.stop.set()
        for thread in self.threads:
            thread.join(timeout=5)


def build(data_dir: Path, *, seed_demo: bool = True) -> EmbeddedPlatform:
    """Migrate, start relays and consumers, seed demo data, and build the gateway."""
    from servicekit.runtime import build_consumers, build_relay

    data_dir.mkdir(parents=True, exist_ok=True)
    os.environ.setdefault("DATA_DIR", str(data_dir))
    os.environ.setdefault("AMQP_URL", "memory://")
    os.environ.setdefault("EVENT_CONTRACTS_DIR", str(REPO_ROOT / "shared" / "contracts" / "events"))
    ensure_identity_keys(data_dir / "keys", os.environ)
    runtimes: dict[str, Any] = {}
    apps: dict[str, Any] = {}
    platform_stop = threading.Event()
    threads: list[threading.Thread] = []
    modules = {name: _service_modules(name) for name in SERVICE_ORDER}
    for name, mods in modules.items():  # every queue exists before any event is relayed
        settings = mods["config"].Settings.from_env()
        mods["manage"].migrate(settings)
        runtimes[name] = mods["bootstrap"].bootstrap(settings)
    for name, runtime in runtimes.items():
        workers = [build_relay(runtime.settings, runtime.engine).run]
        workers += [c.run for c in build_consumers(runtime.settings, runtime.engine, runtime.subscriptions)]
        workers += getattr(runtime, "background_workers", list)()  # e.g. identity's session purge
        for worker in workers:
            thread = threading.Thread(target=worker, args=(platform_stop,), daemon=True, name=f"{name}-worker")
            thread.start()
            threads.append(thread)
    if seed_demo:
        for name, mods in modules.items():
            mods["demo"].seed_demo(runtimes[name])
    for name, mods in modules.items():
        apps[name] = mods["app"].create_app(runtimes[name])
    for name, (owner, _entry, module, factory) in SEPARATE_APIS.items():  # e.g. publication on products
        apps[name] = getattr(importlib.import_module(module), factory)(runtimes[owner])
    gateway = EmbeddedGateway(apps, RouteTable.load())
    _add_site(gateway, data_dir / "keys")
    return EmbeddedPlatform(gateway, runtimes, platform_stop, threads)


def _add_site(gateway: EmbeddedGateway, keys: Path) -> None:
    """The web portal, calling the embedded gateway in-process (no socket), served by it at ``/``."""
    from portal.adapters.gateway import wsgi_transport
    from portal.app import create_app
    from portal.config import Settings

    ensure_portal_secret(keys, os.environ)
    settings = Settings.from_env()
    site = create_app(settings, wsgi_transport(gateway, settings.api_timeout))
    gateway.apps[SITE] = site
    gateway.site = site


def _service_modules(name: str) -> dict[str, Any]:
    return {
        part: importlib.import_module(f"{name}.{part}") for part in ("config", "bootstrap", "manage", "demo", "app")
    }


def demo_accounts() -> str:
    path = REPO_ROOT / "services" / "identity" / "DEMO_ACCOUNTS.md"
    return path.read_text(encoding="utf-8") if path.exists() else "(no demo accounts defined yet)"


def request_handler() -> type:
    """werkzeug's handler, minus its ``Server: Werkzeug/x Python/y`` banner (nginx: ``server_tokens off``)."""
    from werkzeug.serving import WSGIRequestHandler

    class GatewayRequestHandler(WSGIRequestHandler):
        def version_string(self) -> str:
            return "zcp-gateway"

    return GatewayRequestHandler


def main() -> None:
    parser = argparse.ArgumentParser(prog="zcp-run", description=__doc__)
    parser.add_argument("--host", default=os.environ.get("GATEWAY_HOST", "127.0.0.1"))
    parser.add_argument("--port", type=int, default=int(os.environ.get("GATEWAY_PORT", "8080")))
    parser.add_argument("--data-dir", default=os.environ.get("DATA_DIR", str(REPO_ROOT / "var")))
    args = parser.parse_args()
    try:
        ensure_free(args.host, args.port)
    except PortBusy as exc:
        sys.exit(f"zcp-run: {exc}")
    amqp = os.environ.get("AMQP_URL", "")
    if amqp and not amqp.startswith("memory://"):
        from zcp_runner import processes

        print("AMQP_URL is set: starting the process mode (gunicorn + consumer + relay per service, nginx).")
        sys.argv = [sys.argv[0], "--port", str(args.port)]
        processes.main()
        return
    from servicekit.logs import configure_logging

    configure_logging("platform", os.environ.get("LOG_LEVEL", "WARNING"), os.environ.get("LOG_FORMAT", "text"))
    platform = build(Path(args.data_dir))
    from werkzeug.serving import run_simple

    url = f"http://{args.host}:{args.port}"
    print(f"\nZorgcontracteringsplatform draait op {url}")
    print(f"  Portal           : {url}/  (inloggen met een demo-account hieronder)")
    print(f"  API-documentatie : {url}/api/docs/")
    print(f"  Gereedheid       : {url}/api/<dienst>/health/ready  ({', '.join(SERVICE_ORDER)})")
    print(f"  Data             : {args.data_dir} (SQLite per dienst; events via kombu memory://)\n")
    print("Demo-accounts:\n" + demo_accounts())
    try:
        run_simple(
            args.host, args.port, platform.gateway, threaded=True, use_reloader=False, request_handler=request_handler()
        )
    finally:
        platform.shutdown()


if __name__ == "__main__":
    main()
