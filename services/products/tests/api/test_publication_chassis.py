"""Chassis of the publication process (its own wsgi entry, R17): health, error body, OpenAPI, identity token."""

from typing import Any

import pytest

from servicekit.testing.service import ChassisChecks


@pytest.fixture
def client(pub_client: Any) -> Any:
    return pub_client


class TestPublicationChassis(ChassisChecks):
    service = "publication"
    title = "Publication API"
