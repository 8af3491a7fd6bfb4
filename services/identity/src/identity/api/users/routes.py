"""Users: platform admins manage all, insurer admins only their own insurer's; everyone changes their own password."""

from __future__ import annotations

import uuid
from typing import Any

from flask.views import MethodView

from identity import queries
from identity.api.common import actor
from identity.api.users import schemas
from identity.domain import model
from identity.domain.commands import ChangeOwnPassword, CreateUser, DeactivateUser, ResetPassword, UpdateUser
from identity.domain.model import INSURER_ADMIN, PLATFORM_ADMIN
from servicekit.api import abort, blueprint, current_runtime, found, requires, responds

blp = blueprint("users", "/users", "Users and their passwords")


def _visible_user(user_id: str) -> dict[str, Any]:
    """The user, if the caller may manage it; another insurer's user is 404 (its existence is not revealed)."""
    scope = model.user_scope(actor())
    user = queries.user(current_runtime().engine, user_id)
    if user is None or (scope is not None and (user["insurer"] or {}).get("id") != scope):
        abort(404, message=model.USER_NOT_FOUND)
    return user


@blp.route("")
class Users(MethodView):
    @requires(PLATFORM_ADMIN, INSURER_ADMIN)
    @blp.arguments(schemas.UserQueryArgsSchema, location="query")
    @blp.response(200, schemas.UserSchema(many=True))
    def get(self, args: dict[str, Any]) -> list[dict[str, Any]]:
        """List users: a platform admin sees all (optionally of one insurer), an insurer admin its own insurer's."""
        requested = str(args["insurer_id"]) if args["insurer_id"] else None
        scope = model.user_scope(actor(), requested)
        users = queries.users(current_runtime().engine, scope)
        if args["active"] is not None:
            users = [user for user in users if user["active"] is args["active"]]
        return users

    @requires(PLATFORM_ADMIN, INSURER_ADMIN)
    @responds(409)
    @blp.arguments(schemas.UserCreateSchema)
    @blp.response(201, schemas.UserSchema)
    def post(self, data: dict[str, Any]) -> dict[str, Any]:
        """Create a user; the initial password must be replaced at the first login.

        An insurer admin creates insurer users and insurer admins of its own insurer only, named in
        its insurer's namespace: ``jan`` becomes ``jan@<insurer code>`` (the answer shows the name to
        log in with). A name with another insurer's code is refused (422) whether or not it exists.
        """
        command = CreateUser(
            actor=actor(),
            username=data["username"],
            display_name=data["display_name"],
            role=data["role"],
            insurer_id=str(data["insurer_id"]) if data["insurer_id"] else None,
            password=data["password"],
        )
        user_id = current_runtime().handle(command)
        return _visible_user(user_id)


@blp.route("/me")
class Me(MethodView):
    @requires()
    @blp.response(200, schemas.UserSchema)
    def get(self) -> dict[str, Any]:
        """The logged-in user."""
        return found(queries.user(current_runtime().engine, actor().subject), model.USER_NOT_FOUND)


@blp.route("/me/password")
class MyPassword(MethodView):
    @requires()
    @responds(429)
    @blp.arguments(schemas.PasswordChangeSchema)
    @blp.response(204)
    def put(self, data: dict[str, Any]) -> None:
        """Change your own password (R2); the current password is required. Your other sessions end."""
        command = ChangeOwnPassword(
            actor=actor(), current_password=data["current_password"], new_password=data["new_password"]
        )
        current_runtime().handle(command)


@blp.route("/<uuid:user_id>")
class UserById(MethodView):
    @requires(PLATFORM_ADMIN, INSURER_ADMIN)
    @blp.response(200, schemas.UserSchema)
    def get(self, user_id: uuid.UUID) -> dict[str, Any]:
        """One user, if the caller may manage it."""
        return _visible_user(str(user_id))

    @requires(PLATFORM_ADMIN, INSURER_ADMIN)
    @responds(409)
    @blp.arguments(schemas.UserUpdateSchema)
    @blp.response(200, schemas.UserSchema)
    def patch(self, data: dict[str, Any], user_id: uuid.UUID) -> dict[str, Any]:
        """Change a user's display name or role; a role change ends the user's sessions."""
        command = UpdateUser(
            actor=actor(), user_id=str(user_id), display_name=data.get("display_name"), role=data.get("role")
        )
        current_runtime().handle(command)
        return _visible_user(str(user_id))


@blp.route("/<uuid:user_id>/password-reset")
class UserPasswordReset(MethodView):
    @requires(PLATFORM_ADMIN, INSURER_ADMIN)
    @blp.arguments(schemas.PasswordResetSchema)
    @blp.response(204)
    def post(self, data: dict[str, Any], user_id: uuid.UUID) -> None:
        """Reset a user's password to a temporary one: the user must choose a new one at the next login."""
        current_runtime().handle(ResetPassword(actor=actor(), user_id=str(user_id), new_password=data["new_password"]))


@blp.route("/<uuid:user_id>/deactivation")
class UserDeactivation(MethodView):
    @requires(PLATFORM_ADMIN, INSURER_ADMIN)
    @responds(409)
    @blp.response(200, schemas.UserSchema)
    def post(self, user_id: uuid.UUID) -> dict[str, Any]:
        """Deactivate a user: its sessions end at once and it can no longer log in."""
        current_runtime().handle(DeactivateUser(actor=actor(), user_id=str(user_id)))
        return _visible_user(str(user_id))
