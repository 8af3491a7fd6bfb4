# One image pattern for every service: docker build -f deploy/docker/service.Dockerfile --build-arg SERVICE=<name> .
# The same image runs the API (gunicorn), the consumer, the relay and the migrate step.
FROM python:3.11-slim
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
    && useradd --system --uid 10001 app
WORKDIR /app/services/${SERVICE}
USER app
