"""HTTP resources of the products service; routes only translate."""

from servicekit.api import Blueprint


def blueprints() -> list[Blueprint]:
    return []
