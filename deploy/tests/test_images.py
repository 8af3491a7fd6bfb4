"""Issue 14: one Dockerfile pattern for every service, non-root, on a pinned base, with a health check;
the images docker-compose builds are the ones the Kubernetes manifests run. No Docker engine needed:
the Dockerfiles are read, not built.
"""

from __future__ import annotations

import re

import pytest
import yaml

from zcp_runner.routes import REPO_ROOT, SERVICE_ORDER, SITE

COMPOSE = yaml.safe_load((REPO_ROOT / "docker-compose.yml").read_text())
SERVICE_DOCKERFILE = "deploy/docker/service.Dockerfile"
GATEWAY_DOCKERFILE = "deploy/docker/gateway.Dockerfile"
#: A tag naming a patch release (python:3.11.11-slim-bookworm, nginx:1.27.3-bookworm) or a digest.
PINNED = re.compile(r"^FROM [a-z0-9./-]+(?::\d+\.\d+\.\d+[-a-z0-9.]*|@sha256:[0-9a-f]{64})(?: AS \w+)?$", re.M)


def instructions(path: str) -> list[str]:
    text = (REPO_ROOT / path).read_text(encoding="utf-8").replace("\\\n", " ")
    return [line.strip() for line in text.splitlines() if line.strip() and not line.lstrip().startswith("#")]


def k8s_images() -> set[str]:
    images = set()
    for path in (REPO_ROOT / "deploy" / "k8s" / "base").glob("*.yaml"):
        images.update(re.findall(r"^\s+image: (zcp/[a-z]+)$", path.read_text(encoding="utf-8"), re.M))
    return images


@pytest.mark.parametrize("path", [SERVICE_DOCKERFILE, GATEWAY_DOCKERFILE])
def test_every_base_image_is_pinned_and_the_last_stage_runs_as_a_numeric_non_root_user(path: str) -> None:
    lines = instructions(path)
    froms = [line for line in lines if line.startswith("FROM ")]
    assert froms and all(PINNED.match(line) for line in froms), froms
    last_stage = lines[len(lines) - lines[::-1].index(froms[-1]) :]
    users = [line.split()[1] for line in last_stage if line.startswith("USER ")]
    assert users, "the final stage must name its user"
    uid = users[-1].split(":")[0]
    assert uid.isdigit() and int(uid) != 0, "numeric (Kubernetes' runAsNonRoot can check it) and not root"
    assert any(line.startswith("HEALTHCHECK ") and " CMD " in line for line in last_stage)


def test_the_service_image_creates_the_user_it_runs_as_and_asks_its_health_check() -> None:
    lines = instructions(SERVICE_DOCKERFILE)
    user = next(line.split()[1] for line in lines if line.startswith("USER "))
    uid, gid = user.split(":")
    assert any(f"useradd --system --uid {uid} --gid {gid}" in line for line in lines)
    assert any('CMD ["python", "-m", "servicekit.healthcheck"]' in line for line in lines)


def test_no_secret_is_built_into_an_image() -> None:
    for path in (SERVICE_DOCKERFILE, GATEWAY_DOCKERFILE):
        for line in instructions(path):
            assert not re.search(
                r"(_URL|_KEY|SECRET|PASSWORD)", line.split(" ", 1)[1] if line.startswith("ENV") else ""
            ), line
            assert not re.search(r"\.pem|keys/|portal-secret", line), line


@pytest.mark.parametrize("name", [*SERVICE_ORDER, SITE])
def test_every_service_image_is_built_from_the_one_pattern_and_run_by_kubernetes(name: str) -> None:
    built = [svc for svc in COMPOSE["services"].values() if svc.get("image") == f"zcp/{name}" and "build" in svc]
    assert len(built) >= 1, f"compose builds zcp/{name}"
    for service in built:
        assert service["build"] == {"context": ".", "dockerfile": SERVICE_DOCKERFILE, "args": {"SERVICE": name}}
    assert f"zcp/{name}" in k8s_images()


def test_the_gateway_image_is_the_one_kubernetes_runs() -> None:
    gateway = COMPOSE["services"]["gateway"]
    assert gateway["image"] == "zcp/gateway" and gateway["build"]["dockerfile"] == GATEWAY_DOCKERFILE
    images = {svc["image"] for svc in COMPOSE["services"].values() if svc.get("image", "").startswith("zcp/")}
    assert k8s_images() == images
