# One image pattern for every service: docker build -f deploy/docker/service.Dockerfile --build-arg SERVICE=<name> .
# The same image runs the API (gunicorn), the consumer, the relay and the migrate step.
FROM python:3.11-slim
ARG SERVICE
ENV PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    EVENT_CONTRACTS_DIR=/app/shared/contracts/events
WORKDIR /app
COPY shared /app/shared
COPY services/${SERVICE} /app/services/${SERVICE}
# Editable installs keep alembic.ini and migrations/ beside the code, where the migrate step looks.
RUN pip install -e /app/shared -e /app/services/${SERVICE} \
    && useradd --system --uid 10001 app
WORKDIR /app/services/${SERVICE}
USER app
