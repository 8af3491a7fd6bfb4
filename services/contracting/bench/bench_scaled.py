"""The scaled process mode against the single-process one, in the same run (issue 14, Must show 2).

    python services/contracting/bench/bench_scaled.py [--seconds 8] [--clients 8] [--events 1000]

The last section of ``make bench-contracting``. Starts the platform as in production (per service
gunicorn + consumer + relay, nginx, PostgreSQL on ``BENCH_POSTGRES_URL``, RabbitMQ on
``BENCH_AMQP_URL``; databases and queue names of its own, removed at the end) with demo data, then
scales contracting's processes as an operator scales its Deployments (``Platform.scale``) and
prints, as ratios measured in this run:

(a) Status saves through the gateway: ``--clients`` insurer users each saving one institution row of a
    collection (``PATCH .../institutions``, FULL <-> NOT_CONTRACTED, the version as read) as fast as
    they can for ``--seconds``, against contracting's API with 1 gunicorn worker, then with 4: saves/s,
    p50 and p99, and the ratio.
(b) Catalogue events applied by contracting: with contracting's consumers stopped, the catalogue
    maintainer changes ``--events`` institutions through the gateway (spread over every institution:
    a consumer works on different institutions side by side, never on one institution twice at
    once); once all wait in the queue, 1 consumer process is started, and in a second round 3
    processes share the queue. Events/s is counted from the inbox (from the first batch
    transaction's start, in the database's clock, so a process's start-up is not counted, to the
    last event, or to ``WINDOW`` seconds later on a slow machine), and the ratio.

The machine is shared and small: loads are bounded (``--clients`` threads, ``--seconds`` per
figure, only 127.0.0.1) and the load generator runs on the same cores as the services, so the
ratios are a floor for what a cluster with a core per process gets. About 3 minutes on top of the
platform's start.
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import threading
import time
import uuid
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import requests
import sqlalchemy as sa
from kombu import Connection

from servicekit.testing import wait_for
from servicekit.testing.servers import BrokerNamespace, DatabaseFactory, new_run_id
from zcp_runner.disposable import start_platform as start_disposable
from zcp_runner.processes import Platform

PASSWORD = "Demo2026Zcp!"
EVENT = "catalogue.institution.changed"
QUEUE = "contracting.catalogue"
#: (b) counts at most this many seconds of applying (from the first event applied)
WINDOW = 60.0


def log(message: str) -> None:
    print(message, flush=True)


def login(base: str, username: str) -> dict[str, str]:
    body = {"contract_year": 2026, "username": username, "password": PASSWORD}
    response = requests.post(f"{base}/api/identity/sessions", json=body, timeout=30)
    response.raise_for_status()
    return {"Authorization": f"Bearer {response.json()['token']}"}


def start_platform(databases: DatabaseFactory, broker: BrokerNamespace) -> Platform:
    log("starting the platform: 4 API workers, 3 contracting consumers ...")
    started = time.perf_counter()
    platform = start_disposable(
        databases, broker, "bench_scaled", seed_demo=True, workers=4, consumers={"contracting": 3}, timeout=900
    )
    log(f"platform ready in {time.perf_counter() - started:.0f} s at {platform.url} (logs in {platform.run_dir})")
    return platform


# -- (a) status saves through the gateway, 1 vs 4 API workers -----------------------------------------


class Saver:
    """One insurer user saving one institution row over and over, keeping the row's version."""

    def __init__(self, url: str, session: dict[str, str], institution_id: str, version: int) -> None:
        self.url, self.session, self.institution_id, self.version = url, session, institution_id, version
        self.status = "NOT_CONTRACTED"
        self.http = requests.Session()

    def save(self) -> bool:
        self.status = "FULL" if self.status == "NOT_CONTRACTED" else "NOT_CONTRACTED"
        row = {"institution_id": self.institution_id, "status": self.status, "version": self.version}
        answer = self.http.patch(self.url, json={"rows": [row]}, headers=self.session, timeout=30)
        if answer.status_code == 200:
            self.version += 1
            return True
        self.version = self.read_version()  # a conflict: read the row again (counted as a failed save)
        return False

    def read_version(self) -> int:
        rows = self.http.get(self.url, headers=self.session, params={"page_size": 500}, timeout=30).json()["items"]
        return int(next(r["version"] for r in rows if r["institution_id"] == self.institution_id))


