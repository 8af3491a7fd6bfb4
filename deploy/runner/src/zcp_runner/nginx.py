"""Render ``deploy/gateway/nginx.conf.template`` from the route table.

``python -m zcp_runner.nginx --compose`` writes ``deploy/gateway/nginx.compose.conf`` (upstreams are
the compose services); the process runner renders a local one into its run folder.
"""

from __future__ import annotations

import argparse
import os
from collections.abc import Callable
from pathlib import Path

from zcp_runner.docs import SECURITY_HEADERS
from zcp_runner.routes import CONTROL_CHARACTERS, CORRELATION_ID_PATTERN, REPO_ROOT, RouteTable

TEMPLATE = REPO_ROOT / "deploy" / "gateway" / "nginx.conf.template"
COMPOSE_CONF = REPO_ROOT / "deploy" / "gateway" / "nginx.compose.conf"

PROXY_HEADERS = (
    "proxy_http_version 1.1;",
    'proxy_set_header Connection "";',
    "proxy_set_header Host $host;",
    "proxy_set_header X-Request-ID $request_id;",
    "proxy_set_header X-Correlation-ID $correlation_id;",
    "proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;",
)


def render(
    routes: RouteTable,
    *,
    upstream: Callable[[str, int], str],
    prefix: str,
    docs_root: str,
    listen: str,
    access_log: str,
    run_as_root: bool = False,
) -> str:
    services = list(routes.service_ports)
    upstreams = "\n".join(
        f"    upstream {name} {{ server {upstream(name, port)}; keepalive 16; "
        f"keepalive_timeout {routes.upstream_keepalive_seconds}s; }}"
        for name, port in routes.service_ports.items()
    )
    service_map = "\n".join(f"        ~^/api/{name}/ {name};" for name in services)
    indent = " " * 12
    headers = "\n".join(indent + line for line in PROXY_HEADERS)
    public = []
    for pattern in routes.public_paths:
        if pattern.startswith("^/api/docs"):
            continue  # served by the docs location
        public.append(
            f"        location ~ {pattern} {{\n"
            f'            if ($service = "") {{ return 404; }}\n'
            f"{headers}\n"
            f'            proxy_set_header X-Identity-Token "";\n'
            f"            proxy_pass http://$service;\n"
            f"        }}"
        )
    # Exact-match locations win over every regex location: clients get 404, the gateway's
    # auth_request still reaches the service through /_auth.
    internal = [f"        location = {p.strip('^$')} {{ return 404; }}" for p in routes.internal_paths]
    docs_headers = "\n".join(f'            add_header {k} "{v}" always;' for k, v in SECURITY_HEADERS.items())
    values = {
        "user": "user root root;" if run_as_root else "",
        "prefix": prefix,
        "access_log": access_log,
        "max_body": routes.max_body,
        "upstreams": upstreams,
        "service_map": service_map,
        "listen": listen,
        "auth_check_path": routes.auth_check_path,
        "docs_root": docs_root,
        "public_locations": "\n\n".join(public),
        "proxy_headers": headers,
        "internal_locations": "\n".join(internal),
        "docs_headers": docs_headers,
        "correlation_id_pattern": CORRELATION_ID_PATTERN,
        "control_characters": CONTROL_CHARACTERS,
        "site_location": _site_location(routes, headers),
    }
    text = TEMPLATE.read_text(encoding="utf-8")
    for key, value in values.items():
        text = text.replace("{{" + key + "}}", value)
    return text


def _site_location(routes: RouteTable, headers: str) -> str:
    if not routes.site:
        return "        location / { return 404; }"
    return (
        "        # The web portal: its pages, forms and static files; its own errors pass through as pages.\n"
        "        location / {\n"
        f"{headers}\n"
        "            proxy_set_header X-Forwarded-Proto $scheme;\n"
        '            proxy_set_header X-Identity-Token "";\n'
        f"            proxy_pass http://{routes.site};\n"
        "        }"
    )


def render_compose(routes: RouteTable) -> str:
    return render(
        routes,
        upstream=lambda name, port: f"{name}-api:{port}",
        prefix="/tmp",
        docs_root="/usr/share/nginx/docs",
        listen=str(routes.listen_port),
        access_log="/dev/stdout",
    )


def render_local(routes: RouteTable, run_dir: Path, listen_port: int, ports: dict[str, int]) -> Path:
    for folder in ("client_body", "proxy", "fastcgi", "uwsgi", "scgi"):
        (run_dir / folder).mkdir(parents=True, exist_ok=True)
    conf = render(
        routes,
        upstream=lambda name, _port: f"127.0.0.1:{ports[name]}",
        prefix=str(run_dir),
        docs_root=str(run_dir / "docs"),
        listen=f"127.0.0.1:{listen_port}",
        access_log=str(run_dir / "access.log"),
        run_as_root=os.geteuid() == 0,
    )
    path = run_dir / "nginx.conf"
    path.write_text(conf, encoding="utf-8")
    return path


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--compose", action="store_true", help="write deploy/gateway/nginx.compose.conf")
    args = parser.parse_args()
    routes = RouteTable.load()
    if args.compose:
        COMPOSE_CONF.write_text(render_compose(routes), encoding="utf-8")
        print(f"wrote {COMPOSE_CONF}")


if __name__ == "__main__":
    main()
