"""Generate each service's OpenAPI document; ``make openapi`` commits them to shared/contracts/openapi/."""

from __future__ import annotations

import importlib
import json
import tempfile
from pathlib import Path
from typing import Any

from servicekit.keys import ensure_keypair
from zcp_runner.routes import API_ORDER, REPO_ROOT, SEPARATE_APIS

OPENAPI_DIR = REPO_ROOT / "shared" / "contracts" / "openapi"


def generate(api: str) -> dict[str, Any]:
    """The document as the running service (or separate API process) would serve it (no database is touched)."""
    service = SEPARATE_APIS[api][0] if api in SEPARATE_APIS else api
    with tempfile.TemporaryDirectory() as folder:
        private, public = ensure_keypair(Path(folder))
        env = {
            f"{service.upper()}_DATABASE_URL": "sqlite://",
            "AMQP_URL": "memory://",
            "IDENTITY_PUBLIC_KEY_FILE": str(public),
            "IDENTITY_SIGNING_KEY_FILE": str(private),
        }
        settings = importlib.import_module(f"{service}.config").Settings.from_env(env)
        runtime = importlib.import_module(f"{service}.bootstrap").bootstrap(settings)
        if api in SEPARATE_APIS:
            _owner, _entry, module, factory = SEPARATE_APIS[api]
            app = getattr(importlib.import_module(module), factory)(runtime)
        else:
            app = importlib.import_module(f"{service}.app").create_app(runtime)
        document: dict[str, Any] = app.extensions["servicekit.api"].spec.to_dict()
        runtime.engine.dispose()
    return document


def render(document: dict[str, Any]) -> str:
    return json.dumps(document, indent=2, sort_keys=True, ensure_ascii=False) + "\n"


def main() -> None:
    OPENAPI_DIR.mkdir(parents=True, exist_ok=True)
    for service in API_ORDER:
        path = OPENAPI_DIR / f"{service}.json"
        path.write_text(render(generate(service)), encoding="utf-8")
        print(f"wrote {path.relative_to(REPO_ROOT)}")


if __name__ == "__main__":
    main()
