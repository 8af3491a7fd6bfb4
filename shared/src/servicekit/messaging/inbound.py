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

import dataclasses
from collections.abc import Callable
from typing import Any, TypeVar, cast

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


def router(
    producer: str, *, outbound: OutboundMapping | None = None
) -> Callable[[Callable[[Data], Command], Callable[[Command, UnitOfWork], object]], Handler]:
    """:func:`route` with the service's ``producer`` and ``outbound`` mapping bound: ``_route = router(SERVICE, …)``."""

    def bound(translate: Callable[[Data], Command], handle: Callable[[Command, UnitOfWork], object]) -> Handler:
        return route(producer, translate, handle, outbound=outbound)

    return bound


def from_data(command: Callable[..., Command]) -> Callable[[Data], Command]:
    """A translation by name: the (dataclass) command's fields from the event data's keys of the same names.

    Keys the command does not name are left out; a field the data lacks keeps its default (or the
    translation fails, and the consumer retries the message and finally dead-letters it).
    """
    names = [field.name for field in dataclasses.fields(cast(Any, command))]

    def translate(data: Data) -> Command:
        return command(**{name: data[name] for name in names if name in data})

    translate.__name__ = f"{getattr(command, '__name__', 'command')}_from_data"
    return translate
