"""Routes of the notifications resource: the caller's own messages, with unread marks."""

from __future__ import annotations

from typing import Any

from flask.views import MethodView

from servicekit.api import blueprint, read
from support import queries
from support.api.common import anyone, current_actor, now, unit_of_work
from support.api.notifications import schemas
from support.domain import commands
from support.service_layer import notify

blp = blueprint("notifications", "/notifications", "Uw berichten over meldingen en wijzigingsverzoeken.")


@blp.route("")
class Notifications(MethodView):
    @anyone
    @blp.arguments(schemas.NotificationQueryArgsSchema, location="query")
    @blp.response(200, schemas.NotificationPageSchema)
    def get(self, args: dict[str, Any]) -> dict[str, Any]:
        """Uw berichten, nieuwste eerst, met ongelezen-markering: elke statuswijziging en elk antwoord."""
        return read(
            queries.list_notifications,
            current_actor().user_id,
            unread_only=args["unread_only"],
            page=args["page"],
            page_size=args["page_size"],
        )


@blp.route("/read")
class NotificationsRead(MethodView):
    @anyone
    @blp.arguments(schemas.MarkReadSchema)
    @blp.response(200, schemas.MarkedSchema)
    def post(self, data: dict[str, Any]) -> dict[str, Any]:
        """Markeer berichten als gelezen (zonder `ids`: alle)."""
        cmd = commands.MarkNotificationsRead(current_actor().user_id, now(), [str(i) for i in data["ids"]])
        return {"marked": notify.mark_notifications_read(cmd, unit_of_work())}
