"""HTTP resources of the identity service; routes only translate."""

from flask_smorest import Blueprint

from identity.api.auth_check.routes import blp as auth_check


def blueprints() -> list[Blueprint]:
    return [auth_check]
