"""Chassis of the identity service: health, error body, OpenAPI, identity token."""

from servicekit.testing.service import ChassisChecks


class TestChassis(ChassisChecks):
    service = "identity"
    title = "Identity service"
