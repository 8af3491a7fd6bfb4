"""The event consumer: batches of messages, one transaction per batch, a savepoint per message.

For each message: claim the inbox row and run the handler inside a savepoint. A handler that fails
rolls back its savepoint (no inbox row, no partial effect); the batch commits; only then are the
good messages acked. If the process dies before acking, the broker redelivers and the inbox turns
the repeat into a no-op.

Several consumer processes may share one queue (see docs/messaging.md in the kit):

- **Per-entity locks.** Every message has an entity key (``institution_id:…``, by default the
  ``<entity>_id`` named by the event type). A batch transaction first takes the PostgreSQL
  transaction-level advisory locks of its keys that are free, without waiting; messages of keys
  another consumer holds stay for this process's next transaction. So two processes never apply
  events of the same entity at the same time, they do not queue up behind each other's batches,
  and a handler's "is this revision newer?" check stays true until its commit.
- **Delayed retries counted by the platform.** A message a handler refused is re-published, with
  its attempt number in the ``x-zcp-attempt`` header, to a delay queue whose TTL dead-letters it
  back onto the main queue (1 s, 2 s, 4 s … up to a cap), then acked. A consumer that dies returns
  its messages unacked; that costs no attempt, and the main queue has no broker delivery limit.
  After ``max_delivery_attempts`` refusals the message goes to ``<queue>.dlq``, where
  :mod:`servicekit.messaging.deadletters` lists and replays it.
"""

from __future__ import annotations

import enum
import hashlib
import json
import logging
import threading
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from kombu import Connection, Consumer, Producer
from kombu.message import Message
from sqlalchemy import Engine, bindparam, text
from sqlalchemy.dialects.postgresql import ARRAY, BIGINT
from sqlalchemy.orm import Session

from servicekit import metrics, tracing
from servicekit.correlation import correlation_scope
from servicekit.messaging import inbox
from servicekit.messaging.envelope import Envelope, InvalidEnvelope
from servicekit.messaging.topology import (
    ATTEMPT_HEADER,
    QueueSpec,
    declare_queues,
    main_queue,
    retry_delays,
    retry_queue_name,
)

log = logging.getLogger(__name__)

#: A handler applies one integration event inside the consumer's transaction.
Handler = Callable[[Envelope, Session], None]


@dataclass(frozen=True)
class Subscription:
    """One consuming purpose: its queue, a handler per event type, and what orders its events.

    ``ordering_keys`` names, per event type, the data field whose value is the entity the event is
    about (events of one entity are never applied concurrently). Types not listed use the entity of
    their name: ``catalogue.institution.closed`` -> ``institution_id``.
    """

    service: str
    purpose: str
    handlers: Mapping[str, Handler]
    extra_bindings: tuple[str, ...] = field(default_factory=tuple)
    ordering_keys: Mapping[str, str] = field(default_factory=dict)

    @property
    def queue_spec(self) -> QueueSpec:
        return QueueSpec(self.service, self.purpose, tuple(self.handlers) + self.extra_bindings)

    def handler_name(self, event_type: str) -> str:
        return f"{self.service}.{self.purpose}:{event_type}"

    def entity_key(self, envelope: Envelope) -> str | None:
        """``<field>:<value>`` of the entity the event is about, or None when it names none."""
        parts = envelope.type.split(".")
        name = self.ordering_keys.get(envelope.type) or (f"{parts[1]}_id" if len(parts) >= 3 else "")
        value = envelope.data.get(name) if name and isinstance(envelope.data, dict) else None
        return f"{name}:{value}" if value is not None else None


def _lock_id(key: str) -> int:
    return int.from_bytes(hashlib.blake2b(key.encode(), digest_size=8).digest(), "big", signed=True)


def lock_entities(session: Session, keys: list[str]) -> set[str] | None:
    """Take the transaction-level advisory locks of as many entity keys as are free (PostgreSQL).

    Returns the keys now held; None where no lock is needed (SQLite has one writer at a time).
    Locks held by another consumer's transaction are not waited for: their messages wait for this
    process's next transaction instead, so three consumers work on different entities side by side.
    Only when every key is taken does it wait, for the first key alone — holding nothing else, it
    cannot be part of a deadlock.
    """
    if session.get_bind().dialect.name != "postgresql":
        return None
    if not keys:
        return set()
    by_id = {_lock_id(key): key for key in keys}
    try_lock = text("SELECT k FROM unnest(:ids) AS k WHERE pg_try_advisory_xact_lock(k)").bindparams(
        bindparam("ids", type_=ARRAY(BIGINT))
    )
    held = {by_id[k] for k in session.execute(try_lock, {"ids": sorted(by_id)}).scalars()}
    if not held:
        session.execute(text("SELECT pg_advisory_xact_lock(:k)"), {"k": _lock_id(keys[0])})
        held = {keys[0]}
        rest = sorted(k for k in by_id if by_id[k] != keys[0])
        held |= {by_id[k] for k in session.execute(try_lock, {"ids": rest}).scalars()} if rest else set()
    return held


