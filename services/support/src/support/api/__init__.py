"""HTTP resources of the support service; routes only translate."""

from servicekit.api import Blueprint


def blueprints() -> list[Blueprint]:
    return []
