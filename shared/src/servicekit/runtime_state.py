"""The runtime a service's composition root builds: settings, engine, sessions, subscriptions."""

from __future__ import annotations

import threading
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Generic, TypeVar

from sqlalchemy import Engine
from sqlalchemy.orm import Session, sessionmaker

from servicekit.db import OutboundMapping, UnitOfWork, create_db_engine, session_factory
from servicekit.messaging.consumer import Subscription
from servicekit.settings import BaseSettings

S = TypeVar("S", bound=BaseSettings)


@dataclass
class ServiceRuntime(Generic[S]):
    settings: S
    engine: Engine
    sessions: sessionmaker[Session]
    subscriptions: list[Subscription] = field(default_factory=list)
    #: the service's ``integration/outbound.py`` mapping of domain events (see ``UnitOfWork.emit``)
    outbound: OutboundMapping | None = None

    def unit_of_work(self) -> UnitOfWork:
        """A unit of work per request or command; its events carry this service's name."""
        return UnitOfWork(self.sessions, producer=self.settings.service_name, outbound=self.outbound)

    def background_workers(self) -> list[Callable[[threading.Event], None]]:
        """Long or periodic work the consumer process (and ``make run``) runs beside the consumers, never the API.

        None by default; a service overrides it (contracting: the rollover jobs).
        """
        return []

    @classmethod
    def build(
        cls, settings: S, subscriptions: Sequence[Subscription] = (), outbound: OutboundMapping | None = None
    ) -> ServiceRuntime[S]:
        engine = create_db_engine(settings.database_url)
        return cls(settings, engine, session_factory(engine), list(subscriptions), outbound)
