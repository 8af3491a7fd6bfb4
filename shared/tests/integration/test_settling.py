"""Is messaging quiet? (issue 16 item 13: the demo seed decides on a settled catalogue, not on a timer.)

GIVEN a consumer's queues declared on a real RabbitMQ with this run's names, WHEN messages wait in the
main queue or in a retry queue, THEN :func:`messages_waiting` counts them; a queue not declared yet
counts none, and a broker that is away is "unknown", never "quiet". The producer's side: the outbox
counts as drained only once every row is published.
"""

from __future__ import annotations

import threading
import uuid
from dataclasses import replace

from kombu import Connection, Producer
from sqlalchemy import Engine

from servicekit.messaging.consumer import Subscription
from servicekit.messaging.envelope import Envelope
from servicekit.messaging.outbox import add
from servicekit.messaging.tables import OUTBOX_TABLE
from servicekit.messaging.topology import declare_queues, retry_delays, retry_queue_name
from servicekit.settings import BaseSettings, MessagingSettings
from servicekit.settling import UNKNOWN, messages_waiting, wait_outbox_drained
from servicekit.testing.servers import BrokerNamespace


def _ignore(envelope: Envelope, session: object) -> None:
    return None


def test_messages_waiting_counts_main_and_retry_queues_of_this_service(broker_namespace: BrokerNamespace) -> None:
    messaging = MessagingSettings(amqp_url=broker_namespace.amqp_url, queue_prefix=broker_namespace.queue_prefix)
    settings = BaseSettings(service_name="demo", database_url="sqlite://", messaging=messaging)
    subscription = Subscription("demo", f"settle_{uuid.uuid4().hex[:8]}", {"kittest.thing.happened": _ignore})  # type: ignore[dict-item]
    spec, prefix = subscription.queue_spec, messaging.queue_prefix
    assert messages_waiting(settings, [subscription]) == 0  # not declared yet: nothing waits in it

    delays = retry_delays(messaging.max_delivery_attempts, messaging.retry_delay, messaging.max_retry_delay)
    with Connection(messaging.amqp_url) as connection:
        declare_queues(
            connection.default_channel, [spec], exchange=broker_namespace.exchange, prefix=prefix, retry_delays=delays
        )
        assert messages_waiting(settings, [subscription]) == 0
        producer = Producer(connection.default_channel)
        for queue in (spec.name(prefix), spec.name(prefix), retry_queue_name(spec, prefix, max(delays))):
            producer.publish("{}", exchange="", routing_key=queue, content_type="application/json")
    assert messages_waiting(settings, [subscription]) == 3

    away = replace(settings, messaging=replace(messaging, amqp_url="amqp://guest:guest@127.0.0.1:1//"))
    assert messages_waiting(away, [subscription]) == UNKNOWN


def test_the_outbox_is_drained_only_once_every_row_is_published(producer_engine: Engine) -> None:
    from sqlalchemy import update
    from sqlalchemy.orm import Session

    with Session(producer_engine) as session, session.begin():
        add(session, Envelope.new(type="kittest.thing.happened", data={}, producer="kittest"))
    assert wait_outbox_drained(producer_engine, 0.3) is False

    def relay_later() -> None:
        threading.Event().wait(0.5)
        with producer_engine.begin() as connection:
            connection.execute(update(OUTBOX_TABLE).values(sent_at=OUTBOX_TABLE.c.created_at))

    relay = threading.Thread(target=relay_later)
    relay.start()
    assert wait_outbox_drained(producer_engine, 10) is True
    relay.join()
