"""The nginx gateway config: valid for nginx itself, and routing what the route table says."""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest

from servicekit import gunicorn_conf
from zcp_runner.docs import SECURITY_HEADERS
from zcp_runner.nginx import render_local
from zcp_runner.processes import GUNICORN_CONFIG, nginx_binary
from zcp_runner.routes import CORRELATION_ID_PATTERN, REPO_ROOT, RouteTable

ROUTES = RouteTable.load()


def test_the_local_rendering_passes_nginx_own_check(tmp_path: Path) -> None:
    conf = render_local(ROUTES, tmp_path, 18999, ROUTES.service_ports)
    (tmp_path / "docs").mkdir()
    result = subprocess.run(
        [nginx_binary(), "-t", "-c", str(conf), "-p", str(tmp_path)], capture_output=True, text=True
    )
    assert result.returncode == 0, result.stderr


def test_protected_routes_ask_identity_and_forged_identity_headers_are_overwritten(tmp_path: Path) -> None:
    conf = render_local(ROUTES, tmp_path, 18999, ROUTES.service_ports).read_text()
    assert "auth_request /_auth;" in conf
    assert f"proxy_pass http://identity{ROUTES.auth_check_path};" in conf
    assert "proxy_set_header X-Identity-Token $identity_token;" in conf
    assert conf.count('proxy_set_header X-Identity-Token "";') == len(
        [p for p in ROUTES.public_paths if "docs" not in p]
    ) + (1 if ROUTES.site else 0)
    assert f"client_max_body_size {ROUTES.max_body};" in conf
    assert "proxy_set_header X-Request-ID $request_id;" in conf


def test_nginx_is_installed_by_the_project_scripts() -> None:
    assert shutil.which("nginx") or Path("/usr/sbin/nginx").exists()
    script = Path(__file__).resolve().parents[1] / "scripts" / "install-system-deps.sh"
    assert "nginx" in script.read_text()


@pytest.mark.parametrize(
    ("path", "public"),
    [
        ("/api/catalogue/health/ready", True),
        ("/api/identity/openapi.json", True),
        ("/api/identity/sessions", True),
        ("/api/identity/sessions/contract-years", True),
        ("/api/identity/sessions/current", False),
        ("/api/contracting/collections", False),
    ],
)
def test_public_paths(path: str, public: bool) -> None:
    assert ROUTES.is_public(path) is public


def test_gunicorn_keeps_idle_connections_longer_than_nginx_upstream_keepalive(tmp_path: Path) -> None:
    """Issue 16 item 13: nginx must be the side that closes an idle upstream connection (a reset
    on a reused connection is retried for a GET, but a save would get 502)."""
    conf = render_local(ROUTES, tmp_path, 18999, ROUTES.service_ports).read_text()
    nginx_idle = {int(seconds) for seconds in re.findall(r"keepalive_timeout (\d+)s;", conf)}
    assert len(nginx_idle) == 1 and re.search(r"upstream \w+ \{[^}]*keepalive \d+;", conf)
    assert gunicorn_conf.keepalive > max(nginx_idle)
    assert GUNICORN_CONFIG == "python:servicekit.gunicorn_conf"
    compose = (REPO_ROOT / "docker-compose.yml").read_text()
    assert compose.count(f'"--config", "{GUNICORN_CONFIG}"') == len(ROUTES.service_ports)


def test_the_session_check_is_internal_and_the_docs_page_is_protected(tmp_path: Path) -> None:
    conf = render_local(ROUTES, tmp_path, 18999, ROUTES.service_ports).read_text()
    assert f"location = {ROUTES.auth_check_path} {{ return 404; }}" in conf
    docs = conf[conf.index("location ^~ /api/docs/") :].split("}", 1)[0]
    for name, value in SECURITY_HEADERS.items():
        assert f'add_header {name} "{value}" always;' in docs
    assert "add_header X-Request-ID $request_id always;" in docs
    assert f'"~{CORRELATION_ID_PATTERN}" $http_x_correlation_id;' in conf
    assert "default $request_id;" in conf


def test_every_path_outside_the_api_goes_to_the_portal_without_asking_identity(tmp_path: Path) -> None:
    conf = render_local(ROUTES, tmp_path, 18999, ROUTES.service_ports).read_text()
    site = conf[conf.index("        location / {") :]
    site = site[: site.index("        }") + 9]
    assert f"proxy_pass http://{ROUTES.site};" in site
    assert "auth_request" not in site, "the portal checks its own session cookie"
    assert "proxy_set_header X-Forwarded-Proto $scheme;" in site, "the portal's cookie is Secure over HTTPS"
    assert f"upstream {ROUTES.site} {{ server 127.0.0.1:{ROUTES.service_ports[ROUTES.site]};" in conf


def test_a_service_accepts_every_body_the_gateway_lets_through() -> None:
    """Issue 16.1: a demo-size CSV export (3.8 MB) passed the gateway (10m) and got 413 from the service (2 MiB)."""
    from portal.config import Settings as PortalSettings
    from servicekit.settings import DEFAULT_MAX_BODY_BYTES, base_settings_from_env

    assert ROUTES.max_body_bytes == DEFAULT_MAX_BODY_BYTES
    assert base_settings_from_env("contracting", {}).max_body_bytes == ROUTES.max_body_bytes
    assert PortalSettings.max_body_bytes == ROUTES.max_body_bytes
