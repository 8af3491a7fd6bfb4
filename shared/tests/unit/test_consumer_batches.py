"""The consumer's batch logic with fake messages: acks after commit, requeue on failure, dead letters."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import pytest
from sqlalchemy import Column, Integer, MetaData, String, Table, create_engine, func, select
from sqlalchemy.orm import Session

from servicekit.messaging.consumer import InboxConsumer, Subscription
from servicekit.messaging.envelope import Envelope
from servicekit.messaging.tables import INBOX_TABLE, messaging_tables
from servicekit.messaging.topology import ATTEMPT_HEADER, retry_delays

metadata = MetaData()
messaging_tables(metadata)
applied = Table("applied", metadata, Column("id", Integer, primary_key=True), Column("value", String(20)))
EVENT = "test.thing.happened"


@dataclass
class FakeMessage:
    body: str
    headers: dict[str, Any] = field(default_factory=dict)
    delivery_tag: int = 1
    properties: dict[str, Any] = field(default_factory=dict)
    fate: str = "pending"

    def ack(self) -> None:
        self.fate = "acked"

    def requeue(self) -> None:
        self.fate = "requeued"

    def reject(self, requeue: bool = False) -> None:
        self.fate = "rejected"


def message(value: str, *, attempt: int = 0, envelope_id: str | None = None) -> FakeMessage:
    envelope = Envelope.new(type=EVENT, data={"value": value}, producer="test")
    if envelope_id:
        envelope = Envelope(envelope_id, *list(envelope.__dict__.values())[1:])
    return FakeMessage(envelope.to_json(), headers={ATTEMPT_HEADER: attempt} if attempt else {})


def handler(envelope: Envelope, session: Session) -> None:
    session.execute(applied.insert().values(value=envelope.data["value"]))
    if envelope.data["value"].startswith("bad"):
        raise ValueError("refused")


@pytest.fixture
def consumer() -> InboxConsumer:
    engine = create_engine("sqlite://")
    metadata.create_all(engine)
    return InboxConsumer(
        engine,
        Subscription("test", "things", {EVENT: handler}),
        amqp_url="amqp://unused//",
        exchange="x",
        max_delivery_attempts=3,
        max_backoff=0.0,
    )


def values(consumer: InboxConsumer) -> list[str]:
    with consumer.engine.connect() as connection:
        return sorted(connection.execute(select(applied.c.value)).scalars())


def inbox_count(consumer: InboxConsumer) -> int:
    with consumer.engine.connect() as connection:
        return int(connection.execute(select(func.count()).select_from(INBOX_TABLE)).scalar_one())


def test_a_good_batch_commits_then_acks_every_message(consumer: InboxConsumer) -> None:
    batch = [message("a"), message("b")]
    consumer.process_batch(batch, dead_letter=lambda m: pytest.fail("nothing should be dead-lettered"))
    assert [m.fate for m in batch] == ["acked", "acked"]
    assert values(consumer) == ["a", "b"]


def test_a_failing_message_is_requeued_and_leaves_no_trace_while_its_neighbours_commit(consumer: InboxConsumer) -> None:
    batch = [message("a"), message("bad"), message("c")]
    consumer.process_batch(batch, dead_letter=lambda m: pytest.fail("first try is not the last"))
    assert [m.fate for m in batch] == ["acked", "requeued", "acked"]
    assert values(consumer) == ["a", "c"]
    assert inbox_count(consumer) == 2


def test_the_last_attempt_goes_to_the_dead_letter_queue_not_back(consumer: InboxConsumer) -> None:
    dead: list[FakeMessage] = []
    last_try = message("bad", attempt=3)  # third attempt of max 3
    consumer.process_batch([last_try], dead_letter=dead.append)  # type: ignore[arg-type]
    assert dead == [last_try]
    assert last_try.fate == "pending"  # the dead-letter callback decides (reject or move)


def test_a_message_seen_twice_in_one_batch_or_across_batches_applies_once(consumer: InboxConsumer) -> None:
    first, twin = message("x", envelope_id="same-id"), message("x", envelope_id="same-id")
    consumer.process_batch([first, twin], dead_letter=lambda m: None)
    later = message("x", envelope_id="same-id")
    consumer.process_batch([later], dead_letter=lambda m: None)
    assert values(consumer) == ["x"]
    assert [first.fate, twin.fate, later.fate] == ["acked", "acked", "acked"]


def test_a_refused_message_goes_to_the_next_delay_queue_with_its_attempt_counted_then_is_acked(
    consumer: InboxConsumer,
) -> None:
    delayed: list[tuple[FakeMessage, int]] = []
    first, second = message("bad"), message("bad", attempt=2)
    consumer.process_batch(
        [first, second],  # type: ignore[list-item]
        dead_letter=lambda m: pytest.fail("attempts are not used up"),
        delay=lambda m, attempt: delayed.append((m, attempt)),  # type: ignore[arg-type,misc]
    )
    assert delayed == [(first, 1), (second, 2)]  # the delay callback re-publishes, then acks
    assert values(consumer) == []


def test_the_delays_grow_up_to_their_cap_one_per_retry() -> None:
    assert retry_delays(8, 1.0, 30.0) == (1.0, 2.0, 4.0, 8.0, 16.0, 30.0, 30.0)


def test_events_of_one_entity_share_a_key_and_other_types_use_their_named_field() -> None:
    subscription = Subscription("t", "p", {EVENT: handler}, ordering_keys={"cat.offering.changed": "institution_id"})
    key = subscription.entity_key
    assert (
        key(Envelope.new(type="cat.institution.closed", data={"institution_id": "i1"}, producer="t"))
        == "institution_id:i1"
    )
    assert (
        key(Envelope.new(type="cat.offering.changed", data={"institution_id": "i1"}, producer="t"))
        == "institution_id:i1"
    )
    assert key(Envelope.new(type="cat.condition.retired", data={"condition_id": "c"}, producer="t")) == "condition_id:c"
    assert key(Envelope.new(type=EVENT, data={"value": "v"}, producer="t")) is None


def test_garbage_is_dead_lettered_at_once(consumer: InboxConsumer) -> None:
    dead: list[FakeMessage] = []
    garbage = FakeMessage("{not json")
    consumer.process_batch([garbage], dead_letter=dead.append)  # type: ignore[arg-type]
    assert dead == [garbage]
