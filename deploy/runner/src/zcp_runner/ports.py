"""Fail fast on a busy gateway port: before minutes of migrating and seeding, not after."""

from __future__ import annotations

import socket


class PortBusy(RuntimeError):
    pass


def ensure_free(host: str, port: int) -> None:
    """Raise :class:`PortBusy` with a hint when ``host:port`` cannot be bound now."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            probe.bind((host, port))
        except OSError as exc:
            raise PortBusy(
                f"port {port} on {host} is in use ({exc.strerror}). Stop what uses it, or choose another "
                f"port for the gateway: GATEWAY_PORT={port + 1} make run  (or make up)"
            ) from exc


def free_port(host: str = "127.0.0.1") -> int:
    """A port nothing listens on now (for a process's ``/metrics``)."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind((host, 0))
        return int(probe.getsockname()[1])
