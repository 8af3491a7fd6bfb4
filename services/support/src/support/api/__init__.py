"""HTTP resources of the support service; routes only translate."""

from flask_smorest import Blueprint


def blueprints() -> list[Blueprint]:
    return []
