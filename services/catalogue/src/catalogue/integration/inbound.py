"""Integration events this service consumes: event type -> handler, one queue per purpose.

- ``catalogue.change_requests``: data change requests the maintainer approved in the support
  service (R15), applied as catalogue changes (R16).
"""

from __future__ import annotations

from sqlalchemy.orm import Session

from catalogue import SERVICE
from catalogue.service_layer.change_requests import apply_approved_request
from servicekit.db import UnitOfWork
from servicekit.messaging.consumer import Subscription
from servicekit.messaging.envelope import Envelope

CHANGE_REQUEST_APPROVED = "support.change_request.approved"


def _change_request_approved(envelope: Envelope, session: Session) -> None:
    apply_approved_request(envelope.data, UnitOfWork(session=session, producer=SERVICE))


def subscriptions() -> list[Subscription]:
    return [Subscription(SERVICE, "change_requests", {CHANGE_REQUEST_APPROVED: _change_request_approved})]
