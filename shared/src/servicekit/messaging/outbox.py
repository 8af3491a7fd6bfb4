"""The transactional outbox: the event row is written in the business transaction.

A separate relay process (:class:`OutboxRelay`) publishes unsent rows with publisher confirms,
marks them sent, and backs off while the broker is away. Nothing publishes from a request.
"""

from __future__ import annotations

import logging
import threading
import time
from dataclasses import KW_ONLY, dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import Engine, and_, delete, func, insert, or_, select, update
from sqlalchemy.orm import Session

from servicekit import metrics, tracing
from servicekit.correlation import current_causation_id, current_correlation_id
from servicekit.messaging import inbox
from servicekit.messaging.envelope import Envelope
from servicekit.messaging.publisher import Publisher, PublishError
from servicekit.messaging.tables import OUTBOX_TABLE

log = logging.getLogger(__name__)


def build_envelope(producer: str, event_type: str, data: dict[str, Any], version: int = 1) -> Envelope:
    """An envelope carrying the current correlation id; the message being handled is its cause."""
    return Envelope.new(
        type=event_type,
        data=data,
        producer=producer,
        correlation_id=current_correlation_id(),
        causation_id=current_causation_id(),
        version=version,
    )


def add(session: Session, envelope: Envelope) -> str:
    """One outbox row, with the W3C trace context of the current span (None when tracing is off)."""
    session.execute(
        insert(OUTBOX_TABLE).values(
            message_id=envelope.id, event_type=envelope.type, body=envelope.to_json(), trace_context=tracing.capture()
        )
    )
    return envelope.id


def add_many(session: Session, envelopes: list[Envelope]) -> None:
    if envelopes:
        trace_context = tracing.capture()
        session.execute(
            insert(OUTBOX_TABLE),
            [
                {"message_id": e.id, "event_type": e.type, "body": e.to_json(), "trace_context": trace_context}
                for e in envelopes
            ],
        )


@dataclass(eq=False)
class OutboxRelay:
    """Moves outbox rows to the broker: batch, publish with confirms, mark sent, back off on failure."""

    engine: Engine
    publisher: Publisher
    _: KW_ONLY
    batch_size: int = 500
    poll_interval: float = 0.2
    max_backoff: float = 30.0
    retention: timedelta = timedelta(days=7)
    inbox_retention: timedelta = timedelta(days=30)
    # Bookkeeping of the running loop: consecutive broker failures, monotonic times of the last purge and sample.
    _failures: int = field(default=0, init=False)
    _last_purge: float = field(default=0.0, init=False)
    _last_sample: float = field(default=0.0, init=False)

    def relay_once(self) -> int:
        """Publish one batch; returns how many rows were sent. Raises nothing for broker trouble."""
        now = datetime.now(UTC)
        with Session(self.engine) as session, session.begin():
            query = (
                select(
                    OUTBOX_TABLE.c.position,
                    OUTBOX_TABLE.c.event_type,
                    OUTBOX_TABLE.c.body,
                    OUTBOX_TABLE.c.trace_context,
                )
                .where(
                    and_(
                        OUTBOX_TABLE.c.sent_at.is_(None),
                        or_(OUTBOX_TABLE.c.next_attempt_at.is_(None), OUTBOX_TABLE.c.next_attempt_at <= now),
                    )
                )
                .order_by(OUTBOX_TABLE.c.position)
                .limit(self.batch_size)
            )
            if self.engine.dialect.name == "postgresql":
                # Several relays may run; each takes rows no other relay holds.
                query = query.with_for_update(skip_locked=True)
            rows = session.execute(query).all()
            if not rows:
                return 0
            positions = [row.position for row in rows]
            try:
                self.publisher.publish_batch(
                    [(row.event_type, row.body) for row in rows],
                    [tracing.stored_carrier(row.trace_context) for row in rows],
                )
            except PublishError as exc:
                self._failures += 1
                metrics.OUTBOX_FAILURES.inc()
                delay = self.backoff_delay()
                log.warning(
                    "outbox publish failed; will retry",
                    extra={"fields": {"rows": len(rows), "retry_in_s": delay, "error": str(exc)}},
                )
                session.execute(
                    update(OUTBOX_TABLE)
                    .where(OUTBOX_TABLE.c.position.in_(positions))
                    .values(
                        attempts=OUTBOX_TABLE.c.attempts + 1,
                        next_attempt_at=now + timedelta(seconds=delay),
                        last_error=str(exc)[:2000],
                    )
                )
                return 0
            session.execute(
                update(OUTBOX_TABLE).where(OUTBOX_TABLE.c.position.in_(positions)).values(sent_at=now, last_error=None)
            )
        self._failures = 0
        metrics.OUTBOX_PUBLISHED.inc(len(rows))
        return len(rows)

    def sample_backlog(self) -> tuple[int, float]:
        """Rows waiting and the age in seconds of the oldest (for ``/metrics``); sets the gauges."""
        with self.engine.connect() as connection:
            waiting, oldest = connection.execute(
                select(func.count(), func.min(OUTBOX_TABLE.c.created_at)).where(OUTBOX_TABLE.c.sent_at.is_(None))
            ).one()
        if oldest is not None and oldest.tzinfo is None:  # SQLite hands back naive UTC
            oldest = oldest.replace(tzinfo=UTC)
        age = max(0.0, (datetime.now(UTC) - oldest).total_seconds()) if oldest is not None else 0.0
        metrics.OUTBOX_WAITING.set(waiting)
        metrics.OUTBOX_OLDEST_AGE.set(age)
        return int(waiting), age

    def backoff_delay(self) -> float:
        return float(min(self.max_backoff, self.poll_interval * (2 ** min(self._failures, 16))))

    def purge_sent(self) -> int:
        cutoff = datetime.now(UTC) - self.retention
        with self.engine.begin() as connection:
            result = connection.execute(
                delete(OUTBOX_TABLE).where(and_(OUTBOX_TABLE.c.sent_at.is_not(None), OUTBOX_TABLE.c.sent_at < cutoff))
            )
        return int(result.rowcount or 0)

    def run(self, stop: threading.Event) -> None:
        log.info("outbox relay started")
        while not stop.is_set():
            try:
                sent = self.relay_once()
                if time.monotonic() - self._last_sample > 5:
                    self._last_sample = time.monotonic()
                    self.sample_backlog()
            except Exception:  # the database went away: log, wait, try again
                log.exception("outbox relay iteration failed")
                self._failures += 1
                stop.wait(self.backoff_delay())
                continue
            if time.monotonic() - self._last_purge > 3600:
                self._last_purge = time.monotonic()
                self.purge_sent()
                inbox.purge(self.engine, self.inbox_retention)  # the relay does its database's housekeeping
            if sent < self.batch_size:
                stop.wait(self.backoff_delay() if self._failures else self.poll_interval)
        self.publisher.close()
        log.info("outbox relay stopped")
