"""Benchmark of the contracting service's set-based core against hand-written SQL, on PostgreSQL.

    python services/contracting/bench/bench_contracting.py [--scale 1|10]

``BENCH_POSTGRES_URL`` (default ``postgresql://postgres@127.0.0.1:5432/postgres``) is the server;
the benchmark creates its own database there and drops it at the end. It generates catalogue-shaped
data directly in the service's tables: ~1,170 institutions x 30 (one institution row, 10
departments, 20 conditions) = ~36,000 status rows per collection, 30 collections in 2026 across
four insurers, ~1.1 million rows a year at scale 1; scale 10 has ten times the institutions
(~11 million rows a year).

It prints, next to a hand-written single SQL statement doing the same work on the same database in
the same run, as a ratio:

(a) FULL with cascade for all institutions shown in one collection, through the service's handler
    (``statuses.apply_to_shown``). The hand-written statement is one data-modifying CTE that writes
    the same per-row history and the same three UPDATEs; a "bare" statement (the three UPDATEs
    without history) is printed too, for transparency. Three rounds, each on fresh collections,
    alternating which runs first; the medians are compared.
(b) The year rollover of all collections (2026 -> 2027), through the service's rollover job
    (``rollover.run_rollover``: counts for progress, one INSERT ... SELECT per level, history and
    outbox rows, progress written through a second connection), against one INSERT ... SELECT CTE.
    Between runs the copy is deleted and the tables vacuumed, so both write into the same state.

Then the rollover runs once more under ``tracemalloc`` to show its peak Python memory; compare
the figure at both scales: it stays flat because no status row passes through Python.
``--tools`` runs only issue 15's lines (c)-(e) (``bench_tools.py``) on the generated data.
Scale 1 takes about 35 seconds; scale 10 about 7 minutes (generating 11 million rows takes two).

``--closure`` (issue 8) instead times an institution's closure through the service's handler
(``catalogue.close_institution``: history of the removed rows, one change per collection, rows
removed from 30 open collections) with 10,000 rows in ``status_history``, then with 1,000,000:
the median of five closures each, as a ratio. Target: at most 2x. About a minute.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
import tracemalloc
import uuid
from datetime import date
from pathlib import Path

import sqlalchemy as sa

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))

from contracting.bootstrap import bootstrap
from contracting.config import Settings
from contracting.domain.catalogue_commands import CloseInstitution
from contracting.domain.commands import Actor, ApplyToShown, InstitutionFilter, StartRollover, Target
from contracting.domain.model import Level, Status
from contracting.manage import migrate
from contracting.service_layer import catalogue, rollover, statuses
from contracting.service_layer.catalogue_rows import ensure_status_rows

sys.path.insert(0, str(Path(__file__).resolve().parent))
from bench_tools import tools_bench

INSTITUTIONS = 1170
SPECIALISMS = 30
DEPARTMENTS_PER_INSTITUTION = 10
CONDITIONS_PER_SPECIALISM = 2
COLLECTIONS = 30
INSURERS = [str(uuid.uuid5(uuid.NAMESPACE_URL, "zcp:insurer:" + s)) for s in ("zilverenkruis", "menzis", "vgz", "cz")]
YEAR = 2026


def log(message: str) -> None:
    print(message, flush=True)


def timed(fn) -> float:  # type: ignore[no-untyped-def]
    start = time.perf_counter()
    fn()
    return time.perf_counter() - start


def generate(engine: sa.Engine, runtime, scale: int) -> list[tuple[str, str]]:  # type: ignore[no-untyped-def]
    n = INSTITUTIONS * scale
    with engine.begin() as c:
        c.execute(
            sa.text(
                "INSERT INTO specialism (id, revision, code, name, retired) "
                "SELECT md5('s'||g)::uuid, 1, lpad(g::text, 4, '0'), 'Specialisme '||g, false FROM generate_series(0, :k - 1) g"
            ),
            {"k": SPECIALISMS},
        )
        c.execute(
            sa.text(
                "INSERT INTO condition (id, revision, specialism_id, name, retired) "
                "SELECT md5('c'||s||'-'||k)::uuid, 1, md5('s'||s)::uuid, 'Aandoening '||s||'-'||k, false "
                "FROM generate_series(0, :s - 1) s, generate_series(0, :k - 1) k"
            ),
            {"s": SPECIALISMS, "k": CONDITIONS_PER_SPECIALISM},
        )
        c.execute(
            sa.text(
                "INSERT INTO institution_group (id, revision, name, kind) "
                "SELECT md5('g'||g)::uuid, 1, 'Groep '||g, 'hospital_group' FROM generate_series(0, 99) g"
            )
        )
        c.execute(
            sa.text(
                "INSERT INTO institution (id, revision, agb_code, name, type, country, city, group_id, offering_revision) "
                "SELECT md5('i'||i)::uuid, 1, lpad(i::text, 8, '0'), 'Instelling '||i, "
                "(ARRAY['general_hospital','top_clinical_hospital','university_medical_centre','zbc'])[1 + i % 4], "
                "'NL', 'Stad '||(i % 50), md5('g'||(i % 100))::uuid, 1 FROM generate_series(0, :n - 1) i"
            ),
            {"n": n},
        )
        c.execute(
            sa.text(
                "INSERT INTO offering_department (institution_id, specialism_id) "
                "SELECT md5('i'||i)::uuid, md5('s'||((i + d) % :s))::uuid FROM generate_series(0, :n - 1) i, generate_series(0, :d - 1) d"
            ),
            {"n": n, "s": SPECIALISMS, "d": DEPARTMENTS_PER_INSTITUTION},
        )
        c.execute(
            sa.text(
                "INSERT INTO offering_condition (institution_id, condition_id) "
                "SELECT md5('i'||i)::uuid, md5('c'||((i + d) % :s)||'-'||k)::uuid "
                "FROM generate_series(0, :n - 1) i, generate_series(0, :d - 1) d, generate_series(0, :k - 1) k"
            ),
            {"n": n, "s": SPECIALISMS, "d": DEPARTMENTS_PER_INSTITUTION, "k": CONDITIONS_PER_SPECIALISM},
        )
        for insurer in INSURERS:
            c.execute(
                sa.text("INSERT INTO contract_year (insurer_id, year, state) VALUES (:i, :y, 'open')"),
                {"i": insurer, "y": YEAR},
            )
        collections = []
        for k in range(COLLECTIONS):
            cid, insurer = str(uuid.uuid4()), INSURERS[k % len(INSURERS)]
            c.execute(
                sa.text(
                    "INSERT INTO collection (id, insurer_id, year, name, care_type, collection_type, created_at, created_by) "
                    "VALUES (:id, :ins, :y, :name, 'hospital', 'basic', now(), 'bench')"
                ),
                {"id": cid, "ins": insurer, "y": YEAR, "name": f"Collectie {k:02d}"},
            )
            collections.append((cid, insurer))
    with runtime.unit_of_work() as uow:  # the service's own set-based fill (R4/R16)
        ensure_status_rows(uow.session, mark_new=False)
        uow.commit()
    with engine.begin() as c:  # a realistic mix: some institutions FULL/IN_NEGOTIATION, some remarks
        c.execute(
            sa.text(
                "UPDATE institution_status SET status = (ARRAY['NOT_CONTRACTED','IN_NEGOTIATION','PARTIAL','FULL'])[1 + abs(hashtext(institution_id::text)) % 4], "
                "remark = CASE WHEN abs(hashtext(institution_id::text)) % 7 = 0 THEN 'afspraak met zorginkoop' END"
            )
        )
        c.execute(
            sa.text(
                "UPDATE department_status SET status = (ARRAY['NOT_CONTRACTED','IN_NEGOTIATION','FULL'])[1 + abs(hashtext(specialism_id::text || institution_id::text)) % 3]"
            )
        )
    vacuum(engine)
    return collections


def vacuum(engine: sa.Engine) -> None:
    with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as c:
        c.execute(sa.text("VACUUM ANALYZE"))


def count_rows(engine: sa.Engine, year: int) -> int:
    with engine.connect() as c:
        return sum(
            c.execute(
                sa.text(f"SELECT count(*) FROM {t} s JOIN collection c ON c.id = s.collection_id WHERE c.year = :y"),
                {"y": year},
            ).scalar_one()
            for t in ("institution_status", "department_status", "condition_status")
        )


CASCADE_SQL = """
WITH
  hc AS (INSERT INTO status_history (change_id, collection_id, level, institution_id, subject_id, from_status, to_status, remark_changed)
         SELECT :ch, collection_id, 'condition', institution_id, condition_id, status, 'FULL', false
         FROM condition_status WHERE collection_id = :c AND status <> 'FULL'),
  uc AS (UPDATE condition_status SET status = 'FULL', is_new = false, version = version + 1, change_id = :ch, changed_by = 'sql', changed_at = now()
         WHERE collection_id = :c AND (status <> 'FULL' OR is_new)),
  hd AS (INSERT INTO status_history (change_id, collection_id, level, institution_id, subject_id, from_status, to_status, remark_changed)
         SELECT :ch, collection_id, 'department', institution_id, specialism_id, status, 'FULL', false
         FROM department_status WHERE collection_id = :c AND status <> 'FULL'),
  ud AS (UPDATE department_status SET status = 'FULL', is_new = false, version = version + 1, change_id = :ch, changed_by = 'sql', changed_at = now()
         WHERE collection_id = :c AND (status <> 'FULL' OR is_new)),
  hi AS (INSERT INTO status_history (change_id, collection_id, level, institution_id, subject_id, from_status, to_status, remark_changed)
         SELECT :ch, collection_id, 'institution', institution_id, NULL, status, 'FULL', false
         FROM institution_status WHERE collection_id = :c AND status <> 'FULL')
