"""Benchmark: the history reads stay flat as the history grows tenfold (issue 16 item 13, Must show 5).

    python services/contracting/bench/bench_history.py

``BENCH_POSTGRES_URL`` (default ``postgresql://postgres@127.0.0.1:5432/postgres``) is the server;
the benchmark creates its own database there and drops it at the end.

It writes a history shaped like a busy season directly into the service's tables: 8 insurers x 2
years x 3 collections, 1,500 institutions, saves of 10 rows each spread evenly over every
collection (so the read collection's own history grows with the rest). It then times, through the
service's read side (``queries.row_history`` and ``queries.changes``, page 1 of 50, with the
total count), three reads of one insurer's 2026:

- the history of one institution across the insurer's collections of the year (R12),
- the history of one collection,
- the saves of one collection,

first with the base history (``BASE_SAVES`` saves, ten rows each), then after it grew tenfold.
Statistics are fresh each time (``ANALYZE``, as the service now runs after a seed, a rollover
or a large import); the grown history is timed before and after a ``VACUUM`` (which autovacuum
runs on its own for inserted rows, and the rollover runs after its copy): a vacuum marks the rows
all-visible, so the count of a collection's history comes from an index alone. It prints the
median and p95 of ``RUNS`` reads and the grown/base ratio of the medians; the goal is within 2x
(exit status 1 otherwise). Then it drops the indexes of migration ``0005_contracting_core`` and
times the grown reads again, for comparison.
"""

from __future__ import annotations

import hashlib
import os
import statistics
import sys
import time
import uuid
from collections.abc import Callable
from pathlib import Path
from typing import Any

import sqlalchemy as sa

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))

from contracting import queries
from contracting.adapters.statistics import refresh_statistics
from contracting.bootstrap import bootstrap
from contracting.config import Settings
from contracting.domain.commands import Actor
from contracting.manage import migrate

INSURERS = 8
YEARS = (2025, 2026)
COLLECTIONS_PER_YEAR = 3
INSTITUTIONS = 1500
ROWS_PER_SAVE = 10
BASE_SAVES = int(os.environ.get("BENCH_HISTORY_SAVES", "10000"))
GROWTH = 10
RUNS = int(os.environ.get("BENCH_HISTORY_RUNS", "40"))
READ_YEAR = 2026

COLLECTIONS_SQL = """
INSERT INTO collection (id, insurer_id, year, name, care_type, collection_type, status_version, created_at, created_by)
SELECT md5('c' || i || '-' || y || '-' || k)::uuid, md5('insurer' || i)::uuid, y, 'Collectie ' || k, 'hospital',
       'basic', 0, now(), 'bench'
FROM generate_series(0, CAST(:insurers AS int) - 1) i, unnest(CAST(:years AS int[])) y,
     generate_series(0, CAST(:per_year AS int) - 1) k
"""
INSTITUTIONS_SQL = """
INSERT INTO institution (id, revision, agb_code, name, type, country)
SELECT md5('i' || g)::uuid, 1, lpad(g::text, 8, '0'), 'Instelling ' || g, 'general_hospital', 'NL'
FROM generate_series(0, CAST(:n AS int) - 1) g
"""
# Save g goes to collection number g % (number of collections), in the order of the collection ids.
SAVES_SQL = """
WITH c AS (SELECT id, insurer_id, year, row_number() OVER (ORDER BY id) - 1 AS n FROM collection),
     total AS (SELECT count(*) AS k FROM collection),
     saves AS (
        SELECT g, md5('save' || g)::uuid AS change_id, c.id AS collection_id, c.insurer_id, c.year
        FROM generate_series(CAST(:first AS int), CAST(:last AS int)) g, total JOIN c ON true
        WHERE c.n = g % total.k
     ),
     changes AS (
        INSERT INTO status_change (id, insurer_id, year, collection_id, level, kind, status, "cascade", scope, count,
                                   actor_id, actor_name, at)
        SELECT change_id, insurer_id, year, collection_id, 'institution', 'rows', 'FULL', false, '{}', :rows,
               'bench', 'Bench', now() - make_interval(secs => g)
        FROM saves
     )
INSERT INTO status_history (change_id, collection_id, level, institution_id, from_status, to_status, remark_changed)
SELECT change_id, collection_id, 'institution', md5('i' || ((g * 7 + r * 131) % :institutions))::uuid,
       'NOT_CONTRACTED', 'FULL', false
FROM saves, generate_series(0, CAST(:rows AS int) - 1) r
"""
HISTORY_INDEXES = ("ix_status_history_institution", "ix_status_change_insurer_year_at", "ix_status_history_change_id")


def log(message: str) -> None:
    print(message, flush=True)


def add_saves(engine: sa.Engine, first: int, last: int) -> None:
    with engine.begin() as connection:
        connection.execute(
            sa.text(SAVES_SQL), {"first": first, "last": last, "rows": ROWS_PER_SAVE, "institutions": INSTITUTIONS}
        )
    refresh_statistics(engine)


def read_collection_id(engine: sa.Engine, insurer_id: str) -> str:
    with engine.connect() as connection:
        query = sa.text("SELECT id FROM collection WHERE insurer_id = :i AND year = :y ORDER BY id LIMIT 1")
        return str(connection.execute(query, {"i": insurer_id, "y": READ_YEAR}).scalar_one())


