"""Benchmark of the portal against the same work done as direct API calls, through the same gateway.

    python services/portal/bench/bench_portal.py          (make bench-portal)

Starts the platform as in production (per service gunicorn + consumer + relay, nginx, PostgreSQL on
``BENCH_POSTGRES_URL``, RabbitMQ on ``BENCH_AMQP_URL``; databases and queue names of its own, removed
at the end), seeds the demo data, and lets the catalogue maintainer register ZBC's until the Dutch
list of a collection holds 400+ institutions. Then, in the same run, it prints as ratios:

(a) "Bewerk contractering" of a whole collection (400+ institutions, full page, server time as seen
    by a client of the gateway) next to the API calls that page needs (the collection, its Dutch
    institutions, the groups) made directly one after another; the slowest single call is printed
    too, the floor for any client that makes them at the same time (the portal does).
(b) A save with cascade of every institution of a fresh collection (all "Niet" -> "Volledig",
    confirmed) through the portal's form, next to the same ``PATCH ...?cascade`` sent to the API
    directly. Rounds alternate which goes first, each on a fresh collection; medians are compared.
    The cascade preview (the dry run the user sees before confirming) is printed on its own.
(c) The page weight of the main screens: HTML (raw and gzip) and the static files they load once.

Target: ratios at most 1.5x. Takes a few minutes (the platform start is most of it).
"""

from __future__ import annotations

import gzip
import os
import random
import re
import statistics
import sys
import time
import uuid
from collections.abc import Callable
from typing import Any

import requests

from servicekit.testing import wait_for
from servicekit.testing.servers import BrokerNamespace, DatabaseFactory, new_run_id
from zcp_runner.disposable import start_platform as start_disposable
from zcp_runner.processes import Platform

PASSWORD = "Demo2026Zcp!"
PAGE_RUNS = int(os.environ.get("BENCH_RUNS_PORTAL", "15"))
SAVE_ROUNDS = 3
WANTED_DUTCH = 420


def log(message: str) -> None:
    print(message, flush=True)


def api_login(base: str, username: str) -> dict[str, str]:
    answer = requests.post(
        f"{base}/api/identity/sessions",
        json={"contract_year": 2026, "username": username, "password": PASSWORD},
        timeout=60,
    )
    answer.raise_for_status()
    return {"Authorization": f"Bearer {answer.json()['token']}"}


def portal_login(base: str, username: str) -> requests.Session:
    browser = requests.Session()
    csrf = re.search(r'name="csrf" value="([^"]+)"', browser.get(f"{base}/inloggen", timeout=60).text)
    assert csrf is not None
    form = {"csrf": csrf.group(1), "contract_year": "2026", "username": username, "password": PASSWORD}
    assert browser.post(f"{base}/inloggen", data=form, timeout=60, allow_redirects=False).status_code == 302
    return browser


def csrf_of(html: str) -> str:
    found = re.search(r'name="csrf" value="([^"]+)"', html)
    assert found is not None
    return found.group(1)


def call(session: Any, method: str, url: str, **kwargs: Any) -> Any:
    answer = (session if isinstance(session, requests.Session) else requests).request(
        method, url, timeout=300, **kwargs
    )
    assert answer.status_code < 400, f"{method} {url}: {answer.status_code} {answer.text[:300]}"
    return answer


def timed(fn: Callable[[], Any]) -> float:
    start = time.perf_counter()
    fn()
    return time.perf_counter() - start


def grow_catalogue(base: str, insurer: dict[str, str]) -> None:
    """R16: the maintainer registers ZBC's until a collection's Dutch list holds WANTED_DUTCH institutions."""
    maintainer = api_login(base, "beheerder")
    probe = call(None, "GET", f"{base}/api/contracting/collections", headers=insurer).json()[0]["collection_id"]
    url = f"{base}/api/contracting/collections/{probe}/institutions"
    total = call(None, "GET", url, headers=insurer, params={"foreign": "false"}).json()["total"]
    prefix = random.randrange(1000, 9999)
    for n in range(max(0, WANTED_DUTCH - total)):
        body = {
            "agb_code": f"22{prefix}{n:02d}",
            "name": f"Bench Kliniek {prefix}-{n}",
            "type": "zbc",
            "city": "Zwolle",
        }
        call(None, "POST", f"{base}/api/catalogue/institutions", headers=maintainer, json=body)
    wait_for(
        lambda: call(None, "GET", url, headers=insurer, params={"foreign": "false"}).json()["total"] >= WANTED_DUTCH,
        timeout=600,
        message="the registered institutions reach contracting",
    )


