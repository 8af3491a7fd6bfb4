"""Integration events this service consumes: event type -> handler, one queue per purpose."""

from __future__ import annotations

from servicekit.messaging.consumer import Subscription


def subscriptions() -> list[Subscription]:
    return []
