"""HTTP resources of the contracting service; routes only translate."""

from flask_smorest import Blueprint


def blueprints() -> list[Blueprint]:
    return []