UPDATE institution_status SET status = 'FULL', is_new = false, version = version + 1, change_id = :ch, changed_by = 'sql', changed_at = now()
WHERE collection_id = :c AND (status <> 'FULL' OR is_new)
"""

BARE_CASCADE_SQL = """
WITH
  uc AS (UPDATE condition_status SET status = 'FULL', version = version + 1 WHERE collection_id = :c AND status <> 'FULL'),
  ud AS (UPDATE department_status SET status = 'FULL', version = version + 1 WHERE collection_id = :c AND status <> 'FULL')
UPDATE institution_status SET status = 'FULL', version = version + 1 WHERE collection_id = :c AND status <> 'FULL'
"""

ROLLOVER_SQL = """
WITH
  src AS (SELECT id, insurer_id, name, care_type, collection_type, description, md5(id::text || :to)::uuid AS new_id
          FROM collection WHERE year = :from),
  nc AS (INSERT INTO collection (id, insurer_id, year, name, care_type, collection_type, description, source_collection_id, created_at, created_by)
         SELECT new_id, insurer_id, CAST(:to AS integer), name, care_type, collection_type, description, id, now(), 'sql' FROM src),
  ni AS (INSERT INTO institution_status (collection_id, institution_id, status, remark, version, change_id, changed_by, changed_at)
         SELECT src.new_id, s.institution_id, s.status, s.remark, 1, s.change_id, s.changed_by, s.changed_at
         FROM institution_status s JOIN src ON src.id = s.collection_id JOIN institution i ON i.id = s.institution_id
         WHERE i.closed_on IS NULL),
  nd AS (INSERT INTO department_status (collection_id, institution_id, specialism_id, status, remark, version, change_id, changed_by, changed_at)
         SELECT src.new_id, s.institution_id, s.specialism_id, s.status, s.remark, 1, s.change_id, s.changed_by, s.changed_at
         FROM department_status s JOIN src ON src.id = s.collection_id JOIN institution i ON i.id = s.institution_id
         WHERE i.closed_on IS NULL)
