"""Support service."""

SERVICE = "support"
