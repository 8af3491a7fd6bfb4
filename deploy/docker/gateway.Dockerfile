# The gateway: Debian-based nginx with the rendered config and the /api/docs page.
FROM python:3.11-slim AS docs
COPY deploy/runner /src/runner
COPY deploy/gateway /src/deploy/gateway
COPY shared /src/shared
RUN pip install --no-cache-dir /src/shared /src/runner \
    && python -c "from pathlib import Path; from zcp_runner.docs import write_docs; from zcp_runner.routes import RouteTable; write_docs(Path('/docs'), list(RouteTable.load(Path('/src/deploy/gateway/routes.json')).service_ports))"

FROM nginx:1.27
COPY deploy/gateway/nginx.compose.conf /etc/nginx/nginx.conf
COPY --from=docs /docs /usr/share/nginx/docs
