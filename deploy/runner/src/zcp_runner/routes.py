"""The gateway's route table (``deploy/gateway/routes.json``): one source for nginx and the embedded gateway."""

from __future__ import annotations

import json
import os
import re
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[4]
SERVICE_ORDER = ("identity", "catalogue", "contracting", "products", "support")
#: APIs that run as their own process on another service's code and database (scaled apart):
#: name -> (owning service, gunicorn entry, module of its app factory, the factory).
SEPARATE_APIS: dict[str, tuple[str, str, str, str]] = {
    "publication": (
        "products",
        "products.publication_wsgi:app",
        "products.publication.app",
        "create_publication_app",
    ),
}
#: Every API with its own process, routes and OpenAPI document.
API_ORDER = (*SERVICE_ORDER, *SEPARATE_APIS)
#: A client's X-Correlation-ID is kept only when it looks like an id; anything else (over-long, odd
#: characters) is replaced by the gateway's request id. Services echo it in a response header, and a
#: 3.5 KB value overflowed nginx's upstream header buffer (503). nginx's map uses the same pattern.
CORRELATION_ID_PATTERN = r"^[A-Za-z0-9][A-Za-z0-9._:-]{0,127}$"
#: Control characters (CR, LF, NUL, ...) in a decoded path: the gateway answers 400.
CONTROL_CHARACTERS = r"[\x00-\x1f\x7f]"
#: The web front end: no database, no events; started after the APIs, served by the gateway at ``/``.
SITE = "portal"


def routes_file() -> Path:
    return Path(os.environ.get("GATEWAY_ROUTES_FILE", REPO_ROOT / "deploy" / "gateway" / "routes.json"))


@dataclass(frozen=True)
class RouteTable:
    listen_port: int
    max_body: str
    auth_check_path: str
    service_ports: dict[str, int]
    public_paths: tuple[str, ...]
    internal_paths: tuple[str, ...] = ()
    upstream_keepalive_seconds: int = 60
    site: str | None = None

    @classmethod
    def load(cls, path: Path | None = None) -> RouteTable:
        raw = json.loads((path or routes_file()).read_text(encoding="utf-8"))
        return cls(
            listen_port=int(raw["listen_port"]),
            max_body=raw["max_body"],
            auth_check_path=raw["auth_check_path"],
            service_ports={name: int(spec["port"]) for name, spec in raw["services"].items()},
            public_paths=tuple(raw["public_paths"]),
            internal_paths=tuple(raw.get("internal_paths", ())),
            upstream_keepalive_seconds=int(raw.get("upstream_keepalive_seconds", 60)),
            site=raw.get("site"),
        )

    @cached_property
    def _public(self) -> list[re.Pattern[str]]:
        return [re.compile(pattern) for pattern in self.public_paths]

    def is_public(self, path: str) -> bool:
        return any(pattern.match(path) for pattern in self._public)

    def is_internal(self, path: str) -> bool:
        """Paths only the gateway itself calls (identity's session check): clients get 404."""
        return any(re.match(pattern, path) for pattern in self.internal_paths)

    def service_for(self, path: str) -> str | None:
        parts = path.split("/", 3)
        if len(parts) >= 3 and parts[1] == "api" and parts[2] in self.service_ports:
            return parts[2]
        return None

    @property
    def api_services(self) -> list[str]:
        """The services with an API (and an OpenAPI document): all but the site."""
        return [name for name in self.service_ports if name != self.site]

    @property
    def max_body_bytes(self) -> int:
        units = {"k": 1024, "m": 1024**2, "g": 1024**3}
        size = self.max_body.strip().lower()
        return int(size[:-1]) * units[size[-1]] if size[-1] in units else int(size)
