"""Benchmark of the publication (R17) on PostgreSQL and RabbitMQ: ``make bench-publication``.

    python services/products/bench/bench_publication.py [--institutions 1170] [--seconds 8] [--clients 8]

``BENCH_POSTGRES_URL`` (default ``postgresql://postgres@127.0.0.1:5432/postgres``) and
``BENCH_AMQP_URL`` (default ``amqp://guest:guest@127.0.0.1:5672//``) are the servers; the benchmark
makes its own databases, exchange and queues and removes them at the end. It generates a
catalogue-shaped collection in contracting's tables (1,170 institutions x (1 + 10 departments + 20
conditions) = ~36,000 status rows), links a product to it, and fills the read model the way
production does: the link's event reaches contracting, which sends the collection whole (outbox ->
relay -> RabbitMQ -> products' consumer).

It prints, in one run:

(a) the point lookup (``/api/publication/products/<id>/institutions/<agb>?condition_id=``) through
    the gateway (nginx, identity's API-key check) under concurrent load, next to a trivial JSON
    endpoint of the same process through the same gateway (``/api/publication/products?year=2999``:
    the same API-key check, an empty indexed SELECT): req/s of both, their ratio, p50/p99 of both;
(b) the time from a status save (contracting's own handler) to the publication API answering with
    it: one institution (FULL/NOT_CONTRACTED with cascade, 20 rounds: p50/p99), and a cascade over the
    whole collection (apply-to-shown, ~36,000 rows -> ~1,170 events; 3 rounds);
(c) the bulk feed of the product's year: rows/s and peak Python memory (tracemalloc) at 1x and 2x
    the data: the peak stays flat because rows are streamed.

Targets (issue 10): (a) >= 60% of the trivial endpoint's req/s with p99 < 50 ms; (b) p99 < 2 s for
one institution, < 15 s for a whole collection; (c) memory flat as the data grows. The machine is
shared: load is bounded (``--clients`` threads for ``--seconds`` per endpoint).
"""

from __future__ import annotations

import argparse
import os
import random
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import tracemalloc
import uuid
from collections.abc import Callable
from pathlib import Path
from typing import Any

import requests
import sqlalchemy as sa

ROOT = Path(__file__).resolve().parents[3]
INSURER = str(uuid.uuid5(uuid.NAMESPACE_URL, "zcp:insurer:zilverenkruis"))
YEAR = 2026
API_KEY = {"X-API-Key": "zcpk_demo-independer-2026-not-for-production"}
SPECIALISMS, DEPARTMENTS, CONDITIONS_PER_SPECIALISM = 30, 10, 2


def log(message: str) -> None:
    print(message, flush=True)


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(p / 100 * (len(ordered) - 1)))]


