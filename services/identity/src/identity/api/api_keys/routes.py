"""API keys of publication consumers (comparison sites, care finders): platform admins create, list and revoke them."""

from __future__ import annotations

import uuid
from typing import Any

from flask.views import MethodView
from flask_smorest import Blueprint

from identity import queries
from identity.api.api_keys.schemas import ApiKeyCreatedSchema, ApiKeyCreateSchema, ApiKeySchema
from identity.api.common import actor, domain_errors, runtime
from identity.domain.commands import CreateApiKey, RevokeApiKey
from identity.domain.model import PLATFORM_ADMIN

blp = Blueprint("api_keys", __name__, url_prefix="/api-keys", description="API keys of publication consumers")


@blp.route("")
class ApiKeys(MethodView):
    @blp.response(200, ApiKeySchema(many=True))
    def get(self) -> list[dict[str, Any]]:
        """All API keys, revoked ones included (never the keys themselves)."""
        actor(PLATFORM_ADMIN)
        return queries.api_keys(runtime().engine)

    @blp.arguments(ApiKeyCreateSchema)
    @blp.response(201, ApiKeyCreatedSchema)
    def post(self, data: dict[str, Any]) -> dict[str, Any]:
        """Create an API key; the answer shows the key this once. Send it as ``X-API-Key``."""
        with domain_errors():
            result: dict[str, Any] = runtime().handle(CreateApiKey(actor=actor(PLATFORM_ADMIN), name=data["name"]))
        return {**result, "revoked_at": None, "last_used_at": None}


@blp.route("/<uuid:api_key_id>")
class ApiKeyById(MethodView):
    @blp.response(204)
    def delete(self, api_key_id: uuid.UUID) -> None:
        """Revoke an API key: from now on the gateway refuses it."""
        with domain_errors():
            runtime().handle(RevokeApiKey(actor=actor(PLATFORM_ADMIN), api_key_id=str(api_key_id)))
