"""HTTP resources of the identity service; routes only translate."""

from flask_smorest import Blueprint

from identity.api.api_keys.routes import blp as api_keys
from identity.api.auth_check.routes import blp as auth_check
from identity.api.insurers.routes import blp as insurers
from identity.api.sessions.routes import blp as sessions
from identity.api.users.routes import blp as users


def blueprints() -> list[Blueprint]:
    return [auth_check, sessions, users, insurers, api_keys]
