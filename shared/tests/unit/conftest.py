"""A small app on the kit's chassis, for the tests of the API convention and the input rules."""

from __future__ import annotations

from typing import Any

import pytest
from flask import Flask

from servicekit.app import create_service_app
from servicekit.auth import IdentityTokenVerifier
from servicekit.settings import BaseSettings
from servicekit.testing.identity import IdentityKeys


@pytest.fixture(scope="module")
def keys(tmp_path_factory: pytest.TempPathFactory) -> IdentityKeys:
    return IdentityKeys.create(tmp_path_factory.mktemp("keys"))


def demo_app(keys: IdentityKeys, *blueprints: Any) -> Flask:
    """Service ``demo`` with ``blueprints``, trusting identity tokens signed with ``keys``."""
    return create_service_app(
        BaseSettings(service_name="demo", database_url="sqlite://"),
        title="Demo",
        version="1",
        description="Demo service",
        blueprints=list(blueprints),
        readiness=[],
        verifier=IdentityTokenVerifier(keys.public_pem),
    )
