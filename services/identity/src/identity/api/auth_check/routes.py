"""The gateway's session check (nginx ``auth_request``).

Until sessions exist this answers "allow all" without vouching for anyone: services then see no
principal, so every route that requires one still refuses.
"""

from __future__ import annotations

from flask import Response
from flask.views import MethodView
from flask_smorest import Blueprint

blp = Blueprint("auth_check", __name__, url_prefix="/auth", description="Session check for the gateway")


@blp.route("/check")
class AuthCheck(MethodView):
    @blp.response(204)
    def get(self) -> Response:
        """Answer the gateway: may this request pass, and as whom (``X-Identity-Token``)."""
        return Response(status=204)