def savers(base: str, clients: int) -> list[Saver]:
    session = login(base, "zk-inkoper")
    body = {"name": f"Bench {uuid.uuid4().hex[:8]}", "care_type": "hospital", "collection_type": "basic"}
    created = requests.post(f"{base}/api/contracting/collections", json=body, headers=session, timeout=30)
    created.raise_for_status()
    url = f"{base}/api/contracting/collections/{created.json()['collection_id']}/institutions"
    rows = requests.get(url, headers=session, params={"page_size": 500}, timeout=30).json()["items"]
    assert len(rows) >= clients, f"only {len(rows)} institutions in the collection"
    return [Saver(url, session, row["institution_id"], row["version"]) for row in rows[:clients]]


def load(clients: list[Saver], seconds: float) -> tuple[int, int, list[float]]:
    """Every client saves as fast as it can for ``seconds``: (saves, conflicts, latencies)."""
    deadline = time.perf_counter() + seconds
    results: list[tuple[int, int, list[float]]] = []

    def run(client: Saver) -> None:
        done, failed, times = 0, 0, []
        while time.perf_counter() < deadline:
            started = time.perf_counter()
            ok = client.save()
            times.append(time.perf_counter() - started)
            done, failed = done + ok, failed + (not ok)
        results.append((done, failed, times))

    threads = [threading.Thread(target=run, args=(client,)) for client in clients]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return sum(r[0] for r in results), sum(r[1] for r in results), [t for r in results for t in r[2]]


def bench_saves(platform: Platform, seconds: float, clients: int) -> None:
    users = savers(platform.url, clients)
    load(users, 2)  # warm-up: connections, caches
    figures: dict[int, float] = {}
    log(f"(a) Status saves through the gateway, {clients} clients, {seconds:.0f} s each:")
    for workers in (1, 4):
        platform.scale("contracting", workers=workers)
        load(users, 1)  # the new workers' first requests
        saves, conflicts, times = load(users, seconds)
        figures[workers] = saves / seconds
        log(
            f"  contracting API, {workers} gunicorn worker(s): {figures[workers]:7.1f} saves/s"
            f"   p50 {statistics.median(times) * 1000:6.1f} ms   p99 {statistics.quantiles(times, n=100)[98] * 1000:7.1f} ms"
            f"   ({saves} saves, {conflicts} conflicts)"
        )
    log(f"  ratio 4 workers / 1 worker: {figures[4] / figures[1]:.2f}x")


# -- (b) catalogue events applied by contracting, 1 vs 3 consumers --------------------------------------


def institution_ids(base: str, session: dict[str, str]) -> list[str]:
    ids: list[str] = []
    for page in range(1, 50):
        answer = requests.get(
            f"{base}/api/catalogue/institutions", params={"page": page, "page_size": 200}, headers=session, timeout=30
        ).json()
        ids += [item["id"] for item in answer["items"]]
        if len(answer["items"]) < 200:
            return ids
    return ids


def change_institutions(base: str, session: dict[str, str], ids: list[str], events: int) -> None:
    """``events`` changes through the gateway, round-robin over ``ids``, 8 at a time."""
    with ThreadPoolExecutor(8) as pool, requests.Session() as http:

        def change(number: int) -> None:
            url = f"{base}/api/catalogue/institutions/{ids[number % len(ids)]}"
            phone = f"040-{random.randrange(1_000_000, 9_999_999)}"
            http.patch(url, json={"phone": phone}, headers=session, timeout=30).raise_for_status()

        list(pool.map(change, range(events)))


def queue_depth(broker: BrokerNamespace) -> int:
    with Connection(broker.amqp_url, connect_timeout=5) as connection:
        return int(connection.channel().queue_declare(broker.queue_prefix + QUEUE, passive=True).message_count)


