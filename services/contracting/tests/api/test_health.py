"""Chassis of the contracting service: health, error body, OpenAPI, identity token."""

from servicekit.testing.service import ChassisChecks


class TestChassis(ChassisChecks):
    service = "contracting"
    title = "Contracting service"