INSERT INTO condition_status (collection_id, institution_id, condition_id, status, remark, version, change_id, changed_by, changed_at)
SELECT src.new_id, s.institution_id, s.condition_id, s.status, s.remark, 1, s.change_id, s.changed_by, s.changed_at
FROM condition_status s JOIN src ON src.id = s.collection_id JOIN institution i ON i.id = s.institution_id
WHERE i.closed_on IS NULL
"""


def delete_year(engine: sa.Engine, year: int) -> None:
    with engine.begin() as c:
        for t in ("institution_status", "department_status", "condition_status"):
            c.execute(
                sa.text(f"DELETE FROM {t} WHERE collection_id IN (SELECT id FROM collection WHERE year = :y)"),
                {"y": year},
            )
        c.execute(sa.text("DELETE FROM status_change WHERE year = :y"), {"y": year})
        c.execute(sa.text("DELETE FROM collection WHERE year = :y"), {"y": year})
        c.execute(sa.text("DELETE FROM contract_year WHERE year = :y"), {"y": year})
        c.execute(sa.text("DELETE FROM outbox_message"))
    vacuum(engine)


def run_service_rollover(runtime) -> dict:  # type: ignore[no-untyped-def]
    job = rollover.start_rollover(
        StartRollover(from_year=YEAR, insurer_id=None, requested_by="bench"), runtime.unit_of_work()
    )
    result = rollover.run_rollover(job["job_id"], runtime.unit_of_work, runtime.engine)
    assert result["state"] == "done", result
    return result


HISTORY_SQL = """
INSERT INTO status_history (change_id, collection_id, level, institution_id, subject_id, from_status, to_status, remark_changed)
SELECT md5('change' || (g / 50))::uuid, md5('collection' || (g % 30))::uuid, 'condition', md5('i' || (g % 1170))::uuid,
       md5('c' || (g % 60))::uuid, 'NOT_CONTRACTED', 'FULL', false