def reads(runtime: Any) -> dict[str, Callable[[], Any]]:
    insurer_id = str(uuid.UUID(hex=_md5("insurer0")))
    actor = Actor(insurer_id=insurer_id, year=READ_YEAR, user_id="bench", user_name="Bench")
    collection_id = read_collection_id(runtime.engine, insurer_id)
    institution_id = str(uuid.UUID(hex=_md5("i42")))

    def run(fn: Callable[[Any], Any]) -> Callable[[], Any]:
        def once() -> Any:
            with runtime.sessions() as session:
                return fn(session)

        return once

    return {
        "institution history (R12)": run(lambda s: queries.row_history(s, actor, institution_id=institution_id)),
        "collection history": run(lambda s: queries.row_history(s, actor, collection_id=collection_id)),
        "collection saves": run(lambda s: queries.changes(s, actor, collection_id, 1, 50)),
    }


def _md5(text: str) -> str:
    return hashlib.md5(text.encode(), usedforsecurity=False).hexdigest()


def measure(fn: Callable[[], Any]) -> tuple[float, float, int]:
    """Median and p95 in ms of RUNS calls (after two warm-up calls), and the total the read reported."""
    answer = fn()
    fn()  # warm-up
    total = int(answer.get("total", 0))
    times = []
    for _ in range(RUNS):
        start = time.perf_counter()
        fn()
        times.append((time.perf_counter() - start) * 1000)
    times.sort()
    return statistics.median(times), times[int(0.95 * (len(times) - 1))], total


def report(label: str, figures: dict[str, tuple[float, float, int]]) -> None:
    log(label)
    for name, (median, p95, total) in figures.items():
        log(f"    {name:28s} median {median:8.2f} ms   p95 {p95:8.2f} ms   ({total:,} rows in the answer's total)")


def history_rows(engine: sa.Engine) -> int:
    with engine.connect() as connection:
        return int(connection.execute(sa.text("SELECT count(*) FROM status_history")).scalar_one())


def run_benchmark(runtime: Any) -> bool:
    engine = runtime.engine
    with engine.begin() as connection:
        params = {"insurers": INSURERS, "years": list(YEARS), "per_year": COLLECTIONS_PER_YEAR, "n": INSTITUTIONS}
        connection.execute(sa.text(COLLECTIONS_SQL), params)
        connection.execute(sa.text(INSTITUTIONS_SQL), params)
    add_saves(engine, 0, BASE_SAVES - 1)
    refresh_statistics(engine, vacuum=True)
    base_rows = history_rows(engine)
    base = {name: measure(fn) for name, fn in reads(runtime).items()}
    report(f"base history: {base_rows:,} rows in status_history (analysed, vacuumed)", base)
    add_saves(engine, BASE_SAVES, GROWTH * BASE_SAVES - 1)
    grown_rows = history_rows(engine)
    fresh = {name: measure(fn) for name, fn in reads(runtime).items()}
    report(f"grown history: {grown_rows:,} rows ({grown_rows / base_rows:.0f}x), analysed, not yet vacuumed", fresh)
    refresh_statistics(engine, vacuum=True)
    grown = {name: measure(fn) for name, fn in reads(runtime).items()}
    report("grown history, vacuumed (what autovacuum or a rollover's VACUUM (ANALYZE) leaves)", grown)
    flat = True
    log("grown / base (medians), goal within 2x:")
    for name in base:
        ratio, before_vacuum = grown[name][0] / base[name][0], fresh[name][0] / base[name][0]
        flat &= ratio <= 2.0
        verdict = "ok" if ratio <= 2.0 else "NOT FLAT"
        log(f"    {name:28s} {ratio:5.2f}x  {verdict}   (before the vacuum: {before_vacuum:.2f}x)")
    with engine.begin() as connection:
        for index in HISTORY_INDEXES:
            connection.execute(sa.text(f"DROP INDEX {index}"))
    without = {name: measure(fn) for name, fn in reads(runtime).items()}
    report("for comparison, grown history without the indexes of 0005_contracting_core:", without)
    return flat


def main() -> None:
    server = os.environ.get("BENCH_POSTGRES_URL", "postgresql://postgres@127.0.0.1:5432/postgres")
    admin_url = server.replace("postgresql://", "postgresql+psycopg://", 1)
    name = f"bench_history_{os.getpid()}"
    admin = sa.create_engine(admin_url, isolation_level="AUTOCOMMIT", poolclass=sa.pool.NullPool)
    with admin.connect() as c:
        c.execute(sa.text(f'CREATE DATABASE "{name}"'))
    url = sa.engine.make_url(admin_url).set(database=name).render_as_string(hide_password=False)
    runtime = None
    try:
        settings = Settings.from_env({"CONTRACTING_DATABASE_URL": url})
        migrate(settings, topology=False)
        runtime = bootstrap(settings)
        started = time.perf_counter()
        flat = run_benchmark(runtime)
        log(f"total benchmark time {time.perf_counter() - started:.1f}s")
    finally:
        if runtime is not None:
            runtime.engine.dispose()
        with admin.connect() as c:
            c.execute(sa.text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()
    sys.exit(0 if flat else 1)


if __name__ == "__main__":
    main()
