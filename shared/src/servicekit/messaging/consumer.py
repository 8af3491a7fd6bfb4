"""The event consumer: batches of messages, one transaction per batch, a savepoint per message.

For each message: claim the inbox row and run the handler inside a savepoint. A handler that fails
rolls back its savepoint (no inbox row, no partial effect); the batch commits; only then are the
good messages acked. A failed message is requeued (never acked) until its attempts are used up,
then dead-lettered, where :mod:`servicekit.messaging.deadletters` lists and replays it. If the
process dies before acking, the broker redelivers and the inbox turns the repeat into a no-op.
"""

from __future__ import annotations

import enum
import json
import logging
import threading
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field

from kombu import Connection, Consumer, Producer
from kombu.message import Message
from sqlalchemy import Engine
from sqlalchemy.orm import Session

from servicekit.correlation import correlation_scope
from servicekit.messaging import inbox
from servicekit.messaging.envelope import Envelope, InvalidEnvelope
from servicekit.messaging.topology import QueueSpec, declare_queues, main_queue

log = logging.getLogger(__name__)

#: A handler applies one integration event inside the consumer's transaction.
Handler = Callable[[Envelope, Session], None]


@dataclass(frozen=True)
class Subscription:
    """One consuming purpose: its queue, and a handler per event type."""

    service: str
    purpose: str
    handlers: Mapping[str, Handler]
    extra_bindings: tuple[str, ...] = field(default_factory=tuple)

    @property
    def queue_spec(self) -> QueueSpec:
        return QueueSpec(self.service, self.purpose, tuple(self.handlers) + self.extra_bindings)

    def handler_name(self, event_type: str) -> str:
        return f"{self.service}.{self.purpose}:{event_type}"


class _HandlerFailed(Exception):
    pass


class Outcome(enum.Enum):
    DONE = "done"
    DUPLICATE = "duplicate"
    UNHANDLED = "unhandled"
    FAILED = "failed"
    POISON = "poison"