FROM generate_series(:start, :stop - 1) g
"""


def grow_history(engine: sa.Engine, rows: int) -> None:
    """Add history rows (as saves leave them) until ``status_history`` holds ``rows``; then ANALYZE."""
    with engine.begin() as c:
        have = c.execute(sa.text("SELECT count(*) FROM status_history")).scalar_one()
        for start in range(have, rows, 200_000):
            c.execute(sa.text(HISTORY_SQL), {"start": start, "stop": min(rows, start + 200_000)})
    vacuum(engine)


def time_closures(runtime, institutions: list[int]) -> float:  # type: ignore[no-untyped-def]
    """Median seconds of closing each institution through the handler, in its own transaction."""
    times = []
    for number in institutions:
        with runtime.engine.connect() as c:
            institution_id = c.execute(sa.text("SELECT md5('i' || :n)::uuid::text"), {"n": number}).scalar_one()
        command = CloseInstitution(institution_id, 2, date(YEAR, 6, 30), None)

        def close(command=command) -> None:  # type: ignore[no-untyped-def]
            with runtime.unit_of_work() as uow:
                catalogue.close_institution(command, uow)
                uow.commit()

        times.append(timed(close))
    return statistics.median(times)


def closure_bench(runtime) -> None:  # type: ignore[no-untyped-def]
    engine = runtime.engine
    generate(engine, runtime, 1)
    grow_history(engine, 10_000)
    time_closures(runtime, [0])  # warm-up: caches and connections
    small = time_closures(runtime, [1, 2, 3, 4, 5])
    grow_history(engine, 1_000_000)
    large = time_closures(runtime, [11, 12, 13, 14, 15])
    with engine.connect() as c:
        history = c.execute(sa.text("SELECT count(*) FROM status_history")).scalar_one()
    log(f"(c) an institution's closure, {COLLECTIONS} open collections (median of 5):")
    log(f"    with 10,000 history rows {small * 1000:8.1f} ms | with {history:,} {large * 1000:8.1f} ms")
    log(f"    ratio {large / small:.2f}x (target <= 2x: {'met' if large / small <= 2 else 'NOT met'})")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--scale", type=int, default=1, choices=(1, 10))
    parser.add_argument("--closure", action="store_true", help="closure time with 10,000 vs 1,000,000 history rows")
    parser.add_argument("--tools", action="store_true", help="only (c)-(e): copy, compare, consistency check")
    args = parser.parse_args()
    server = os.environ.get("BENCH_POSTGRES_URL", "postgresql://postgres@127.0.0.1:5432/postgres")
    admin_url = server.replace("postgresql://", "postgresql+psycopg://", 1)
    name = f"bench_contracting_{os.getpid()}"
    admin = sa.create_engine(admin_url, isolation_level="AUTOCOMMIT", poolclass=sa.pool.NullPool)
    with admin.connect() as c:
        c.execute(sa.text(f'DROP DATABASE IF EXISTS "{name}"'))
        c.execute(sa.text(f'CREATE DATABASE "{name}"'))
    url = sa.engine.make_url(admin_url).set(database=name).render_as_string(hide_password=False)
    runtime = None
    try:
        settings = Settings.from_env({"CONTRACTING_DATABASE_URL": url})
        migrate(settings, topology=False)
        runtime = bootstrap(settings)
        if args.closure:
            closure_bench(runtime)
            return
        engine = runtime.engine
        started = time.perf_counter()
        collections = generate(engine, runtime, args.scale)
        total = count_rows(engine, YEAR)
        per = total // len(collections)
        log(
            f"scale {args.scale}: {INSTITUTIONS * args.scale} institutions, {len(collections)} collections, "
            f"{per:,} status rows per collection, {total:,} rows in {YEAR} (generated in {time.perf_counter() - started:.1f}s)"
        )

        if args.tools:
            tools_bench(runtime, collections, YEAR, log)
            return
        # (a) FULL with cascade for all institutions shown in one collection
        service_times, sql_times, bare_times = [], [], []
        for round_no in range(3):
            (svc_c, svc_ins), (sql_c, _), (bare_c, _) = collections[3 * round_no : 3 * round_no + 3]
            actor = Actor(insurer_id=svc_ins, year=YEAR, user_id="bench", user_name="bench")
            cmd = ApplyToShown(
                Target(svc_c, Level.INSTITUTION), Status.FULL, InstitutionFilter(), cascade=True, if_match=0
            )

            def service(cmd=cmd, actor=actor) -> None:  # type: ignore[no-untyped-def]
                statuses.apply_to_shown(cmd, actor, runtime.unit_of_work())

            def by_sql(c=sql_c) -> None:  # type: ignore[no-untyped-def]
                with engine.begin() as conn:
                    conn.execute(sa.text(CASCADE_SQL), {"c": c, "ch": str(uuid.uuid4())})

            def bare(c=bare_c) -> None:  # type: ignore[no-untyped-def]
                with engine.begin() as conn:
                    conn.execute(sa.text(BARE_CASCADE_SQL), {"c": c})

            if round_no % 2:
                sql_times.append(timed(by_sql))
                service_times.append(timed(service))
            else:
                service_times.append(timed(service))
                sql_times.append(timed(by_sql))
            bare_times.append(timed(bare))
        s, q, b = statistics.median(service_times), statistics.median(sql_times), statistics.median(bare_times)
        log(f"(a) FULL + cascade, all {per:,} rows of one collection (median of 3):")
        log(
            f"    service handler {s * 1000:8.1f} ms | hand-written SQL (same writes incl. history) {q * 1000:8.1f} ms | ratio {s / q:.2f}x"
        )
        log(f"    (bare 3 UPDATEs without history: {b * 1000:.1f} ms; service / bare = {s / b:.2f}x)")

        # (b) the year rollover of all collections
        def rollover_by_sql() -> None:
            with engine.begin() as conn:
                conn.execute(sa.text(ROLLOVER_SQL), {"from": YEAR, "to": str(YEAR + 1)})

        sql_time = timed(rollover_by_sql)
        copied = count_rows(engine, YEAR + 1)
        delete_year(engine, YEAR + 1)
        result: dict = {}
        service_time = timed(lambda: result.update(run_service_rollover(runtime)))
        assert count_rows(engine, YEAR + 1) == copied == result["rows_done"], (copied, result)
        log(f"(b) rollover {YEAR} -> {YEAR + 1}, {len(collections)} collections, {copied:,} rows:")
        log(
            f"    service job     {service_time:8.2f} s  | hand-written SQL {sql_time:8.2f} s | ratio {service_time / sql_time:.2f}x"
        )
        delete_year(engine, YEAR + 1)
        tracemalloc.start()
        run_service_rollover(runtime)
        _, peak = tracemalloc.get_traced_memory()
        tracemalloc.stop()
        log(f"    rollover peak Python memory (tracemalloc): {peak / 1024:.0f} KiB for {copied:,} rows")
        tools_bench(runtime, collections, YEAR, log)  # (c)-(e): issue 15's copy, compare, consistency check
        log(f"total benchmark time {time.perf_counter() - started:.1f}s")
    finally:
        if runtime is not None:
            runtime.engine.dispose()
        with admin.connect() as c:
            c.execute(sa.text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


if __name__ == "__main__":
    main()
