"""Chassis of the support service: health, error body, OpenAPI, identity token."""

from servicekit.testing.service import ChassisChecks


class TestChassis(ChassisChecks):
    service = "support"
    title = "Support service"
