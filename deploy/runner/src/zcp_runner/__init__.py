"""Tooling that runs the whole platform; it is deploy tooling, not a service."""
