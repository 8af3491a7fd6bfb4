"""Search benchmark (R8) on the 10x synthetic catalogue: the service's route next to plain SQL.

    python services/catalogue/bench/search_bench.py        # env BENCH_POSTGRES_URL, BENCH_SCALE, BENCH_RUNS

Creates its own PostgreSQL database, migrates it, bulk-loads ``synthetic_catalogue(scale)``, then for a
few representative searches measures p50/p95 latency of GET /api/catalogue/institutions through the
Flask test client (routing, auth token check, argument parsing, both queries, serialisation) and of
the same two statements (count + page) as plain SQL on one connection, with the ratio. Drops the
database at the end.
"""

from __future__ import annotations

import os
import sys
import tempfile
import time
import uuid
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))

import psycopg
from sqlalchemy import text

from catalogue.app import create_app
from catalogue.bootstrap import bootstrap
from catalogue.config import Settings
from catalogue.demo import load_catalogue
from catalogue.manage import migrate
from catalogue.reference_data import synthetic_catalogue
from servicekit.testing.identity import IdentityKeys, gateway_client

SELECT = (
    "SELECT i.id, i.agb_code, i.name, i.type, i.country, i.address, i.postcode, i.city, i.email, i.phone, i.group_id,"
    " g.name AS group_name, i.opened_on, i.closed_on, i.merged_into_id, i.revision, i.offering_revision"
    " FROM institution i LEFT OUTER JOIN institution_group g ON i.group_id = g.id"
)
#: The service's accent- and case-insensitive name match, as plain SQL (its folded search column).
FOLDED_NAME = "i.name_folded"


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(p / 100 * (len(ordered) - 1)))]


def measure(func: Callable[[], object], runs: int) -> list[float]:
    for _ in range(5):
        func()
    timings = []
    for _ in range(runs):
        started = time.perf_counter()
        func()
        timings.append((time.perf_counter() - started) * 1000)
    return timings


def main() -> None:
    admin_url = os.environ.get("BENCH_POSTGRES_URL", "postgresql://postgres@127.0.0.1:5432/postgres")
    scale = int(os.environ.get("BENCH_SCALE", "10"))
    runs = int(os.environ.get("BENCH_RUNS", "200"))
    name = f"catalogue_bench_{uuid.uuid4().hex[:8]}"
    with psycopg.connect(admin_url, autocommit=True) as admin:
        admin.execute(f'CREATE DATABASE "{name}"')
    database_url = admin_url.rsplit("/", 1)[0] + "/" + name
    runtime = None
    try:
        keys = IdentityKeys.create(Path(tempfile.mkdtemp(prefix="bench-keys-")))
        settings = Settings.from_env(
            {
                "CATALOGUE_DATABASE_URL": database_url,
                "IDENTITY_PUBLIC_KEY_FILE": str(keys.public_key_file),
                "LOG_LEVEL": "WARNING",
            }
        )
        migrate(settings, topology=False)
        runtime = bootstrap(settings)
        started = time.perf_counter()
        catalogue = synthetic_catalogue(scale)
        with runtime.sessions() as session, session.begin():
            load_catalogue(session, catalogue, publish=False)
        with runtime.engine.begin() as connection:
            connection.execute(text("ANALYZE"))
        counts = catalogue.counts()
        print(f"loaded {scale}x synthetic catalogue in {time.perf_counter() - started:.1f}s: {counts}")
        group_id = catalogue.groups[len(catalogue.groups) // 2]["id"]
        agb_code = catalogue.institutions[len(catalogue.institutions) // 3]["agb_code"]
        cases = [
            (
                "name contains 'kliniek', by name",
                {"name": "kliniek"},
                f"WHERE {FOLDED_NAME} LIKE :name",
                {"name": "%kliniek%"},
                "i.name, i.agb_code",
                0,
            ),
            (
                "type=zbc, open, NL, by city",
                {"type": "zbc", "status": "open", "country": "NL", "sort": "city"},
                "WHERE i.type = 'zbc' AND i.closed_on IS NULL AND i.country = 'NL'",
                {},
                "i.city NULLS LAST, i.agb_code",
                0,
            ),
            (
                "group (all locations)",
                {"group_id": group_id},
                "WHERE i.group_id = :gid",
                {"gid": group_id},
                "i.name, i.agb_code",
                0,
            ),
            (
                "whole AGB code",
                {"agb_code": agb_code},
                "WHERE i.agb_code = :agb",
                {"agb": agb_code},
                "i.name, i.agb_code",
                0,
            ),
            (
                "name 'oog' + type zbc, by -agb_code",
                {"name": "oog", "type": "zbc", "sort": "-agb_code"},
                f"WHERE {FOLDED_NAME} LIKE :name AND i.type = 'zbc'",
                {"name": "%oog%"},
                "i.agb_code DESC, i.agb_code",
                0,
            ),
            (
                "open, page 40, by agb_code",
                {"status": "open", "sort": "agb_code", "page": 40},
                "WHERE i.closed_on IS NULL",
                {},
                "i.agb_code, i.agb_code",
                39 * 50,
            ),
        ]
        client = gateway_client(create_app(runtime), keys)
        headers = keys.headers(roles=("insurer_user",), ttl_seconds=3600)
        print(f"\n{runs} runs per query, page_size 50; milliseconds")
        print(
            f"{'query':42} {'hits':>5} | {'API p50':>8} {'API p95':>8} | {'SQL p50':>8} {'SQL p95':>8} | {'ratio p50':>9}"
        )
        with runtime.engine.connect() as connection:
            for label, params, where, binds, order, offset in cases:
                response = client.get("/api/catalogue/institutions", query_string=params, headers=headers)
                assert response.status_code == 200, response.json
                total = response.json["total"]
                count_sql = text(f"SELECT count(*) FROM institution i {where}")
                page_sql = text(f"{SELECT} {where} ORDER BY {order} LIMIT 50 OFFSET {offset}")
                assert connection.execute(count_sql, binds).scalar() == total

                def api(params: dict[str, object] = params) -> None:
                    client.get("/api/catalogue/institutions", query_string=params, headers=headers)

                def sql(count_sql=count_sql, page_sql=page_sql, binds=binds) -> None:  # type: ignore[no-untyped-def]
                    connection.execute(count_sql, binds).scalar()
                    connection.execute(page_sql, binds).all()

                api_ms, sql_ms = measure(api, runs), measure(sql, runs)
                a50, a95, s50, s95 = (
                    percentile(api_ms, 50),
                    percentile(api_ms, 95),
                    percentile(sql_ms, 50),
                    percentile(sql_ms, 95),
                )
                print(f"{label:42} {total:5d} | {a50:8.2f} {a95:8.2f} | {s50:8.2f} {s95:8.2f} | {a50 / s50:8.1f}x")
    finally:
        if runtime is not None:
            runtime.engine.dispose()
        with psycopg.connect(admin_url, autocommit=True) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


if __name__ == "__main__":
    main()
