"""API keys of publication consumers (comparison sites, care finders): platform admins create, list and revoke them."""

from __future__ import annotations

import uuid
from typing import Any

from flask.views import MethodView

from identity import queries
from identity.api.api_keys.schemas import ApiKeyCreatedSchema, ApiKeyCreateSchema, ApiKeySchema
from identity.api.common import actor
from identity.domain.commands import CreateApiKey, RevokeApiKey
from identity.domain.model import PLATFORM_ADMIN
from servicekit.api import blueprint, current_runtime, requires

blp = blueprint("api_keys", "/api-keys", "API keys of publication consumers")


@blp.route("")
class ApiKeys(MethodView):
    @requires(PLATFORM_ADMIN)
    @blp.response(200, ApiKeySchema(many=True))
    def get(self) -> list[dict[str, Any]]:
        """All API keys, revoked ones included (never the keys themselves)."""
        actor()
        return queries.api_keys(current_runtime().engine)

    @requires(PLATFORM_ADMIN)
    @blp.arguments(ApiKeyCreateSchema)
    @blp.response(201, ApiKeyCreatedSchema)
    def post(self, data: dict[str, Any]) -> dict[str, Any]:
        """Create an API key; the answer shows the key this once. Send it as ``X-API-Key``."""
        result: dict[str, Any] = current_runtime().handle(CreateApiKey(actor=actor(), name=data["name"]))
        return {**result, "revoked_at": None, "last_used_at": None}


@blp.route("/<uuid:api_key_id>")
class ApiKeyById(MethodView):
    @requires(PLATFORM_ADMIN)
    @blp.response(204)
    def delete(self, api_key_id: uuid.UUID) -> None:
        """Revoke an API key: from now on the gateway refuses it."""
        current_runtime().handle(RevokeApiKey(actor=actor(), api_key_id=str(api_key_id)))
