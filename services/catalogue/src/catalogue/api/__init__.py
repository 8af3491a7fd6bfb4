"""HTTP resources of the catalogue service; routes only translate."""

from flask_smorest import Blueprint


def blueprints() -> list[Blueprint]:
    return []
