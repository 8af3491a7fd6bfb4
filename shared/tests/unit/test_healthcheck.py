"""The image's HEALTHCHECK (servicekit.healthcheck): which URL it asks, and what it answers."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from servicekit.healthcheck import check, probe_url

API = ["gunicorn", "contracting.wsgi:app", "--bind", "0.0.0.0:8103", "--workers", "2"]


def test_an_api_is_probed_on_its_own_live_path_and_bind_port() -> None:
    assert probe_url(API) == "http://127.0.0.1:8103/api/contracting/health/live"
    assert probe_url(["/usr/local/bin/gunicorn", "-b", ":8101", "identity.wsgi:app"]) == (
        "http://127.0.0.1:8101/api/identity/health/live"
    )


@pytest.mark.parametrize(
    "argv",
    [["python", "-m", "contracting.consumer"], ["python", "-m", "contracting.relay"], [], ["gunicorn", "x.wsgi:app"]],
)
def test_other_processes_have_no_url_and_are_healthy_while_they_run(argv: list[str]) -> None:
    assert probe_url(argv) is None
    assert check(argv) == 0


@pytest.fixture
def server() -> Iterator[tuple[ThreadingHTTPServer, dict[str, int]]]:
    answer = {"status": 200}

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            self.send_response(answer["status"] if self.path == "/api/contracting/health/live" else 404)
            self.end_headers()

        def log_message(self, *args: object) -> None:
            pass

    httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield httpd, answer
    httpd.shutdown()
    httpd.server_close()


def test_an_api_is_healthy_only_while_live_answers_200(server: tuple[ThreadingHTTPServer, dict[str, int]]) -> None:
    httpd, answer = server
    argv = ["gunicorn", "contracting.wsgi:app", "--bind", f"0.0.0.0:{httpd.server_address[1]}"]
    assert check(argv) == 0
    answer["status"] = 503
    assert check(argv) == 1
    httpd.shutdown()
    httpd.server_close()
    assert check(argv) == 1  # nothing listens
