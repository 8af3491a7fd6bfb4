# The gateway: Debian-based nginx with the rendered config and the /api/docs page.
FROM python:3.11.11-slim-bookworm AS docs
COPY deploy/runner /src/runner
COPY deploy/gateway /src/deploy/gateway
COPY shared /src/shared
RUN pip install --no-cache-dir /src/shared /src/runner \
    && python -c "from pathlib import Path; from zcp_runner.docs import write_docs; from zcp_runner.routes import RouteTable; write_docs(Path('/docs'), list(RouteTable.load(Path('/src/deploy/gateway/routes.json')).service_ports))"

FROM nginx:1.27.3-bookworm
COPY deploy/gateway/nginx.compose.conf /etc/nginx/nginx.conf
COPY --from=docs /docs /usr/share/nginx/docs
# The rendered config keeps pid, logs and temp files under /tmp and listens on 8080: nginx runs as the
# image's unprivileged user. The health check asks nginx itself, never an upstream.
USER 101:101
HEALTHCHECK --interval=10s --timeout=5s --start-period=10s --retries=3 CMD ["bash", "-c", "exec 3<>/dev/tcp/127.0.0.1/8080"]
