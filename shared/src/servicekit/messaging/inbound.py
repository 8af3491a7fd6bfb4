"""The one way an inbound event reaches the service layer, in every service.

```python
HANDLERS = {
    "identity.insurer.registered": inbound.route(SERVICE, record_insurer, handlers.record_insurer),
}
```

The consumer (:class:`servicekit.messaging.consumer.InboxConsumer`) calls the returned handler with the
envelope and its batch's session; :func:`route` translates the envelope's data into the service's
typed command (``translate``, written in the service's ``integration/inbound.py``) and calls the
service-layer handler with it, in a unit of work around that session. The service layer thus never
sees an envelope or a raw dict, and the inbox row and the change commit together.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

from sqlalchemy.orm import Session

from servicekit.db import OutboundMapping, UnitOfWork
from servicekit.messaging.consumer import Handler
from servicekit.messaging.envelope import Envelope

Command = TypeVar("Command")
Data = dict[str, Any]


def route(
    producer: str,
    translate: Callable[[Data], Command],
    handle: Callable[[Command, UnitOfWork], object],
    *,
    outbound: OutboundMapping | None = None,
) -> Handler:
    """Envelope -> ``translate(data)`` -> ``handle(command, uow)``; named after ``handle`` (the inbox key)."""

    def handler(envelope: Envelope, session: Session) -> None:
        handle(translate(envelope.data), UnitOfWork(session=session, producer=producer, outbound=outbound))

    handler.__name__ = handle.__name__
    return handler
