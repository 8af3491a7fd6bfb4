"""The image's HEALTHCHECK: ``python -m servicekit.healthcheck`` (one image runs every process kind).

In an API container (gunicorn is PID 1) it asks the service's ``/health/live`` on the port gunicorn
was told to bind, read from PID 1's command line, so the image needs no port setting of its own. A
consumer, relay or migrate container is healthy while its PID 1 runs: when that process ends, so
does the container.
"""

from __future__ import annotations

import re
import sys
import urllib.request
from collections.abc import Sequence
from pathlib import Path

_WSGI_APP = re.compile(r"^([a-z_]+)\.wsgi:app$")
_BIND = re.compile(r"^(?:[0-9.]+|\[[0-9a-f:]*\]|localhost)?:(\d+)$")


def probe_url(argv: Sequence[str]) -> str | None:
    """``http://127.0.0.1:<port>/api/<service>/health/live`` for a gunicorn command line, else None."""
    if not argv or Path(argv[0]).name != "gunicorn":
        return None
    service = next((m.group(1) for arg in argv if (m := _WSGI_APP.match(arg))), None)
    binds = [argv[i + 1] for i, arg in enumerate(argv[:-1]) if arg in ("--bind", "-b")]
    ports = [m.group(1) for bind in binds if (m := _BIND.match(bind))]
    if service is None or not ports:
        return None
    return f"http://127.0.0.1:{ports[0]}/api/{service}/health/live"


def pid1_argv() -> list[str]:
    raw = Path("/proc/1/cmdline").read_bytes()
    return [part.decode("utf-8", "replace") for part in raw.split(b"\0") if part]


def check(argv: Sequence[str], timeout: float = 3.0) -> int:
    """0 when healthy, 1 when not (Docker's HEALTHCHECK convention)."""
    url = probe_url(argv)
    if url is None:
        return 0
    try:
        with urllib.request.urlopen(url, timeout=timeout) as response:
            return 0 if response.status == 200 else 1
    except OSError:
        return 1


if __name__ == "__main__":
    sys.exit(check(pid1_argv()))
