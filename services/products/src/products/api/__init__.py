"""HTTP resources of the products service; routes only translate."""

from flask_smorest import Blueprint


def blueprints() -> list[Blueprint]:
    return []
