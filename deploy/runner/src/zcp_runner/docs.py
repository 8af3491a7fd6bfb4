"""``/api/docs``: one Swagger UI page over every service's OpenAPI document (assets served locally)."""

from __future__ import annotations

import json
from pathlib import Path

import swagger_ui_bundle


def _assets_dir() -> Path:
    # Releases of swagger-ui-bundle keep the files directly in vendor/ or in vendor/swagger-ui-<version>/.
    bundle = next(Path(swagger_ui_bundle.__file__).parent.rglob("swagger-ui-bundle.js"), None)
    if bundle is None:
        raise RuntimeError("swagger-ui-bundle ships no swagger-ui-bundle.js; reinstall it")
    return bundle.parent


ASSETS_DIR = _assets_dir()
ASSETS = ("swagger-ui.css", "swagger-ui-bundle.js", "swagger-ui-standalone-preset.js", "favicon-32x32.png")
INIT_SCRIPT = "swagger-init.js"

#: Headers of every file under /api/docs/, in nginx and in the embedded gateway alike. The page's own
#: script is a file (INIT_SCRIPT), so scripts come from this origin only; Swagger UI sets inline
#: styles and data: images. No other site may frame the page (clickjacking of "Try it out").
SECURITY_HEADERS = {
    "Content-Security-Policy": (
        "default-src 'none'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; "
        "font-src 'self' data:; connect-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'"
    ),
    "X-Frame-Options": "DENY",
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
}


def init_script(services: list[str]) -> str:
    urls = json.dumps([{"url": f"/api/{name}/openapi.json", "name": name} for name in services])
    return f"""window.ui = SwaggerUIBundle({{
  urls: {urls},
  dom_id: "#swagger-ui",
  presets: [SwaggerUIBundle.presets.apis, SwaggerUIStandalonePreset],
  layout: "StandaloneLayout"
}});
"""


def docs_page() -> str:
    return f"""<!doctype html>
<html lang="nl">
<head>
  <meta charset="utf-8">
  <title>Zorgcontracteringsplatform — API-documentatie</title>
  <link rel="stylesheet" href="/api/docs/swagger-ui.css">
  <link rel="icon" href="/api/docs/favicon-32x32.png">
</head>
<body>
  <div id="swagger-ui"></div>
  <script src="/api/docs/swagger-ui-bundle.js"></script>
  <script src="/api/docs/swagger-ui-standalone-preset.js"></script>
  <script src="/api/docs/{INIT_SCRIPT}"></script>
</body>
</html>
"""


def write_docs(target: Path, services: list[str]) -> None:
    """Materialise the page and its assets for nginx to serve as static files."""
    target.mkdir(parents=True, exist_ok=True)
    (target / "index.html").write_text(docs_page(), encoding="utf-8")
    (target / INIT_SCRIPT).write_text(init_script(services), encoding="utf-8")
    for asset in ASSETS:
        (target / asset).write_bytes((ASSETS_DIR / asset).read_bytes())
