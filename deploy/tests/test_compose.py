"""docker-compose.yml, kept honest without a Docker engine: parse it, check it against the code.

Every service has its migrate, api, consumer and relay; each api binds the port the gateway's route
table names; every environment variable set is one the code reads; each service reads its own
database only; the gateway config in the image is the one rendered from the route table.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml

from zcp_runner.nginx import COMPOSE_CONF, render_compose
from zcp_runner.routes import API_ORDER, REPO_ROOT, SERVICE_ORDER, SITE, RouteTable

COMPOSE = yaml.safe_load((REPO_ROOT / "docker-compose.yml").read_text())
ROUTES = RouteTable.load()
ENV_READ = re.compile(r"""(?:env(?:iron)?(?:\.get)?\(\s*|env_\w+\(\s*env,\s*|\benv\[)["']([A-Z][A-Z0-9_]+)["']""")


def env_vars_read(*folders: Path) -> set[str]:
    names: set[str] = set()
    for folder in folders:
        for path in [folder] if folder.is_file() else folder.rglob("*.py"):
            names.update(ENV_READ.findall(path.read_text(encoding="utf-8")))
    return names


KIT_VARS = env_vars_read(REPO_ROOT / "shared" / "src" / "servicekit" / "settings.py")


def service_vars(name: str) -> set[str]:
    return KIT_VARS | env_vars_read(REPO_ROOT / "services" / name / "src") | {f"{name.upper()}_DATABASE_URL"}


def test_the_kit_reads_the_variables_it_documents() -> None:
    assert {"AMQP_URL", "EVENT_EXCHANGE", "QUEUE_PREFIX", "IDENTITY_PUBLIC_KEY_FILE", "LOG_LEVEL"} <= KIT_VARS


@pytest.mark.parametrize("name", SERVICE_ORDER)
def test_every_service_has_migrate_api_consumer_and_relay(name: str) -> None:
    services = COMPOSE["services"]
    for role in ("migrate", "api", "consumer", "relay"):
        assert f"{name}-{role}" in services, f"{name}-{role} missing"
    assert services[f"{name}-migrate"]["command"] == ["python", "-m", f"{name}.manage", "migrate"]
    assert services[f"{name}-consumer"]["command"] == ["python", "-m", f"{name}.consumer"]
    assert services[f"{name}-relay"]["command"] == ["python", "-m", f"{name}.relay"]
    for role in ("api", "consumer", "relay"):
        assert services[f"{name}-{role}"]["depends_on"] == {
            f"{name}-migrate": {"condition": "service_completed_successfully"}
        }


@pytest.mark.parametrize("name", SERVICE_ORDER)
def test_each_api_binds_the_port_of_the_route_table_and_checks_readiness(name: str) -> None:
    api = COMPOSE["services"][f"{name}-api"]
    port = ROUTES.service_ports[name]
    assert f"0.0.0.0:{port}" in api["command"] and api["command"][1] == f"{name}.wsgi:app"
    assert api["expose"] == [str(port)]
    assert f"http://127.0.0.1:{port}/api/{name}/health/ready" in " ".join(api["healthcheck"]["test"])
    assert f"server {name}-api:{port};" in COMPOSE_CONF.read_text()


@pytest.mark.parametrize("name", SERVICE_ORDER)
def test_environment_variables_are_ones_the_code_reads_and_each_service_uses_its_own_database(name: str) -> None:
    readable = service_vars(name)
    for role in ("migrate", "api", "consumer", "relay"):
        env = COMPOSE["services"][f"{name}-{role}"]["environment"]
        unknown = set(env) - readable
        assert not unknown, f"{name}-{role} sets variables no code reads: {unknown}"
        assert env[f"{name.upper()}_DATABASE_URL"].endswith(f"@postgres:5432/{name}")
        assert not [key for key in env if key.endswith("_DATABASE_URL") and key != f"{name.upper()}_DATABASE_URL"]
        assert env["AMQP_URL"].startswith("amqp://") and "@rabbitmq:5672" in env["AMQP_URL"]


def test_postgres_init_creates_a_database_and_role_per_service() -> None:
    init = (REPO_ROOT / "deploy" / "postgres" / "init.sql").read_text()
    for name in SERVICE_ORDER:
        assert f"CREATE ROLE {name} LOGIN PASSWORD '{name}';" in init
        assert f"CREATE DATABASE {name} OWNER {name};" in init


def test_only_identity_gets_the_signing_key() -> None:
    for name, service in COMPOSE["services"].items():
        env = service.get("environment") or {}
        if "IDENTITY_SIGNING_KEY_FILE" in env:
            assert name.startswith("identity-"), name


def test_the_gateway_is_built_from_the_rendered_config_and_publishes_the_route_table_port() -> None:
    gateway = COMPOSE["services"]["gateway"]
    assert gateway["ports"] == [f"{ROUTES.listen_port}:{ROUTES.listen_port}"]
    assert set(gateway["depends_on"]) == {f"{name}-api" for name in (*API_ORDER, SITE)}
    dockerfile = (REPO_ROOT / gateway["build"]["dockerfile"]).read_text()
    assert "COPY deploy/gateway/nginx.compose.conf /etc/nginx/nginx.conf" in dockerfile
    assert COMPOSE_CONF.read_text() == render_compose(ROUTES), "run: python -m zcp_runner.nginx --compose"


def test_infrastructure_has_healthchecks_and_the_management_ui() -> None:
    services = COMPOSE["services"]
    assert "management" in services["rabbitmq"]["image"]
    assert "15672:15672" in services["rabbitmq"]["ports"]
    for name in ("rabbitmq", "postgres"):
        assert services[name]["healthcheck"]["test"]


def test_the_portal_binds_its_route_table_port_reads_its_variables_and_calls_the_gateway() -> None:
    portal = COMPOSE["services"][f"{SITE}-api"]
    port = ROUTES.service_ports[SITE]
    assert ROUTES.site == SITE
    assert portal["command"][1] == f"{SITE}.wsgi:app" and f"0.0.0.0:{port}" in portal["command"]
    assert portal["expose"] == [str(port)]
    assert f"server {SITE}-api:{port};" in COMPOSE_CONF.read_text()
    env = portal["environment"]
    assert set(env) <= service_vars(SITE), f"portal sets variables no code reads: {set(env) - service_vars(SITE)}"
    assert env["PORTAL_GATEWAY_URL"] == f"http://gateway:{ROUTES.listen_port}"
    assert not [key for key in env if key.endswith("_DATABASE_URL") or key == "AMQP_URL"], "the portal keeps no data"
    assert "portal-secret" in " ".join(COMPOSE["services"]["keys"]["command"])
