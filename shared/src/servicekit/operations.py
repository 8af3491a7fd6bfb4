"""``/api/<service>/dead-letters``: what ``python -m <service>.manage dead-letters|replay`` does, over
HTTP for the platform admin's operations view (issue 13). Every service mounts it through
:func:`servicekit.app.create_runtime_app` with its own subscriptions.

- ``GET /dead-letters``: per consuming purpose its queue, the number of messages waiting in it and
  in its dead-letter queue, and the dead letters themselves (looked at, put back);
- ``POST /dead-letters/<purpose>/replay``: send them (all, or those with the given ids) back to that
  purpose's own queue only, exactly as the ``replay`` command.

Platform admins only; an unreachable broker is a Dutch 503, never a 500.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from amqp.exceptions import AMQPError
from flask.views import MethodView
from flask_smorest import abort
from kombu import Connection
from kombu.exceptions import KombuError
from marshmallow import fields

from servicekit.api import Blueprint, blueprint, requires
from servicekit.messaging.consumer import Subscription
from servicekit.messaging.deadletters import DeadLetterQueue
from servicekit.schemas import BaseSchema

PLATFORM_ADMIN = "platform_admin"
#: what an unreachable broker (or a queue not declared yet) raises
BROKER_ERRORS = (OSError, KombuError, AMQPError)
BROKER_AWAY = "De berichtenbroker is niet bereikbaar; probeer het over een ogenblik opnieuw."


class DeadLetterSchema(BaseSchema):
    message_id = fields.String(allow_none=True)
    event_type = fields.String(allow_none=True)
    occurred_at = fields.String(allow_none=True)
    reason = fields.String(allow_none=True, metadata={"description": "Waarom de broker het bericht hier zette."})
    body = fields.String(metadata={"description": "Het bericht zoals het in de wachtrij stond."})


class PurposeSchema(BaseSchema):
    purpose = fields.String()
    queue = fields.String()
    dead_letter_queue = fields.String()
    waiting = fields.Integer(metadata={"description": "Berichten die in de wachtrij wachten."})
    dead = fields.Integer(metadata={"description": "Berichten in de dead-letter-wachtrij."})
    letters = fields.List(fields.Nested(DeadLetterSchema), metadata={"description": "Hoogstens 100."})


class ReplaySchema(BaseSchema):
    ids = fields.List(
        fields.String(), load_default=None, metadata={"description": "Alleen deze berichten (standaard: alle)."}
    )


class ReplayedSchema(BaseSchema):
    replayed = fields.Integer()


def _depth(connection: Connection, queue_name: str) -> int:
    """Messages ready in a queue (a passive declare: never creates one)."""
    _name, count, _consumers = connection.default_channel.queue_declare(queue=queue_name, passive=True)
    return int(count)


def dead_letters_blueprint(
    subscriptions: Callable[[], Sequence[Subscription]], amqp_url: str, queue_prefix: str
) -> Blueprint:
    blp = blueprint("dead_letters", "/dead-letters", "Dead letters van deze dienst: bekijken en opnieuw aanbieden.")

    def queues() -> dict[str, DeadLetterQueue]:
        return {
            s.purpose: DeadLetterQueue(
                amqp_url, s.queue_spec.name(queue_prefix), s.queue_spec.dead_letter_name(queue_prefix)
            )
            for s in subscriptions()
        }

    @blp.route("")
    class DeadLetters(MethodView):
        @requires(PLATFORM_ADMIN)
        @blp.response(200, PurposeSchema(many=True))
        def get(self) -> list[dict[str, Any]]:
            """Per wachtrij van deze dienst: wachtende berichten, dead letters en de dead letters zelf."""
            try:
                return [_purpose(purpose, queue) for purpose, queue in queues().items()]
            except BROKER_ERRORS:
                abort(503, message=BROKER_AWAY)
            raise AssertionError("unreachable")

    @blp.route("/<purpose>/replay")
    class Replay(MethodView):
        @requires(PLATFORM_ADMIN)
        @blp.arguments(ReplaySchema)
        @blp.response(200, ReplayedSchema)
        def post(self, data: dict[str, Any], purpose: str) -> dict[str, int]:
            """Bied dead letters opnieuw aan (alle, of `ids`), alleen aan de eigen wachtrij van dit doel."""
            queue = queues().get(purpose)
            if queue is None:
                abort(404, message=f"Deze dienst heeft geen wachtrij {purpose!r}.")
            assert queue is not None
            try:
                return {"replayed": queue.replay(set(data["ids"]) if data.get("ids") else None)}
            except BROKER_ERRORS:
                abort(503, message=BROKER_AWAY)
            raise AssertionError("unreachable")

    return blp


def _purpose(purpose: str, queue: DeadLetterQueue) -> dict[str, Any]:
    with Connection(queue.amqp_url, connect_timeout=5) as connection:
        waiting, dead = _depth(connection, queue.queue_name), _depth(connection, queue.dead_letter_queue_name)
    return {
        "purpose": purpose,
        "queue": queue.queue_name,
        "dead_letter_queue": queue.dead_letter_queue_name,
        "waiting": waiting,
        "dead": dead,
        "letters": [letter.to_dict() for letter in queue.list()] if dead else [],
    }
