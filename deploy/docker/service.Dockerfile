# One image pattern for every service: docker build -f deploy/docker/service.Dockerfile --build-arg SERVICE=<name> .
# The same image runs the API (gunicorn), the consumer, the relay and the migrate step, in docker-compose
# and on Kubernetes (deploy/k8s) alike. The base is pinned to a patch release (Python and Debian), so a
# rebuild changes only what the lock changes; it runs as uid 10001, never root. No secret is built in:
# database and broker URLs and the keys arrive at run time (environment, mounted Secrets).
FROM python:3.11.11-slim-bookworm
ARG SERVICE
ENV PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    EVENT_CONTRACTS_DIR=/app/shared/contracts/events
WORKDIR /app
# Every third-party package at the version and hash of requirements.lock (make lock), first: this
# layer changes only when the lock does.
COPY requirements.lock /app/requirements.lock
RUN pip install --require-hashes -r /app/requirements.lock
COPY shared /app/shared
COPY services/${SERVICE} /app/services/${SERVICE}
# Editable installs keep alembic.ini and migrations/ beside the code, where the migrate step looks.
# --no-deps: the lock above already brought every dependency; pip check proves nothing is missing.
RUN pip install --no-deps --no-build-isolation -e /app/shared -e /app/services/${SERVICE} \
    && pip check \
    && groupadd --system --gid 10001 app \
    && useradd --system --uid 10001 --gid 10001 app
WORKDIR /app/services/${SERVICE}
USER 10001:10001
# An API container asks its own /health/live; a consumer, relay or migrate container is healthy while
# its process runs (servicekit.healthcheck reads which it is from PID 1's command line).
HEALTHCHECK --interval=10s --timeout=5s --start-period=30s --retries=3 CMD ["python", "-m", "servicekit.healthcheck"]
