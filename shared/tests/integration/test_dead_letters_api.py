"""``/api/<service>/dead-letters`` (issue 13, operations view) on a real RabbitMQ: the platform admin
lists a purpose's queue depths and dead letters, and replays one to that purpose's own queue only.

GIVEN a purpose's queues declared with this run's names and two dead letters, WHEN a platform admin
replays one by id, THEN that one waits in the consumer's queue, the other stays dead, and nobody else
may list or replay (403).
"""

from __future__ import annotations

import uuid

from kombu import Connection, Producer

from servicekit.app import create_service_app
from servicekit.auth import IdentityTokenVerifier
from servicekit.messaging.consumer import Subscription
from servicekit.messaging.envelope import Envelope
from servicekit.messaging.topology import declare_queues
from servicekit.operations import dead_letters_blueprint
from servicekit.settings import BaseSettings
from servicekit.testing.identity import IdentityKeys, gateway_client
from servicekit.testing.servers import BrokerNamespace


def _ignore(envelope: Envelope, session: object) -> None:
    return None


def test_the_platform_admin_lists_and_replays_one_dead_letter_to_its_own_queue_only(
    broker_namespace: BrokerNamespace, tmp_path: object
) -> None:
    purpose = f"ops_{uuid.uuid4().hex[:8]}"
    subscription = Subscription("demo", purpose, {"kittest.thing.happened": _ignore})  # type: ignore[dict-item]
    spec, prefix = subscription.queue_spec, broker_namespace.queue_prefix
    letters = [Envelope.new(type="kittest.thing.happened", data={"n": n}, producer="kittest") for n in (1, 2)]
    with Connection(broker_namespace.amqp_url) as connection:
        declare_queues(connection.default_channel, [spec], exchange=broker_namespace.exchange, prefix=prefix)
        for letter in letters:
            Producer(connection.default_channel).publish(
                letter.to_json(),
                exchange="",
                routing_key=spec.dead_letter_name(prefix),
                content_type="application/json",
            )
    keys = IdentityKeys.create(tmp_path)  # type: ignore[arg-type]
    app = create_service_app(
        BaseSettings(service_name="demo", database_url="sqlite://"),
        title="Demo",
        version="1",
        description="Demo service",
        blueprints=[dead_letters_blueprint(lambda: [subscription], broker_namespace.amqp_url, prefix)],
        readiness=[],
        verifier=IdentityTokenVerifier(keys.public_pem),
    )
    client, admin = gateway_client(app, keys), keys.headers(roles=("platform_admin",))

    maintainer = keys.headers(roles=("catalogue_maintainer",))
    assert client.get("/api/demo/dead-letters", headers=maintainer).status_code == 403
    assert client.post(f"/api/demo/dead-letters/{purpose}/replay", json={}, headers=maintainer).status_code == 403

    listed = client.get("/api/demo/dead-letters", headers=admin).get_json()
    assert [(q["purpose"], q["waiting"], q["dead"]) for q in listed] == [(purpose, 0, 2)]
    assert {d["message_id"] for d in listed[0]["letters"]} == {letters[0].id, letters[1].id}

    answer = client.post(f"/api/demo/dead-letters/{purpose}/replay", json={"ids": [letters[0].id]}, headers=admin)
    assert answer.status_code == 200 and answer.get_json() == {"replayed": 1}
    after = client.get("/api/demo/dead-letters", headers=admin).get_json()[0]
    assert (after["waiting"], after["dead"]) == (1, 1)
    assert [d["message_id"] for d in after["letters"]] == [letters[1].id]

    unknown = client.post("/api/demo/dead-letters/nothing/replay", json={}, headers=admin)
    assert unknown.status_code == 404 and "geen wachtrij" in unknown.get_json()["message"]
