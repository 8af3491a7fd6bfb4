"""Issue 15's part of ``bench_contracting.py``: copy, compare and consistency check against hand-written SQL.

Called by ``bench_contracting.py`` on its generated data (same database, same run). Each figure is
the median of five runs, alternating which side runs first:

(c) copying one whole collection through the service's handler (``collection_tools.copy_collection``:
    collection row, one INSERT ... SELECT per level, history) against one hand-written
    ``INSERT ... SELECT`` CTE doing the same writes; the copy is deleted after each run.
(d) comparing two whole collections of one insurer (about a fifth of the rows differ) through
    ``collection_tools.compare_collections`` (all three levels, names, counts per pair) against the
    hand-written ``SELECT ... FULL JOIN`` of the differences per level (rows on one side only included), fetched.
(e) the consistency check of one collection (``consistency.check_collection``: ten kinds, names,
    links) against executing the same ten SELECTs it runs, fetched, without the service around them.
"""

from __future__ import annotations

import statistics
import time
import uuid
from collections.abc import Callable
from typing import Any

import sqlalchemy as sa

from contracting.adapters.consistency import KINDS
from contracting.domain.commands import Actor, CopyCollection
from contracting.service_layer import collection_tools, consistency

COPY_SQL = """
WITH
  nc AS (INSERT INTO collection (id, insurer_id, year, name, care_type, collection_type, description, created_at, created_by)
         SELECT :new, insurer_id, year, :name, care_type, 'selective', NULL, now(), 'sql' FROM collection WHERE id = :src),
  ni AS (INSERT INTO institution_status (collection_id, institution_id, status, remark, is_new, version, change_id, changed_by, changed_at)
         SELECT :new, institution_id, status, remark, is_new, 1, change_id, changed_by, changed_at
         FROM institution_status WHERE collection_id = :src),
  nd AS (INSERT INTO department_status (collection_id, institution_id, specialism_id, status, remark, is_new, version, change_id, changed_by, changed_at)
         SELECT :new, institution_id, specialism_id, status, remark, is_new, 1, change_id, changed_by, changed_at
         FROM department_status WHERE collection_id = :src),
  nh AS (INSERT INTO status_change (id, insurer_id, year, collection_id, level, kind, status, "cascade", scope, count, actor_id, actor_name, at)
         SELECT gen_random_uuid(), insurer_id, year, :new, 'institution', 'copy', NULL, true, '{}', 0, 'sql', 'sql', now()
         FROM collection WHERE id = :src)
INSERT INTO condition_status (collection_id, institution_id, condition_id, status, remark, is_new, version, change_id, changed_by, changed_at)
SELECT :new, institution_id, condition_id, status, remark, is_new, 1, change_id, changed_by, changed_at
FROM condition_status WHERE collection_id = :src
"""


def _compare_sql(table: str, subject: str | None, names: str | None) -> str:
    """The hand-written ``SELECT ... FULL JOIN`` of one level: differing rows and rows on one side only."""
    keys = ["institution_id"] + ([subject] if subject else [])
    cols = ", ".join(keys)
    on = " AND ".join(f"r.{k} = l.{k}" for k in keys)
    sub = f"coalesce(l.{subject}, r.{subject})" if subject else None
    sql = (
        f"SELECT coalesce(l.institution_id, r.institution_id) AS iid, i.name, i.agb_code, "
        f"{sub + ', n.name, ' if sub else ''}l.status, r.status, l.changed_by, r.changed_by "
        f"FROM (SELECT {cols}, status, changed_by FROM {table} WHERE collection_id = :a) l "
        f"FULL JOIN (SELECT {cols}, status, changed_by FROM {table} WHERE collection_id = :b) r ON {on} "
        f"JOIN institution i ON i.id = coalesce(l.institution_id, r.institution_id) "
    )
    if sub:
        sql += f"JOIN {names} n ON n.id = {sub} "
    return sql + f"WHERE l.status IS DISTINCT FROM r.status ORDER BY i.name, iid{', ' + sub if sub else ''}"


COMPARE_SQL = {
    "institution_status": _compare_sql("institution_status", None, None),
    "department_status": _compare_sql("department_status", "specialism_id", "specialism"),
    "condition_status": _compare_sql("condition_status", "condition_id", "condition"),
}


def _timed(fn: Callable[[], Any]) -> float:
    start = time.perf_counter()
    fn()
    return time.perf_counter() - start


def _medians(service: Callable[[], Any], by_sql: Callable[[], Any], after: Callable[[], Any] | None = None) -> tuple:
    service_times, sql_times = [], []
    for round_no in range(5):
        pair = [(service_times, service), (sql_times, by_sql)]
        for times, fn in pair if round_no % 2 == 0 else reversed(pair):
            times.append(_timed(fn))
            if after:
                after()
    return statistics.median(service_times), statistics.median(sql_times)