class InboxConsumer:
    def __init__(
        self,
        engine: Engine,
        subscription: Subscription,
        *,
        amqp_url: str,
        exchange: str,
        queue_prefix: str = "",
        max_delivery_attempts: int = 5,
        batch_size: int = 200,
        max_backoff: float = 30.0,
    ) -> None:
        self.engine = engine
        self.subscription = subscription
        self.amqp_url = amqp_url
        self.exchange = exchange
        self.queue_prefix = queue_prefix
        self.max_delivery_attempts = max_delivery_attempts
        self.batch_size = batch_size
        self.max_backoff = max_backoff
        self.memory = amqp_url.startswith("memory://")
        # Attempts per message id where the broker does not count them (kombu's memory transport).
        self._local_attempts: dict[str, int] = {}
        self._infrastructure_failures = 0

    # -- the processing of one batch: no broker I/O except ack/requeue/reject -----------------

    def process_batch(self, messages: list[Message], dead_letter: Callable[[Message], None]) -> None:
        try:
            outcomes = self._run_batch_fast(messages)
            if outcomes is None:  # a handler failed: redo this batch message by message
                outcomes = self._run_batch_isolated(messages)
        except Exception:
            # The commit (or the database) failed: nothing of this batch is stored. Back off, retry.
            log.exception("batch transaction failed; messages will be redelivered")
            self._infrastructure_failures += 1
            time.sleep(min(self.max_backoff, 0.1 * 2 ** min(self._infrastructure_failures, 10)))
            self._retry_or_dead_letter(messages, dead_letter)
            return
        self._infrastructure_failures = 0
        self.after_commit(messages)
        failed: list[Message] = []
        for message, outcome in outcomes:
            if outcome in (Outcome.DONE, Outcome.DUPLICATE, Outcome.UNHANDLED):
                message.ack()
                if self.memory:
                    self._local_attempts.pop(_message_key(message), None)
            elif outcome is Outcome.POISON:
                dead_letter(message)
            else:
                failed.append(message)
        if failed:
            log.warning("failed messages", extra={"fields": {"failed": len(failed), "batch": len(messages)}})
            self._retry_or_dead_letter(failed, dead_letter)

    def _decode(self, message: Message) -> tuple[Envelope | None, Outcome | None]:
        try:
            envelope = Envelope.from_json(message.body)
        except InvalidEnvelope as exc:
            log.error("message is not a valid envelope; dead-lettering", extra={"fields": {"error": str(exc)}})
            return None, Outcome.POISON
        if envelope.type not in self.subscription.handlers:
            log.info("no handler for event type", extra={"fields": {"event_type": envelope.type}})
            return envelope, Outcome.UNHANDLED
        return envelope, None

    def _run_batch_fast(self, messages: list[Message]) -> list[tuple[Message, Outcome]] | None:
        """The common case: one inbox statement and one transaction for the whole batch.

        Returns None (with everything rolled back) as soon as one handler fails.
        """
        decoded = [(message, *self._decode(message)) for message in messages]
        try:
            return self._apply_all(decoded)
        except _HandlerFailed:
            log.info("a handler failed; retrying the batch message by message")
            return None

    def _apply_all(
        self, decoded: list[tuple[Message, Envelope | None, Outcome | None]]
    ) -> list[tuple[Message, Outcome]]:
        with Session(self.engine) as session, session.begin():
            claims = {
                (envelope.id, self.subscription.handler_name(envelope.type), envelope.type)
                for _, envelope, outcome in decoded
                if envelope is not None and outcome is None
            }
            claimed = inbox.claim_many(session, sorted(claims))
            outcomes: list[tuple[Message, Outcome]] = []
            for message, envelope, outcome in decoded:
                if outcome is not None:
                    outcomes.append((message, outcome))
                    continue
                assert envelope is not None
                if envelope.id not in claimed:
                    outcomes.append((message, Outcome.DUPLICATE))
                    continue
                claimed.discard(envelope.id)  # the same message twice in one batch: apply once
                with correlation_scope(envelope.correlation_id, envelope.id):
                    try:
                        self.subscription.handlers[envelope.type](envelope, session)
                        session.flush()
                    except Exception as exc:
                        raise _HandlerFailed from exc  # leaves the block: the transaction rolls back
                outcomes.append((message, Outcome.DONE))
        return outcomes

    def _run_batch_isolated(self, messages: list[Message]) -> list[tuple[Message, Outcome]]:
        with Session(self.engine) as session, session.begin():
            return [(message, self._handle(session, message)) for message in messages]

    def after_commit(self, messages: list[Message]) -> None:
        """Called between the commit and the acks; tests use it to die at the worst moment."""

    def _handle(self, session: Session, message: Message) -> Outcome:
        envelope, outcome = self._decode(message)
        if outcome is not None:
            return outcome
        assert envelope is not None
        handler = self.subscription.handlers[envelope.type]
        with correlation_scope(envelope.correlation_id, envelope.id):
            savepoint = session.begin_nested()
            try:
                name = self.subscription.handler_name(envelope.type)
                if not inbox.claim(session, envelope.id, name, envelope.type):
                    savepoint.rollback()
                    log.info("duplicate message skipped", extra={"fields": {"message_id": envelope.id}})
                    return Outcome.DUPLICATE
                handler(envelope, session)
                session.flush()
                savepoint.commit()
            except Exception:
                savepoint.rollback()
                log.exception(
                    "handler failed",
                    extra={"fields": {"message_id": envelope.id, "event_type": envelope.type}},
                )
                return Outcome.FAILED
        return Outcome.DONE

    def attempt_number(self, message: Message) -> int:
        """1 for the first delivery. RabbitMQ quorum queues count earlier returns in a header."""
        if self.memory:
            return self._local_attempts.get(_message_key(message), 0) + 1
        headers = message.headers or {}
        return int(headers.get("x-delivery-count", 0)) + 1

    def _retry_or_dead_letter(self, messages: list[Message], dead_letter: Callable[[Message], None]) -> None:
        """Dead-letter the messages whose attempts are used up; requeue the rest after one short backoff."""
        retry: list[Message] = []
        longest = 0
        for message in messages:
            attempt = self.attempt_number(message)
            if attempt >= self.max_delivery_attempts:
                log.error("attempts used up; dead-lettering", extra={"fields": {"attempts": attempt}})
                self._local_attempts.pop(_message_key(message), None)
                dead_letter(message)
                continue
            if self.memory:
                self._local_attempts[_message_key(message)] = attempt
            retry.append(message)
            longest = max(longest, attempt)
        if retry:
            # One backoff for the batch (it grows with the attempts); the broker then redelivers
            # each message at the back of the queue.
            time.sleep(min(self.max_backoff, 0.02 * 2**longest))
            for message in retry:
                message.requeue()

    # -- the loop -------------------------------------------------------------------------------

    def run(self, stop: threading.Event, ready: threading.Event | None = None) -> None:
        spec = self.subscription.queue_spec
        while not stop.is_set():
            try:
                self._consume(spec, stop, ready)
            except Exception:
                log.exception("consumer connection lost; reconnecting")
                stop.wait(min(self.max_backoff, 1.0))

    def _consume(self, spec: QueueSpec, stop: threading.Event, ready: threading.Event | None) -> None:
        with Connection(self.amqp_url, connect_timeout=5) as connection:
            channel = connection.channel()
            declare_queues(
                channel,
                [spec],
                exchange=self.exchange,
                prefix=self.queue_prefix,
                max_delivery_attempts=self.max_delivery_attempts,
                memory=self.memory,
            )
            channel.basic_qos(0, self.batch_size * 2, False)
            buffer: list[Message] = []
            queue = main_queue(spec, self.exchange, self.queue_prefix, self.max_delivery_attempts, self.memory)
            dlq_producer = Producer(channel)
            dlq_name = spec.dead_letter_name(self.queue_prefix)

            def dead_letter(message: Message) -> None:
                if self.memory:  # no dead-letter exchange in memory: move it by hand, then ack
                    dlq_producer.publish(
                        message.body,
                        exchange="",
                        routing_key=dlq_name,
                        content_type="application/json",
                        content_encoding="utf-8",
                    )
                    message.ack()
                else:
                    message.reject(requeue=False)  # RabbitMQ routes it to the .dlq

            with Consumer(channel, queues=[queue], on_message=buffer.append, accept=["json"]):
                log.info("consumer started", extra={"fields": {"queue": spec.name(self.queue_prefix)}})
                if ready is not None:
                    ready.set()
                while not stop.is_set():
                    try:
                        connection.drain_events(timeout=0.2)
                        deadline = time.monotonic() + 0.02
                        while len(buffer) < self.batch_size and time.monotonic() < deadline:
                            connection.drain_events(timeout=0.005)
                    except TimeoutError:
                        pass
                    if buffer:
                        batch, buffer[:] = list(buffer), []
                        self.process_batch(batch, dead_letter)


def _message_key(message: Message) -> str:
    """The envelope id: stable across redeliveries, unlike the delivery tag."""
    try:
        return str(json.loads(message.body)["id"])
    except (ValueError, KeyError, TypeError):
        return str(message.delivery_tag)