def new_collection(base: str, insurer: dict[str, str]) -> str:
    body = {"name": f"Bench {uuid.uuid4().hex[:8]}", "care_type": "hospital", "collection_type": "basic"}
    return str(
        call(None, "POST", f"{base}/api/contracting/collections", headers=insurer, json=body).json()["collection_id"]
    )


def dutch_rows(base: str, insurer: dict[str, str], collection_id: str) -> list[dict[str, Any]]:
    url = f"{base}/api/contracting/collections/{collection_id}/institutions"
    return list(call(None, "GET", url, headers=insurer, params={"foreign": "false", "page_size": 500}).json()["items"])


def ratio(label: str, portal: float, direct: float, extra: str = "") -> None:
    log(
        f"  {label:<52} portal {portal * 1000:8.1f} ms   API {direct * 1000:8.1f} ms   ratio {portal / direct:5.2f}x {extra}"
    )


def bench_page(base: str, insurer: dict[str, str], browser: requests.Session, collection_id: str) -> None:
    page_url = f"{base}/contractering/{collection_id}"
    api_calls = [
        f"{base}/api/contracting/collections/{collection_id}",
        f"{base}/api/contracting/collections/{collection_id}/institutions?foreign=false&page=1&page_size=500",
        f"{base}/api/catalogue/groups",
    ]
    shown = len(dutch_rows(base, insurer, collection_id))
    call(browser, "GET", page_url)  # warm both paths (connections, caches) before measuring
    for url in api_calls:
        call(None, "GET", url, headers=insurer)
    portal_times, direct_times, slowest = [], [], []
    for _ in range(PAGE_RUNS):
        portal_times.append(timed(lambda: call(browser, "GET", page_url)))
        singles = [timed(lambda u=url: call(None, "GET", u, headers=insurer)) for url in api_calls]  # type: ignore[misc]
        direct_times.append(sum(singles))
        slowest.append(max(singles))
    portal, direct, floor = (statistics.median(t) for t in (portal_times, direct_times, slowest))
    log(f"(a) Bewerk contractering, {shown} institutions shown, median of {PAGE_RUNS}:")
    ratio("page vs. its 3 API calls one after another", portal, direct)
    ratio("page vs. its slowest API call (parallel floor)", portal, floor)


def portal_save_form(
    browser: requests.Session, base: str, collection_id: str, rows: list[dict[str, Any]]
) -> dict[str, str]:
    csrf = csrf_of(call(browser, "GET", f"{base}/contractering/{collection_id}?status=NOT_CONTRACTED").text)
    form = {"csrf": csrf, "cascade": "1", "bevestigd": "1", "terug": ""}
    for i, row in enumerate(rows):
        form |= {f"k{i}": row["institution_id"], f"v{i}": str(row["version"]), f"o{i}": row["status"], f"s{i}": "FULL"}
    return form


def bench_save(base: str, insurer: dict[str, str], browser: requests.Session) -> None:
    portal_times, direct_times, preview_times, counts = [], [], [], {}
    htmx = {"HX-Request": "true"}
    for round_no in range(SAVE_ROUNDS):
        jobs = []
        for kind in ("portal", "api") if round_no % 2 == 0 else ("api", "portal"):
            collection_id = new_collection(base, insurer)
            rows = dutch_rows(base, insurer, collection_id)
            save_url = f"{base}/contractering/{collection_id}/opslaan"
            if kind == "portal":
                form = portal_save_form(browser, base, collection_id, rows)
                preview = {k: v for k, v in form.items() if k != "bevestigd"}
                preview_times.append(
                    timed(lambda f=preview, u=save_url: call(browser, "POST", u, data=f, headers=htmx))
                )  # type: ignore[misc]
                jobs.append((portal_times, lambda f=form, u=save_url: call(browser, "POST", u, data=f, headers=htmx)))
            else:
                body = {
                    "rows": [
                        {"institution_id": r["institution_id"], "status": "FULL", "version": r["version"]} for r in rows
                    ],
                    "cascade": True,
                }
                url = f"{base}/api/contracting/collections/{collection_id}/institutions"
                jobs.append(
                    (
                        direct_times,
                        lambda b=body, u=url: counts.update(call(None, "PATCH", u, headers=insurer, json=b).json()),
                    )
                )
        for times, job in jobs:
            times.append(timed(job))
    portal, direct, preview = (statistics.median(t) for t in (portal_times, direct_times, preview_times))
    changed = f"({counts.get('count')} institutions, cascaded {counts.get('cascaded')})"
    log(f"(b) Save with cascade of a whole collection, median of {SAVE_ROUNDS} fresh collections each {changed}:")
    ratio("portal Opslaan (confirmed) vs. PATCH ...?cascade", portal, direct)
    log(f"  {'cascade preview (dry run, before confirming)':<52} portal {preview * 1000:8.1f} ms")