class _HandlerFailed(Exception):
    pass


class Outcome(enum.Enum):
    DONE = "done"
    DUPLICATE = "duplicate"
    UNHANDLED = "unhandled"
    FAILED = "failed"
    POISON = "poison"


_METRIC_OUTCOME = {
    Outcome.DONE: "handled",
    Outcome.DUPLICATE: "duplicate",
    Outcome.UNHANDLED: "unhandled",
}


@dataclass
class Routes:
    """Where the consumer sends a message it does not ack: the dead-letter queue or a delay queue.

    ``delay`` is None where there are no delay queues (kombu's memory transport, unit tests): the
    consumer then waits briefly and requeues.
    """

    dead_letter: Callable[[Message], None]
    delay: Callable[[Message, int], None] | None = None


class InboxConsumer:
    def __init__(
        self,
        engine: Engine,
        subscription: Subscription,
        *,
        amqp_url: str,
        exchange: str,
        queue_prefix: str = "",
        max_delivery_attempts: int = 8,
        batch_size: int = 200,
        max_backoff: float = 30.0,
        retry_delay: float = 1.0,
        max_retry_delay: float = 60.0,
        transaction_budget: float = 0.25,
    ) -> None:
        self.engine = engine
        self.subscription = subscription
        self.amqp_url = amqp_url
        self.exchange = exchange
        self.queue_prefix = queue_prefix
        self.max_delivery_attempts = max_delivery_attempts
        self.batch_size = batch_size
        self.max_backoff = max_backoff
        self.transaction_budget = transaction_budget
        self.retry_delays = retry_delays(max_delivery_attempts, retry_delay, max_retry_delay)
        self.memory = amqp_url.startswith("memory://")
        self.queue_label = subscription.queue_spec.name()
        # Attempts per message id where there are no delay queues to carry the header (memory transport).
        self._local_attempts: dict[str, int] = {}
        self._infrastructure_failures = 0

    # -- the processing of one batch: no broker I/O except ack/requeue/reject/delay ------------

    def process_batch(
        self,
        messages: list[Message],
        dead_letter: Callable[[Message], None],
        delay: Callable[[Message, int], None] | None = None,
    ) -> None:
        """Apply the messages in as many transactions as the time budget asks, acking after each commit."""
        routes = Routes(dead_letter, delay)
        pending = list(messages)
        while pending:
            done = self._process_part(pending, routes)
            if done is None:
                return
            pending = [message for message in pending if id(message) not in done]
            if pending and self.engine.dialect.name == "sqlite":
                # SQLite's waiting writers poll (every 100 ms once they have waited a while): without
                # a pause the next transaction would take the database again before they get in
                time.sleep(0.12)

    def _process_part(self, pending: list[Message], routes: Routes) -> set[int] | None:
        """One transaction over part of ``pending``; the ids of the messages it took (None: none, all requeued).

        It leaves out what the time budget has no room for, and messages of entities another
        consumer holds (they come in the next transaction).
        """
        started = time.perf_counter()
        try:
            outcomes = self._run_batch_fast(pending)
            if outcomes is None:  # a handler failed: redo this part message by message
                outcomes = self._run_batch_isolated(pending)
        except Exception:
            # The commit (or the database) failed: nothing of this part is stored. Back off and
            # requeue: the database's trouble is no handler's refusal, so it costs no attempt.
            log.exception("batch transaction failed; messages will be redelivered")
            self._infrastructure_failures += 1
            time.sleep(min(self.max_backoff, 0.1 * 2 ** min(self._infrastructure_failures, 10)))
            for message in pending:
                message.requeue()
            return None
        metrics.BATCH_SECONDS.labels(self.queue_label).observe(time.perf_counter() - started)
        self._infrastructure_failures = 0
        self.after_commit([message for message, _ in outcomes])
        self._settle(outcomes, routes)
        return {id(message) for message, _ in outcomes}

    def _settle(self, outcomes: list[tuple[Message, Outcome]], routes: Routes) -> None:
        failed: list[Message] = []
        for message, outcome in outcomes:
            if outcome in _METRIC_OUTCOME:
                message.ack()
                self._count(message, _METRIC_OUTCOME[outcome])
                if self.memory:
                    self._local_attempts.pop(_message_key(message), None)
            elif outcome is Outcome.POISON:
                routes.dead_letter(message)
                self._count(message, "dead_lettered")
            else:
                failed.append(message)
        if failed:
            log.warning("failed messages", extra={"fields": {"failed": len(failed), "batch": len(outcomes)}})
            self._retry_or_dead_letter(failed, routes)

    def _over_budget(self, started: float, done: int) -> bool:
        """Time to commit what is done: saves waiting on this transaction's locks wait no longer than this."""
        return done > 0 and time.perf_counter() - started > self.transaction_budget

    def _count(self, message: Message, outcome: str) -> None:
        metrics.MESSAGES.labels(self.queue_label, _event_type(message), outcome).inc()

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

    def _runnable(
        self, session: Session, decoded: list[tuple[Message, Envelope | None, Outcome | None]]
    ) -> list[tuple[Message, Envelope | None, Outcome | None]]:
        """Lock what can be locked; the messages this transaction may run, in their order."""
        keys = [
            self.subscription.entity_key(envelope) if envelope is not None and outcome is None else None
            for _, envelope, outcome in decoded
        ]
        held = lock_entities(session, list(dict.fromkeys(key for key in keys if key is not None)))
        if held is None:
            return decoded
        return [item for item, key in zip(decoded, keys, strict=True) if key is None or key in held]

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
            decoded = self._runnable(session, decoded)
            claims = {
                (envelope.id, self.subscription.handler_name(envelope.type), envelope.type)
                for _, envelope, outcome in decoded
                if envelope is not None and outcome is None
            }
            claimed = inbox.claim_many(session, sorted(claims))
            outcomes: list[tuple[Message, Outcome]] = []
            started = time.perf_counter()
            for message, envelope, outcome in decoded:
                if self._over_budget(started, len(outcomes)):
                    # the claims of the messages left out are taken back: they come in the next transaction
                    inbox.unclaim(session, [(m, h) for m, h, _ in claims if m in claimed])
                    break
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
                        self._timed(message, envelope, session)
                    except Exception as exc:
                        raise _HandlerFailed from exc  # leaves the block: the transaction rolls back
                outcomes.append((message, Outcome.DONE))
        return outcomes

    def _timed(self, message: Message, envelope: Envelope, session: Session) -> None:
        started = time.perf_counter()
        with tracing.incoming(message.headers):  # the handler's span continues the message's trace context
            self.subscription.handlers[envelope.type](envelope, session)
        session.flush()
        metrics.HANDLER_SECONDS.labels(self.queue_label, envelope.type).observe(time.perf_counter() - started)

    def _run_batch_isolated(self, messages: list[Message]) -> list[tuple[Message, Outcome]]:
        with Session(self.engine) as session, session.begin():
            runnable = self._runnable(session, [(message, *self._decode(message)) for message in messages])
            outcomes: list[tuple[Message, Outcome]] = []
            started = time.perf_counter()
            for message, _, _ in runnable:
                if self._over_budget(started, len(outcomes)):
                    break
                outcomes.append((message, self._handle(session, message)))
            return outcomes

    def after_commit(self, messages: list[Message]) -> None:
        """Called between the commit and the acks; tests use it to die at the worst moment."""

    def _handle(self, session: Session, message: Message) -> Outcome:
        envelope, outcome = self._decode(message)
        if outcome is not None:
            return outcome
        assert envelope is not None
        with correlation_scope(envelope.correlation_id, envelope.id):
            savepoint = session.begin_nested()
            try:
                name = self.subscription.handler_name(envelope.type)
                if not inbox.claim(session, envelope.id, name, envelope.type):
                    savepoint.rollback()
                    log.info("duplicate message skipped", extra={"fields": {"message_id": envelope.id}})
                    return Outcome.DUPLICATE
                self._timed(message, envelope, session)
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
        """1 for the first delivery; the platform's own header counts refusals, not redeliveries."""
        if self.memory:
            return self._local_attempts.get(_message_key(message), 0) + 1
        headers = message.headers or {}
        try:
            return max(1, int(headers.get(ATTEMPT_HEADER, 1)))
        except (TypeError, ValueError):
            return 1

    def _retry_or_dead_letter(self, messages: list[Message], routes: Routes) -> None:
        """Dead-letter the messages whose attempts are used up; send the rest to a delay queue."""
        requeue: list[Message] = []
        longest = 0
        for message in messages:
            attempt = self.attempt_number(message)
            if attempt >= self.max_delivery_attempts:
                log.error("attempts used up; dead-lettering", extra={"fields": {"attempts": attempt}})
                self._local_attempts.pop(_message_key(message), None)
                routes.dead_letter(message)
                self._count(message, "dead_lettered")
                continue
            self._count(message, "retried")
            if routes.delay is not None:
                routes.delay(message, attempt)
                continue
            if self.memory:
                self._local_attempts[_message_key(message)] = attempt
            requeue.append(message)
            longest = max(longest, attempt)
        if requeue:
            # No delay queues here: one short backoff for the batch, then back of the queue.
            time.sleep(min(self.max_backoff, 0.02 * 2**longest))
            for message in requeue:
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

    def _declare(self, channel: Any, spec: QueueSpec) -> None:
        declare_queues(
            channel,
            [spec],
            exchange=self.exchange,
            prefix=self.queue_prefix,
            retry_delays=self.retry_delays,
            memory=self.memory,
        )

    def _routes(self, channel: Any, side: Connection | None, spec: QueueSpec) -> Routes:
        dlq_name = spec.dead_letter_name(self.queue_prefix)
        memory_producer = Producer(channel)

        def dead_letter(message: Message) -> None:
            if self.memory:  # no dead-letter exchange in memory: move it by hand, then ack
                memory_producer.publish(message.body, exchange="", routing_key=dlq_name, **_properties(message))
                message.ack()
            else:
                message.reject(requeue=False)  # RabbitMQ routes it to the .dlq

        if side is None:
            return Routes(dead_letter)
        confirming = Producer(side.default_channel)

        def delay(message: Message, attempt: int) -> None:
            # published with a confirm before the ack: a crash in between repeats it (the inbox
            # absorbs the repeat), never loses it
            seconds = self.retry_delays[min(attempt, len(self.retry_delays)) - 1]
            headers = {**(message.headers or {}), ATTEMPT_HEADER: attempt + 1}
            queue = retry_queue_name(spec, self.queue_prefix, seconds)
            confirming.publish(message.body, exchange="", routing_key=queue, headers=headers, **_properties(message))
            message.ack()

        return Routes(dead_letter, delay)

    def _consume(self, spec: QueueSpec, stop: threading.Event, ready: threading.Event | None) -> None:
        side_options = {"confirm_publish": True}
        with (
            Connection(self.amqp_url, connect_timeout=5) as connection,
            Connection(self.amqp_url, connect_timeout=5, transport_options=side_options) as side,
        ):
            channel = connection.channel()
            self._declare(channel, spec)
            channel.basic_qos(0, self.batch_size * 2, False)
            buffer: list[Message] = []
            queue = main_queue(spec, self.exchange, self.queue_prefix, self.memory)
            routes = self._routes(channel, None if self.memory else side, spec)
            # declared above (a queue of an older version may not be declared again with new arguments)
            consume = Consumer(channel, queues=[queue], on_message=buffer.append, accept=["json"], auto_declare=False)
            with consume:
                log.info("consumer started", extra={"fields": {"queue": spec.name(self.queue_prefix)}})
                if ready is not None:
                    ready.set()
                self._loop(connection, channel, spec, buffer, routes, stop)

    def _loop(
        self,
        connection: Connection,
        channel: Any,
        spec: QueueSpec,
        buffer: list[Message],
        routes: Routes,
        stop: threading.Event,
    ) -> None:
        sampled = 0.0
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
                self.process_batch(batch, routes.dead_letter, routes.delay)
            if not self.memory and time.monotonic() - sampled > 5:
                sampled = time.monotonic()
                self._sample_depths(channel, spec)

    def _sample_depths(self, channel: Any, spec: QueueSpec) -> None:
        for gauge, name in (
            (metrics.QUEUE_MESSAGES, spec.name(self.queue_prefix)),
            (metrics.DEAD_LETTER_MESSAGES, spec.dead_letter_name(self.queue_prefix)),
        ):
            gauge.labels(self.queue_label).set(channel.queue_declare(name, passive=True).message_count)


def _properties(message: Message) -> dict[str, Any]:
    return {
        "content_type": message.content_type or "application/json",
        "content_encoding": message.content_encoding or "utf-8",
        "delivery_mode": 2,
    }


def _event_type(message: Message) -> str:
    try:
        return str(json.loads(message.body)["type"])
    except (ValueError, KeyError, TypeError):
        return "unreadable"


def _message_key(message: Message) -> str:
    """The envelope id: stable across redeliveries, unlike the delivery tag."""
    try:
        return str(json.loads(message.body)["id"])
    except (ValueError, KeyError, TypeError):
        return str(message.delivery_tag)