class Bench:
    """Databases, settings, processes and threads of one run; everything is removed in :meth:`close`."""

    def __init__(self, institutions: int) -> None:
        self.n = institutions
        self.run = uuid.uuid4().hex[:8]
        self.server = os.environ.get("BENCH_POSTGRES_URL", "postgresql://postgres@127.0.0.1:5432/postgres")
        self.dir = Path(tempfile.mkdtemp(prefix="zcp-bench-pub-"))
        self.admin = sa.create_engine(self.server, isolation_level="AUTOCOMMIT")
        self.databases = {s: f"bench_pub_{self.run}_{s}" for s in ("identity", "contracting", "products")}
        self.processes: list[subprocess.Popen[bytes]] = []
        self.stop = threading.Event()
        self.threads: list[threading.Thread] = []
        self.env: dict[str, str] = {}

    def database_url(self, service: str) -> str:
        return self.server.rsplit("/", 1)[0] + "/" + self.databases[service]

    def prepare(self) -> None:
        from zcp_runner.keys import ensure_identity_keys

        with self.admin.connect() as c:
            for name in self.databases.values():
                c.execute(sa.text(f'CREATE DATABASE "{name}"'))
        self.env = {f"{s.upper()}_DATABASE_URL": self.database_url(s) for s in self.databases} | {
            "AMQP_URL": os.environ.get("BENCH_AMQP_URL", "amqp://guest:guest@127.0.0.1:5672//"),
            "EVENT_EXCHANGE": f"bench.{self.run}.events",
            "QUEUE_PREFIX": f"bench.{self.run}.",
            "RELAY_POLL_INTERVAL": "0.05",
            "LOG_LEVEL": "WARNING",
            "OPEN_CONTRACT_YEARS": "2026,2027",
        }
        ensure_identity_keys(self.dir / "keys", self.env)
        os.environ.update(self.env)

    def close(self) -> None:
        self.stop.set()
        for thread in self.threads:
            thread.join(timeout=10)
        for process in self.processes:
            process.terminate()
            process.wait(timeout=15)
        for runtime in getattr(self, "runtimes", {}).values():
            runtime.engine.dispose()
        self._drop_queues()
        with self.admin.connect() as c:
            for name in self.databases.values():
                c.execute(sa.text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        shutil.rmtree(self.dir, ignore_errors=True)

    def _drop_queues(self) -> None:
        from kombu import Connection

        with Connection(self.env.get("AMQP_URL", "")) as connection:
            channel = connection.channel()
            for purpose in ("products.contracting", "contracting.catalogue", "contracting.product_links"):
                for name in (purpose, purpose + ".dlq"):
                    try:
                        channel.queue_delete(f"bench.{self.run}.{name}")
                    except Exception:
                        channel = connection.channel()
            for exchange in (f"bench.{self.run}.events", f"bench.{self.run}.events.dlx"):
                try:
                    channel.exchange_delete(exchange)
                except Exception:
                    channel = connection.channel()


# -- data --------------------------------------------------------------------------------------------------


def start_services(bench: Bench) -> dict[str, Any]:
    """Migrate contracting and products, and run their relays and consumers in threads of this process."""
    from contracting import bootstrap as contracting_bootstrap
    from contracting.config import Settings as ContractingSettings
    from contracting.manage import migrate as migrate_contracting
    from products import bootstrap as products_bootstrap
    from products.config import Settings as ProductsSettings
    from products.manage import migrate as migrate_products
    from servicekit.runtime import build_consumers, build_relay

    contracting_settings, products_settings = ContractingSettings.from_env(), ProductsSettings.from_env()
    migrate_contracting(contracting_settings)
    migrate_products(products_settings)
    runtimes = {
        "contracting": contracting_bootstrap.bootstrap(contracting_settings),
        "products": products_bootstrap.bootstrap(products_settings),
    }
    for runtime in runtimes.values():
        workers = [build_relay(runtime.settings, runtime.engine).run]
        workers += [c.run for c in build_consumers(runtime.settings, runtime.engine, runtime.subscriptions)]
        for worker in workers:
            thread = threading.Thread(target=worker, args=(bench.stop,), daemon=True)
            thread.start()
            bench.threads.append(thread)
    bench.runtimes = runtimes  # type: ignore[attr-defined]
    return runtimes


CATALOGUE_SQL = (
    "INSERT INTO specialism (id, revision, code, name, retired) SELECT md5('s'||g)::uuid, 1, lpad(g::text, 4, '0'), "
    "'Specialisme '||g, false FROM generate_series(0, :k - 1) g",
    "INSERT INTO condition (id, revision, specialism_id, name, retired) SELECT md5('c'||s||'-'||k)::uuid, 1, "
    "md5('s'||s)::uuid, 'Aandoening '||s||'-'||k, false FROM generate_series(0, :k - 1) s, generate_series(0, :c - 1) k",
    "INSERT INTO institution (id, revision, agb_code, name, type, country, city, offering_revision) "
    "SELECT md5(:p||i)::uuid, 1, lpad((:o + i)::text, 8, '0'), 'Instelling '||i, "
    "(ARRAY['general_hospital','top_clinical_hospital','university_medical_centre','zbc'])[1 + i % 4], 'NL', "
    "'Stad '||(i % 50), 1 FROM generate_series(0, :n - 1) i",
    "INSERT INTO offering_department (institution_id, specialism_id) SELECT md5(:p||i)::uuid, "
    "md5('s'||((i + d) % :k))::uuid FROM generate_series(0, :n - 1) i, generate_series(0, :d - 1) d",
    "INSERT INTO offering_condition (institution_id, condition_id) SELECT md5(:p||i)::uuid, "
    "md5('c'||((i + d) % :k)||'-'||k)::uuid FROM generate_series(0, :n - 1) i, generate_series(0, :d - 1) d, "
    "generate_series(0, :c - 1) k",
)


def generate_collection(runtimes: dict[str, Any], n: int, prefix: str, offset: int, name: str) -> tuple[str, int]:
    """``n`` more catalogue-shaped institutions (~31 status rows each) and a collection of the whole catalogue.

    Returns the collection and its number of institutions (a new collection holds every institution).
    """
    from contracting.service_layer.catalogue import ensure_status_rows

    engine = runtimes["contracting"].engine
    params = {"k": SPECIALISMS, "c": CONDITIONS_PER_SPECIALISM, "n": n, "d": DEPARTMENTS, "p": prefix, "o": offset}
    collection_id = str(uuid.uuid4())
    with engine.begin() as c:
        for statement in CATALOGUE_SQL[2 if offset else 0 :]:
            c.execute(sa.text(statement), params)
        c.execute(
            sa.text(
                "INSERT INTO contract_year (insurer_id, year, state) VALUES (:i, :y, 'open') ON CONFLICT DO NOTHING"
            ),
            {"i": INSURER, "y": YEAR},
        )
        c.execute(
            sa.text(
                "INSERT INTO collection (id, insurer_id, year, name, care_type, collection_type, created_at, created_by) "
                "VALUES (:id, :i, :y, :name, 'hospital', 'basic', now(), 'bench')"
            ),
            {"id": collection_id, "i": INSURER, "y": YEAR, "name": name},
        )
    with runtimes["contracting"].unit_of_work() as uow:
        ensure_status_rows(uow.session, collection_ids=[collection_id], mark_new=False)
        uow.commit()
    with runtimes["contracting"].engine.begin() as c:  # a realistic mix, and remarks that must never leave
        c.execute(
            sa.text(
                "UPDATE institution_status SET status = (ARRAY['NOT_CONTRACTED','IN_NEGOTIATION','PARTIAL','FULL'])"
                "[1 + abs(hashtext(institution_id::text)) % 4], remark = 'intern' WHERE collection_id = :c"
            ),
            {"c": collection_id},
        )
    with runtimes["products"].engine.begin() as c:
        c.execute(
            sa.text(
                "INSERT INTO collection_copy (id, insurer_id, year, name, collection_type) VALUES (:c, :i, :y, :n, 'basic')"
            ),
            {"c": collection_id, "i": INSURER, "y": YEAR, "n": name},
        )
    with runtimes["contracting"].engine.connect() as c:
        size = c.execute(
            sa.text("SELECT count(*) FROM institution_status WHERE collection_id = :c"), {"c": collection_id}
        ).scalar_one()
    return collection_id, int(size)


def linked_product(runtime: Any, collection_id: str, uzovi: str) -> str:
    from products.domain.commands import Actor, AddProduct, LinkProducts, LinkRow, RegisterCompany
    from products.service_layer import handlers

    company = handlers.register_company(RegisterCompany(INSURER, f"Bench {uzovi}", uzovi), runtime.unit_of_work())
    actor = Actor("bench", INSURER, YEAR)
    made = handlers.add_product(
        AddProduct(str(company["id"]), YEAR, "Basis", "B", "natura"), actor, runtime.unit_of_work()
    )
    rows = (LinkRow(made["product_id"], collection_id),)
    handlers.link_products(LinkProducts(rows), actor, runtime.unit_of_work())
    return str(made["product_id"])


def wait_until(predicate: Callable[[], bool], timeout: float, what: str) -> float:
    start = time.perf_counter()
    while not predicate():
        if time.perf_counter() - start > timeout:
            raise SystemExit(f"timed out after {timeout}s waiting for {what}")
        time.sleep(0.02)
    return time.perf_counter() - start


def published_versions(runtime: Any, collection_id: str) -> tuple[int, int]:
    with runtime.engine.connect() as c:
        row = c.execute(
            sa.text("SELECT count(*), coalesce(min(version), -1) FROM published_institution WHERE collection_id = :c"),
            {"c": collection_id},
        ).one()
    return int(row[0]), int(row[1])


def fill_read_model(runtimes: dict[str, Any], collection_id: str, n: int, start: float) -> float:
    """The link's event reaches contracting, which sends the collection whole: outbox, relay, RabbitMQ, consumer."""
    wait_until(lambda: published_versions(runtimes["products"], collection_id)[0] >= n, 600, "the read model")
    return time.perf_counter() - start


# -- (a) through the gateway ------------------------------------------------------------------------------------


def start_gateway(bench: Bench) -> str:
    """identity and the publication process (gunicorn, 2 workers each) behind nginx, as ``make up`` runs them."""
    from zcp_runner.nginx import render_local
    from zcp_runner.processes import GUNICORN_CONFIG, nginx_binary
    from zcp_runner.routes import RouteTable

    env = {**os.environ, **bench.env}
    subprocess.run([sys.executable, "-m", "identity.manage", "migrate"], env=env, check=True, cwd=ROOT)
    subprocess.run([sys.executable, "-m", "identity.manage", "seed-demo"], env=env, check=True, cwd=ROOT)
    routes = RouteTable.load()
    offset = free_offset([routes.listen_port, *routes.service_ports.values()])
    ports = {name: port + offset for name, port in routes.service_ports.items()}
    entries = {"identity": "identity.wsgi:app", "publication": "products.publication_wsgi:app"}
    for name, entry in entries.items():
        args = ["--bind", f"127.0.0.1:{ports[name]}", "--workers", "2", "--config", GUNICORN_CONFIG]
        log_file = open(bench.dir / f"{name}.log", "ab")  # noqa: SIM115 - lives as long as the process
        bench.processes.append(
            subprocess.Popen(
                [sys.executable, "-m", "gunicorn", entry, *args],
                env=env,
                cwd=ROOT,
                stdout=log_file,
                stderr=subprocess.STDOUT,
            )
        )
    conf = render_local(routes, bench.dir, routes.listen_port + offset, ports)
    bench.processes.append(subprocess.Popen([nginx_binary(), "-c", str(conf), "-p", str(bench.dir)]))
    url = f"http://127.0.0.1:{routes.listen_port + offset}"
    for name in entries:
        wait_until(lambda n=name: _ready(f"{url}/api/{n}/health/ready"), 120, f"{name} ready")
    return url


def free_offset(ports: list[int]) -> int:
    """An offset at which every port is free (the machine is shared)."""
    for _ in range(50):
        offset = random.randrange(10_000, 30_000, 10)
        try:
            for port in ports:
                with socket.socket() as probe:
                    probe.bind(("127.0.0.1", port + offset))
        except OSError:
            continue
        return offset
    raise SystemExit("no free ports for the benchmark's gateway")


def _ready(url: str) -> bool:
    try:
        return requests.get(url, timeout=2).status_code == 200
    except requests.RequestException:
        return False


def load(url: str, seconds: float, clients: int) -> tuple[float, list[float]]:
    """``clients`` threads with keep-alive sessions for ``seconds``: (req/s, latencies in ms)."""
    latencies: list[list[float]] = [[] for _ in range(clients)]
    errors: list[int] = []
    deadline = time.perf_counter() + seconds

    def client(mine: list[float]) -> None:
        with requests.Session() as session:
            while time.perf_counter() < deadline:
                start = time.perf_counter()
                response = session.get(url, headers=API_KEY, timeout=10)
                mine.append((time.perf_counter() - start) * 1000)
                if response.status_code != 200:
                    errors.append(response.status_code)

    threads = [threading.Thread(target=client, args=(mine,)) for mine in latencies]
    start = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    if errors:
        raise SystemExit(f"{len(errors)} errors under load, e.g. {errors[:3]}")
    flat = [value for mine in latencies for value in mine]
    return len(flat) / (time.perf_counter() - start), flat


def bench_lookup(gateway: str, product_id: str, agb: str, condition_id: str, seconds: float, clients: int) -> None:
    lookup = f"{gateway}/api/publication/products/{product_id}/institutions/{agb}?condition_id={condition_id}"
    trivial = f"{gateway}/api/publication/products?year=2999"
    assert requests.get(lookup, headers=API_KEY, timeout=10).json()["published"] is not None
    load(trivial, 1, 2)  # warm both paths
    load(lookup, 1, 2)
    results: dict[str, list[tuple[float, list[float]]]] = {"lookup": [], "trivial": []}
    for round_ in range(2):  # alternate which runs first
        for name in ("lookup", "trivial") if round_ == 0 else ("trivial", "lookup"):
            results[name].append(load(lookup if name == "lookup" else trivial, seconds / 2, clients))
    figures = {}
    for name, rounds in results.items():
        rps = statistics.mean(r for r, _ in rounds)
        flat = [v for _, values in rounds for v in values]
        figures[name] = (rps, percentile(flat, 50), percentile(flat, 99))
    (lr, l50, l99), (tr, t50, t99) = figures["lookup"], figures["trivial"]
    log(f"(a) point lookup through the gateway, {clients} concurrent clients, {seconds:.0f} s each (2 rounds):")
    log(f"    lookup : {lr:7.1f} req/s  p50 {l50:6.1f} ms  p99 {l99:6.1f} ms")
    log(
        f"    trivial: {tr:7.1f} req/s  p50 {t50:6.1f} ms  p99 {t99:6.1f} ms   (baseline: /api/publication/products?year=2999)"
    )
    log(
        f"    ratio  : {lr / tr:.0%} of the trivial endpoint's req/s (target >= 60%), lookup p99 {l99:.1f} ms (target < 50 ms)"
    )


# -- (b) save -> publication -------------------------------------------------------------------------------------


def bench_latency(runtimes: dict[str, Any], gateway: str, product_id: str, collection_id: str, n: int) -> None:
    from contracting.domain.commands import Actor, ApplyToShown, InstitutionFilter, RowChange, SaveRows, Target
    from contracting.domain.model import Level, Status
    from contracting.service_layer import statuses

    contracting = runtimes["contracting"]
    actor = Actor(insurer_id=INSURER, year=YEAR, user_id="bench", user_name="bench")
    target = Target(collection_id, Level.INSTITUTION)
    query = sa.text(
        "SELECT s.institution_id, i.agb_code, s.version FROM institution_status s JOIN institution i ON i.id = s.institution_id "
        "WHERE s.collection_id = :c ORDER BY i.agb_code LIMIT 1"
    )
    with contracting.engine.connect() as c:
        iid, agb, _ = c.execute(query, {"c": collection_id}).one()
    url = f"{gateway}/api/publication/products/{product_id}/institutions/{agb}"
    one: list[float] = []
    for round_ in range(20):
        status = Status.FULL if round_ % 2 == 0 else Status.NOT_CONTRACTED
        with contracting.engine.connect() as c:
            _, _, version, current = c.execute(
                sa.text(query.text.replace("s.version", "s.version, s.status")), {"c": collection_id}
            ).one()
        if current == status.value:  # a save that changes nothing publishes nothing: flip first
            status = Status.NOT_CONTRACTED if status is Status.FULL else Status.FULL
        start = time.perf_counter()
        save = SaveRows(target, (RowChange(str(iid), status, int(version)),), True)
        statuses.save_rows(save, actor, contracting.unit_of_work())
        wait_until(
            lambda s=status: requests.get(url, headers=API_KEY, timeout=10).json()["status"] == s.value, 30, "one save"
        )
        one.append(time.perf_counter() - start)
    log(
        f"(b) save -> publication answer: one institution (cascade, ~31 rows, 20 rounds): p50 {percentile(one, 50):.2f} s, "
        f"p99 {percentile(one, 99):.2f} s (target < 2 s)"
    )
    page = f"{gateway}/api/publication/products/{product_id}/institutions?page_size=1"
    whole: list[float] = []
    saves: list[float] = []
    for round_ in range(3):
        status = Status.FULL if round_ % 2 == 0 else Status.NOT_CONTRACTED
        with contracting.engine.connect() as c:
            shown = c.execute(
                sa.text("SELECT status_version FROM collection WHERE id = :c"), {"c": collection_id}
            ).scalar_one()
        start = time.perf_counter()
        command = ApplyToShown(target, status, InstitutionFilter(), cascade=True, if_match=int(shown))
        statuses.apply_to_shown(command, actor, contracting.unit_of_work())
        saves.append(time.perf_counter() - start)
        expected = n if status is Status.FULL else 0
        wait_until(
            lambda e=expected: requests.get(page, headers=API_KEY, timeout=10).json()["total"] == e, 300, "the cascade"
        )
        whole.append(time.perf_counter() - start)
    rows = n * (1 + DEPARTMENTS + DEPARTMENTS * CONDITIONS_PER_SPECIALISM)
    log(
        f"    whole collection (apply-to-shown + cascade, ~{rows:,} rows, {n:,} events, 3 rounds): "
        f"each {', '.join(f'{w:.1f}' for w in whole)} s, max {max(whole):.1f} s (target < 15 s); "
        f"of which the save itself (contracting's transaction, with its {n:,} outbox rows): "
        f"{', '.join(f'{w:.1f}' for w in saves)} s"
    )


# -- (c) bulk feed ---------------------------------------------------------------------------------------------------


def read_feed(client: Any, url: str, headers: dict[str, str]) -> int:
    response = client.get(url, headers=headers, buffered=False)
    lines = sum(chunk.count(b"\n") for chunk in response.iter_encoded())
    response.close()
    return int(lines)


def bench_feed(bench: Bench, runtime: Any, products: list[tuple[str, int]]) -> None:
    from products.publication.app import create_publication_app
    from servicekit.testing.identity import IdentityKeys, gateway_client

    keys = IdentityKeys(
        Path(bench.env["IDENTITY_SIGNING_KEY_FILE"]).read_bytes(),
        Path(bench.env["IDENTITY_PUBLIC_KEY_FILE"]).read_bytes(),
        Path(bench.env["IDENTITY_PUBLIC_KEY_FILE"]),
    )
    client = gateway_client(create_publication_app(runtime), keys)
    headers = keys.headers(roles=("publication_consumer",), kind="api_client", subject="bench")
    log("(c) bulk feed of one product's year (NDJSON, streamed), peak Python memory while reading it all:")
    for product_id, n in products:
        for fmt in ("ndjson", "csv"):
            url = f"/api/publication/products/{product_id}/feed?format={fmt}"
            start = time.perf_counter()
            rows = read_feed(client, url, headers) - (1 if fmt == "csv" else 0)
            seconds = time.perf_counter() - start
            tracemalloc.start()  # a second read under tracemalloc (which slows it): the peak only
            read_feed(client, url, headers)
            peak = tracemalloc.get_traced_memory()[1]
            tracemalloc.stop()
            log(
                f"    {n:5,} institutions {fmt:6}: {rows:7,} rows in {seconds:5.2f} s = {rows / seconds:8,.0f} rows/s, "
                f"peak {peak / 1024:7,.0f} KiB"
            )
    log("    (memory flat: the 2x data's peak stays near the 1x peak)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--institutions", type=int, default=1170)
    parser.add_argument("--seconds", type=float, default=8.0)
    parser.add_argument("--clients", type=int, default=8)
    args = parser.parse_args()
    bench = Bench(args.institutions)
    try:
        bench.prepare()
        runtimes = start_services(bench)
        collection, _ = generate_collection(runtimes, args.institutions, "i", 0, "Basis")
        linked_at = time.perf_counter()
        product = linked_product(runtimes["products"], collection, "9991")
        log(
            f"data: {args.institutions:,} institutions, one collection; read model filled through RabbitMQ "
            f"after the product's link in {fill_read_model(runtimes, collection, args.institutions, linked_at):.1f} s"
        )
        gateway = start_gateway(bench)
        with runtimes["products"].engine.connect() as c:
            agb, condition_id = c.execute(
                sa.text(
                    "SELECT agb_code, condition_id FROM published_condition JOIN published_institution USING (collection_id, institution_id) "
                    "WHERE collection_id = :c LIMIT 1"
                ),
                {"c": collection},
            ).one()
        bench_lookup(gateway, product, agb, str(condition_id), args.seconds, args.clients)
        bench_latency(runtimes, gateway, product, collection, args.institutions)
        double, size = generate_collection(runtimes, args.institutions, "j", 50_000_000, "Basis dubbel")
        product_2x = linked_product(runtimes["products"], double, "9992")
        fill_read_model(runtimes, double, size, time.perf_counter())
        bench_feed(bench, runtimes["products"], [(product, args.institutions), (product_2x, size)])
    finally:
        bench.close()


if __name__ == "__main__":
    sys.exit(main())