def bench_weight(base: str, insurer: dict[str, str], browser: requests.Session, collection_id: str) -> None:
    rows = dutch_rows(base, insurer, collection_id)
    hospital = next(r for r in rows if r["type"] == "university_medical_centre")
    departments = call(
        None,
        "GET",
        f"{base}/api/contracting/collections/{collection_id}/institutions/{hospital['institution_id']}/departments",
        headers=insurer,
    ).json()["items"]
    screens = {
        "Inloggen": (requests.Session(), "/inloggen"),
        "Contractering": (browser, "/contractering"),
        f"Bewerk contractering ({len(rows)} instellingen)": (browser, f"/contractering/{collection_id}"),
        "Buitenlandse ziekenhuizen": (browser, f"/contractering/{collection_id}?buitenland=1"),
        "Afdeling(en)": (
            browser,
            f"/contractering/{collection_id}/instellingen/{hospital['institution_id']}/afdelingen",
        ),
        "Bewerk aandoening(en)": (
            browser,
            f"/contractering/{collection_id}/instellingen/{hospital['institution_id']}/afdelingen/{departments[0]['specialism_id']}/aandoeningen",
        ),
        "Instelling in alle collecties": (browser, f"/instellingen/{hospital['institution_id']}"),
        "Geschiedenis": (browser, f"/contractering/{collection_id}/geschiedenis"),
        "Handleiding": (browser, "/handleiding"),
    }
    log("(c) Page weight (HTML; the static files below load once and are cached):")
    for name, (session, path) in screens.items():
        body = call(session, "GET", base + path).content
        log(f"  {name:<44} {len(body) / 1024:8.1f} KB   gzip {len(gzip.compress(body)) / 1024:6.1f} KB")
    for asset in ("portal.css", "portal.js", "htmx.min.js"):
        body = call(None, "GET", f"{base}/static/{asset}").content
        log(f"  static {asset:<37} {len(body) / 1024:8.1f} KB   gzip {len(gzip.compress(body)) / 1024:6.1f} KB")


def start_platform(databases: DatabaseFactory, broker: BrokerNamespace) -> Platform:
    log("starting the platform ...")
    started = time.perf_counter()
    platform = start_disposable(databases, broker, "bench_portal", seed_demo=True, workers=2, timeout=300)
    log(f"platform ready in {time.perf_counter() - started:.0f} s at {platform.url} (logs in {platform.run_dir})")
    return platform


def main() -> None:
    postgres = os.environ.get("BENCH_POSTGRES_URL", "postgresql://postgres@127.0.0.1:5432/postgres")
    amqp = os.environ.get("BENCH_AMQP_URL", "amqp://guest:guest@127.0.0.1:5672//")
    run_id = new_run_id()
    databases, broker = DatabaseFactory(postgres, run_id), BrokerNamespace.new(amqp, run_id)
    platform = None
    try:
        platform = start_platform(databases, broker)
        base = platform.url
        insurer = api_login(base, "menzis-inkoper")
        grow_catalogue(base, insurer)
        browser = portal_login(base, "menzis-inkoper")
        basis = new_collection(base, insurer)
        bench_page(base, insurer, browser, basis)
        bench_save(base, insurer, browser)
        bench_weight(base, insurer, browser, basis)
    finally:
        if platform is not None:
            platform.stop()
        databases.drop_all()
        broker.cleanup()


if __name__ == "__main__":
    sys.exit(main())
