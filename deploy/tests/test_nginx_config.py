"""The nginx gateway config: valid for nginx itself, and routing what the route table says."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

from zcp_runner.nginx import render_local
from zcp_runner.processes import nginx_binary
from zcp_runner.routes import RouteTable

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


def test_every_path_outside_the_api_goes_to_the_portal_without_asking_identity(tmp_path: Path) -> None:
    conf = render_local(ROUTES, tmp_path, 18999, ROUTES.service_ports).read_text()
    site = conf[conf.index("        location / {") :]
    site = site[: site.index("        }") + 9]
    assert f"proxy_pass http://{ROUTES.site};" in site
    assert "auth_request" not in site, "the portal checks its own session cookie"
    assert "proxy_set_header X-Forwarded-Proto $scheme;" in site, "the portal's cookie is Secure over HTTPS"
    assert f"upstream {ROUTES.site} {{ server 127.0.0.1:{ROUTES.service_ports[ROUTES.site]};" in conf
