"""A platform of its own for a benchmark or a test module: fresh databases, this run's own exchange and
queue names, free ports; started in process mode (``Platform.start``), stopped again if the start fails.

The caller owns the ``DatabaseFactory`` and ``BrokerNamespace`` (``servicekit.testing.servers``) and
removes them at the end (``drop_all()``, ``cleanup()``) after ``Platform.stop()``.
"""

from __future__ import annotations

import os
import random
import socket
import tempfile
from collections.abc import Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any

from zcp_runner.processes import Platform, platform_from_env
from zcp_runner.routes import SERVICE_ORDER, RouteTable

if TYPE_CHECKING:
    from servicekit.testing.servers import BrokerNamespace, DatabaseFactory


def free_port_offset() -> int:
    """An offset to every port of the route table at which all of them are free (a platform of its own)."""
    routes = RouteTable.load()
    ports = [routes.listen_port, *routes.service_ports.values()]
    for _ in range(50):
        offset = random.randrange(10_000, 40_000, 10)
        try:
            for port in ports:
                with socket.socket() as probe:
                    probe.bind(("127.0.0.1", port + offset))
        except OSError:
            continue
        return offset
    raise RuntimeError("no free ports for another platform")


def start_platform(
    databases: DatabaseFactory,
    broker: BrokerNamespace,
    label: str,
    extra_env: Mapping[str, str] | None = None,
    **start: Any,
) -> Platform:
    """Databases ``<label>_<service>``, logs in a fresh ``zcp-<label>-*`` folder; ``start``: ``Platform.start``'s options."""
    env = {f"{name.upper()}_DATABASE_URL": databases.create(f"{label}_{name}") for name in SERVICE_ORDER}
    env |= broker.env() | {"LOG_LEVEL": "WARNING", "RELAY_POLL_INTERVAL": "0.05"} | dict(extra_env or {})
    run_dir = Path(tempfile.mkdtemp(prefix=f"zcp-{label.replace('_', '-')}-"))
    platform = platform_from_env(run_dir, {**os.environ, **env}, port_offset=free_port_offset())
    try:
        platform.start(**start)
    except Exception:
        platform.stop()
        raise
    return platform
