"""gunicorn settings every service's API process shares: ``gunicorn -c python:servicekit.gunicorn_conf <svc>.wsgi:app``.

``keepalive`` must be longer than the gateway's upstream ``keepalive_timeout``
(``upstream_keepalive_seconds`` in ``deploy/gateway/routes.json``, 60 s): the side that closes an idle
connection must be nginx. When gunicorn closed first (its default is 2 s), nginx could send the next
request on a connection gunicorn was closing: a reset, which nginx retries for a GET but answers
with 502 for a save. ``deploy/tests/test_nginx_config.py`` compares both against the rendered config.
"""

from __future__ import annotations

import os
import tempfile
from typing import Any

# /metrics answers for the whole API process, not for the one worker a scrape happens to reach:
# prometheus-client's multiprocess mode, one directory per gunicorn master, set before any worker
# imports the client (README "Metrics").
os.environ.setdefault("PROMETHEUS_MULTIPROC_DIR", tempfile.mkdtemp(prefix="zcp-metrics-"))

keepalive = 75
# As long as the gateway lets through (one 8 KB header buffer): a longer request line is the
# gateway's JSON 414, never gunicorn's HTML one.
limit_request_line = 8190
worker_class = "gthread"
threads = 4
timeout = 120
graceful_timeout = 10


def child_exit(_server: Any, worker: Any) -> None:
    """A worker that ended leaves its counters (they keep counting) but not its gauges."""
    from prometheus_client import multiprocess

    multiprocess.mark_process_dead(worker.pid)