def _delete_copies(engine: sa.Engine) -> None:
    with engine.begin() as c:
        ids = "SELECT id FROM collection WHERE name LIKE 'Kopie %'"
        for table in ("institution_status", "department_status", "condition_status", "status_change"):
            c.execute(sa.text(f"DELETE FROM {table} WHERE collection_id IN ({ids})"))
        c.execute(sa.text("DELETE FROM outbox_message"))
        c.execute(sa.text(f"DELETE FROM collection WHERE id IN ({ids})"))


def _make_differences(engine: sa.Engine, collection_id: str) -> None:
    """About a fifth of the rows of the second collection get another status (and a save's version)."""
    with engine.begin() as c:
        for table, key in (
            ("institution_status", "institution_id"),
            ("department_status", "specialism_id"),
            ("condition_status", "condition_id"),
        ):
            c.execute(
                sa.text(
                    f"UPDATE {table} SET status = CASE WHEN status = 'FULL' THEN 'IN_NEGOTIATION' ELSE 'FULL' END, "
                    f"version = version + 1 WHERE collection_id = :c AND abs(hashtext({key}::text || institution_id::text)) % 5 = 0"
                ),
                {"c": collection_id},
            )
        # and about one condition row in fifty exists on one side only (compare lists those too)
        c.execute(
            sa.text(
                "DELETE FROM condition_status WHERE collection_id = :c "
                "AND abs(hashtext(condition_id::text || institution_id::text)) % 50 = 1"
            ),
            {"c": collection_id},
        )
        c.execute(sa.text("ANALYZE"))


def tools_bench(runtime: Any, collections: list[tuple[str, str]], year: int, log: Callable[[str], None]) -> None:
    engine = runtime.engine
    with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as c:  # the rollovers left dead rows
        c.execute(sa.text("VACUUM ANALYZE"))
    (source, insurer), (other, other_insurer) = collections[10], collections[14]
    assert insurer == other_insurer
    actor = Actor(insurer_id=insurer, year=year, user_id="bench", user_name="bench")

    def copy_service() -> None:
        cmd = CopyCollection(source, f"Kopie {uuid.uuid4()}", "selective")
        collection_tools.copy_collection(cmd, actor, runtime.unit_of_work())

    def copy_sql() -> None:
        with engine.begin() as c:
            c.execute(sa.text(COPY_SQL), {"new": str(uuid.uuid4()), "name": f"Kopie {uuid.uuid4()}", "src": source})

    s, q = _medians(copy_service, copy_sql, after=lambda: _delete_copies(engine))
    log(
        f"(c) copy of one whole collection (median of 5): service {s * 1000:8.1f} ms | hand-written INSERT ... SELECT "
        f"{q * 1000:8.1f} ms | ratio {s / q:.2f}x (target <= 1.3x: {'met' if s / q <= 1.3 else 'NOT met'})"
    )

    _make_differences(engine, other)
    found: dict[str, int] = {}

    def compare_service() -> None:
        with runtime.sessions() as session:
            answer = collection_tools.compare_collections(session, actor, source, other, {})
        found["service"] = sum(len(level["items"]) for level in answer["levels"].values())

    def compare_sql() -> None:
        with engine.connect() as c:
            found["sql"] = sum(
                len(c.execute(sa.text(sql), {"a": source, "b": other}).all()) for sql in COMPARE_SQL.values()
            )

    s, q = _medians(compare_service, compare_sql)
    assert found["service"] == found["sql"], found
    log(
        f"(d) compare two whole collections, {found['sql']:,} differing rows (median of 5): service {s * 1000:8.1f} ms | "
        f"hand-written SELECT ... FULL JOIN {q * 1000:8.1f} ms | ratio {s / q:.2f}x (target <= 1.5x: {'met' if s / q <= 1.5 else 'NOT met'})"
    )

    def check_service() -> None:
        with runtime.sessions() as session:
            found["findings"] = consistency.check_collection(session, actor, other, include_intended=False)["total"]

    def check_sql() -> None:
        with runtime.sessions() as session:
            found["raw"] = sum(len(session.execute(build(other)).all()) for _, build in KINDS.values())

    s, q = _medians(check_service, check_sql)
    log(
        f"(e) consistency check of one collection, {found['findings']:,} findings (median of 5): service {s * 1000:8.1f} ms | "
        f"its {len(KINDS)} queries alone {q * 1000:8.1f} ms | ratio {s / q:.2f}x (target <= 1.5x: {'met' if s / q <= 1.5 else 'NOT met'})"
    )
