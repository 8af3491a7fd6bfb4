"""Publishers for the outbox relay.

:class:`ConfirmingPublisher` talks AMQP 0-9-1 to RabbitMQ with publisher confirms, pipelined: it
publishes a whole batch, then waits once for the broker to confirm every delivery tag. Waiting for
each confirm in turn caps a publisher near one round trip per message (about 1,200 msg/s here).

:class:`InMemoryPublisher` serves the embedded mode (kombu's ``memory://`` transport), which has no
confirms: in one process a put cannot be lost in transit.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping, Sequence
from typing import Any, Protocol

from kombu import Connection, Exchange, Producer

from servicekit.messaging.topology import declare_exchanges

log = logging.getLogger(__name__)

JSON = "application/json"


class PublishError(Exception):
    """The broker did not confirm every message of the batch (unreachable, nack, time-out)."""


#: Per message, the AMQP headers to send with it (None: none); see :func:`header_list`.
Headers = Sequence[Mapping[str, Any] | None] | None


class Publisher(Protocol):
    def publish_batch(self, messages: list[tuple[str, str]], headers: Headers = None) -> None:
        """Publish ``(routing_key, json_body)`` pairs; return only when all are confirmed.

        ``headers``, when given, holds each message's AMQP headers, in the same order (the relay
        sends the W3C trace context this way, see :mod:`servicekit.tracing`).
        """

    def close(self) -> None: ...


def message_properties() -> dict[str, Any]:
    return {"content_type": JSON, "content_encoding": "utf-8", "delivery_mode": 2}


def header_list(messages: list[tuple[str, str]], headers: Headers) -> list[dict[str, Any]]:
    """One (possibly empty) header dict per message."""
    if headers is None:
        return [{} for _ in messages]
    if len(headers) != len(messages):
        raise ValueError(f"{len(headers)} header sets for {len(messages)} messages")
    return [dict(found or {}) for found in headers]


class ConfirmingPublisher:
    def __init__(self, amqp_url: str, exchange: str, *, confirm_timeout: float = 15.0) -> None:
        self.amqp_url = amqp_url
        self.exchange = exchange
        self.confirm_timeout = confirm_timeout
        self._connection: Connection | None = None
        self._channel: Any = None
        self._unconfirmed: set[int] = set()
        self._nacked: list[int] = []
        self._next_tag = 1

    def _ensure_channel(self) -> Any:
        if self._channel is not None:
            return self._channel
        connection = Connection(self.amqp_url, connect_timeout=5)
        try:
            connection.connect()
            channel = connection.channel()
            declare_exchanges(channel, self.exchange)
            channel.confirm_select()
        except Exception as exc:
            connection.release()
            raise PublishError(f"broker unreachable: {exc}") from exc
        channel.events["basic_ack"].add(self._on_ack)
        channel.events["basic_nack"].add(self._on_nack)
        self._connection, self._channel = connection, channel
        self._unconfirmed, self._nacked, self._next_tag = set(), [], 1
        return channel

    def _on_ack(self, delivery_tag: int, multiple: bool) -> None:
        if multiple:
            self._unconfirmed = {tag for tag in self._unconfirmed if tag > delivery_tag}
        else:
            self._unconfirmed.discard(delivery_tag)

    def _on_nack(self, delivery_tag: int, multiple: bool) -> None:
        self._nacked.append(delivery_tag)
        self._on_ack(delivery_tag, multiple)

    def publish_batch(self, messages: list[tuple[str, str]], headers: Headers = None) -> None:
        if not messages:
            return
        each_headers = header_list(messages, headers)
        channel = self._ensure_channel()
        try:
            for (routing_key, body), message_headers in zip(messages, each_headers, strict=True):
                channel.basic_publish(
                    _amqp_message(body, message_headers),
                    exchange=self.exchange,
                    routing_key=routing_key,
                )
                self._unconfirmed.add(self._next_tag)
                self._next_tag += 1
            assert self._connection is not None
            # One wait for the whole batch: the broker confirms while we are still publishing.
            while self._unconfirmed:
                self._connection.drain_events(timeout=self.confirm_timeout)
        except Exception as exc:
            self._reset()
            if isinstance(exc, PublishError):
                raise
            raise PublishError(f"publish failed: {exc!r}") from exc
        if self._nacked:
            nacked = list(self._nacked)
            self._reset()
            raise PublishError(f"broker refused {len(nacked)} message(s)")

    def _reset(self) -> None:
        if self._connection is not None:
            try:
                self._connection.release()
            except Exception:  # the connection is already broken; nothing to clean
                log.debug("ignoring error while closing a broken connection", exc_info=True)
        self._connection = None
        self._channel = None

    def close(self) -> None:
        self._reset()


def _amqp_message(body: str, headers: dict[str, Any]) -> Any:
    import amqp

    if headers:
        return amqp.Message(body=body.encode("utf-8"), application_headers=headers, **message_properties())
    return amqp.Message(body=body.encode("utf-8"), **message_properties())


class InMemoryPublisher:
    def __init__(self, amqp_url: str, exchange: str) -> None:
        self._connection = Connection(amqp_url)
        self._exchange = Exchange(exchange, type="topic", durable=True)
        self._producer = Producer(self._connection.channel(), exchange=self._exchange)
        self._producer.declare()

    def publish_batch(self, messages: list[tuple[str, str]], headers: Headers = None) -> None:
        for (routing_key, body), message_headers in zip(messages, header_list(messages, headers), strict=True):
            self._producer.publish(
                body, routing_key=routing_key, headers=message_headers, content_type=JSON, content_encoding="utf-8"
            )

    def close(self) -> None:
        self._connection.release()


def create_publisher(amqp_url: str, exchange: str) -> Publisher:
    if amqp_url.startswith("memory://"):
        return InMemoryPublisher(amqp_url, exchange)
    return ConfirmingPublisher(amqp_url, exchange)
