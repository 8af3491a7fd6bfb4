"""Issue 16 item 11: pinned dependencies with hashes, used by `make install`/`make test` and the images.

The locks are resolved by `make lock` (uv). This test keeps them honest without a network: every
dependency a pyproject.toml or requirements-dev.txt declares is pinned, each pin satisfies the
declared range and carries hashes, the runtime pins are the same in both locks, and the Makefile and
the service image install from them with --require-hashes.
"""

from __future__ import annotations

import re
import tomllib

import pytest
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

from zcp_runner.routes import REPO_ROOT

OWN = {"servicekit", "identity", "catalogue", "contracting", "products", "support", "portal", "zcp-runner"}
PYPROJECTS = [
    REPO_ROOT / "shared" / "pyproject.toml",
    REPO_ROOT / "deploy" / "runner" / "pyproject.toml",
    *sorted(REPO_ROOT.glob("services/*/pyproject.toml")),
]
PIN = re.compile(r"^([A-Za-z0-9_.\-\[\]]+)==([^\s;\\]+)", re.MULTILINE)


def pins(name: str) -> dict[str, str]:
    text = (REPO_ROOT / name).read_text(encoding="utf-8")
    return {canonicalize_name(package.split("[")[0]): version for package, version in PIN.findall(text)}


def entries(name: str) -> list[str]:
    """Each pinned entry with its continuation lines."""
    text = (REPO_ROOT / name).read_text(encoding="utf-8")
    return [block for block in re.split(r"\n(?=\S)", text) if PIN.match(block)]


def declared_runtime() -> list[Requirement]:
    found = []
    for path in PYPROJECTS:
        for raw in tomllib.loads(path.read_text(encoding="utf-8"))["project"].get("dependencies", []):
            requirement = Requirement(raw)
            if canonicalize_name(requirement.name) not in OWN:
                found.append(requirement)
    return found


def declared_dev() -> list[Requirement]:
    lines = (REPO_ROOT / "requirements-dev.txt").read_text(encoding="utf-8").splitlines()
    return [Requirement(line.split("#")[0].strip()) for line in lines if line.split("#")[0].strip()]


@pytest.mark.parametrize(
    ("lock", "declared"),
    [("requirements.lock", declared_runtime), ("requirements-dev.lock", lambda: declared_runtime() + declared_dev())],
)
def test_every_declared_dependency_is_pinned_within_its_range(lock: str, declared) -> None:  # type: ignore[no-untyped-def]
    pinned = pins(lock)
    for requirement in declared():
        name = canonicalize_name(requirement.name)
        assert name in pinned, f"{requirement} is not pinned in {lock}: run make lock"
        assert requirement.specifier.contains(pinned[name], prereleases=True), (
            f"{lock}: {name}=={pinned[name]} ∉ {requirement}"
        )


@pytest.mark.parametrize("lock", ["requirements.lock", "requirements-dev.lock"])
def test_every_pin_carries_hashes_and_no_own_package_is_pinned(lock: str) -> None:
    blocks = entries(lock)
    assert len(blocks) > 20
    for block in blocks:
        assert "--hash=sha256:" in block, block.splitlines()[0]
    assert not OWN & set(pins(lock))


def test_the_runtime_pins_are_the_same_in_both_locks() -> None:
    runtime, dev = pins("requirements.lock"), pins("requirements-dev.lock")
    assert {name: dev.get(name) for name in runtime} == runtime


def test_make_install_and_the_image_install_from_the_locks_with_hashes() -> None:
    makefile = (REPO_ROOT / "Makefile").read_text(encoding="utf-8")
    assert "pip install -q --require-hashes -r requirements-dev.lock" in makefile
    assert "--no-deps --no-build-isolation $(foreach p,$(PACKAGES),-e $(p))" in makefile
    dockerfile = (REPO_ROOT / "deploy" / "docker" / "service.Dockerfile").read_text(encoding="utf-8")
    assert "pip install --require-hashes -r /app/requirements.lock" in dockerfile
    assert "pip install --no-deps --no-build-isolation" in dockerfile and "pip check" in dockerfile
