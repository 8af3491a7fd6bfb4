"""Chassis of the catalogue service: health, error body, OpenAPI, identity token."""

from servicekit.testing.service import ChassisChecks


class TestChassis(ChassisChecks):
    service = "catalogue"
    title = "Catalogue service"