def applied_since(engine: sa.Engine, since: Any) -> tuple[int, Any, Any]:
    """Events applied since ``since`` (database time): (count, first batch's start, now)."""
    query = sa.text(
        "SELECT count(*), min(processed_at), now() FROM inbox_message WHERE event_type = :type AND processed_at >= :since"
    )
    with engine.connect() as connection:
        count, first, now = connection.execute(query, {"type": EVENT, "since": since}).one()
    return int(count), first, now


def one_round(
    platform: Platform, broker: BrokerNamespace, engine: sa.Engine, fill: Callable[[], None], n: int, k: int
) -> tuple[float, int]:
    """Fill the queue with ``n`` events while contracting has no consumer, then drain it with ``k``.

    Returns (events/s, events counted): all ``n``, or as many as were applied within ``WINDOW`` seconds
    of the first one (a bounded time, whatever the machine's load).
    """
    platform.scale("contracting", consumers=0)
    already = queue_depth(broker)
    fill()
    wait_for(lambda: queue_depth(broker) >= already + n, timeout=300, message="every change waits in the queue")
    with engine.connect() as connection:
        since = connection.execute(sa.text("SELECT now()")).scalar_one()
    platform.scale("contracting", consumers=k)

    def enough() -> tuple[int, Any, Any] | None:
        count, first, now = applied_since(engine, since)
        if first is None:
            return None
        return (count, first, now) if count >= n or (now - first).total_seconds() >= WINDOW else None

    done = wait_for(enough, timeout=300 + WINDOW, message="the events applied")
    assert done is not None
    seconds: float = (done[2] - done[1]).total_seconds()
    return done[0] / max(0.001, seconds), done[0]


def bench_events(platform: Platform, broker: BrokerNamespace, events: int) -> None:
    session = login(platform.url, "beheerder")
    ids = institution_ids(platform.url, session)
    engine = sa.create_engine(
        platform.env["CONTRACTING_DATABASE_URL"].replace("postgresql://", "postgresql+psycopg://", 1)
    )
    log(f"(b) Catalogue events applied by contracting ({events} '{EVENT}' over {len(ids)} institutions, queued first):")
    figures: dict[int, float] = {}
    try:
        for consumers in (1, 3):

            def fill() -> None:
                change_institutions(platform.url, session, ids, events)

            figures[consumers], counted = one_round(platform, broker, engine, fill, events, consumers)
            log(
                f"  {consumers} contracting consumer process(es): {figures[consumers]:7.1f} events/s"
                f"   ({counted} events counted, at most {WINDOW:.0f} s)"
            )
    finally:
        engine.dispose()
    log(f"  ratio 3 consumers / 1 consumer: {figures[3] / figures[1]:.2f}x")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--seconds", type=float, default=8.0)
    parser.add_argument("--clients", type=int, default=8)
    parser.add_argument("--events", type=int, default=1000)
    args = parser.parse_args()
    postgres = os.environ.get("BENCH_POSTGRES_URL", "postgresql://postgres@127.0.0.1:5432/postgres")
    amqp = os.environ.get("BENCH_AMQP_URL", "amqp://guest:guest@127.0.0.1:5672//")
    run_id = new_run_id()
    databases, broker = DatabaseFactory(postgres, run_id), BrokerNamespace.new(amqp, run_id)
    platform = None
    started = time.perf_counter()
    try:
        platform = start_platform(databases, broker)
        measured = time.perf_counter()
        log(f"load average of the machine before measuring: {os.getloadavg()[0]:.1f} ({os.cpu_count()} cores)")
        bench_saves(platform, args.seconds, args.clients)
        bench_events(platform, broker, args.events)
        log(
            f"measured in {time.perf_counter() - measured:.0f} s (platform start included: "
            f"{time.perf_counter() - started:.0f} s); load average after: {os.getloadavg()[0]:.1f}"
        )
    finally:
        if platform is not None:
            platform.stop()
        databases.drop_all()
        broker.cleanup()


if __name__ == "__main__":
    main()
