"""Publication (R17) through the gateway and RabbitMQ: contracting's saves reach the public read API.

GIVEN the platform with demo data (Menzis's product "Basis" linked to its collection "Basis 2026"),
WHEN a purchasing user saves statuses through the gateway, THEN within seconds the publication API
(API key) answers with them: FULL -> contracted, NOT_CONTRACTED -> not contracted, IN_NEGOTIATION ->
absent; a remark never appears anywhere; the year rollover (R3) carries products and links into the
new year, hidden until its publication date.

Insurers: Menzis for saves (its 2026 stays open), Zilveren Kruis for the rollover (the R16 test
closes CZ's 2026, the portal's rollover test opens VGZ's 2027).
"""

from __future__ import annotations

import json
import uuid
from collections.abc import Callable, Iterator
from datetime import date, timedelta
from typing import Any

import pytest
import requests
from helpers import login
from kombu import Connection, Exchange, Queue

from servicekit.testing import wait_for
from zcp_runner.processes import Platform

CONTRACTING = "/api/contracting"
PRODUCTS = "/api/products"
PUBLICATION = "/api/publication"
API_KEY = {"X-API-Key": "zcpk_demo-independer-2026-not-for-production"}
MENZIS_UZOVI = "9911"  # invented demo UZOVI code (products' demo data)


def call(http: requests.Session, method: str, url: str, headers: dict[str, str], **kwargs: Any) -> Any:
    response = http.request(method, url, headers=headers, timeout=30, **kwargs)
    assert response.status_code < 300, f"{method} {url}: {response.status_code} {response.text}"
    return response.json()


def demo_product(http: requests.Session, gateway: str, uzovi: str, name: str, year: int = 2026) -> dict[str, Any]:
    products = call(
        http, "GET", f"{gateway}{PUBLICATION}/products", API_KEY, params={"year": year, "uzovi_code": uzovi}
    )
    return next(p for p in products if p["name"] == name)


def collection_id(http: requests.Session, gateway: str, session: dict[str, str], name: str) -> str:
    collections = call(http, "GET", f"{gateway}{CONTRACTING}/collections", session)
    return next(c["collection_id"] for c in collections if c["name"] == name)


def an_institution(http: requests.Session, gateway: str, session: dict[str, str], cid: str) -> dict[str, Any]:
    """A Dutch general hospital of the collection (departments and conditions, so a cascade has rows)."""
    page = call(
        http,
        "GET",
        f"{gateway}{CONTRACTING}/collections/{cid}/institutions",
        session,
        params={"type": "general_hospital", "foreign": "false", "page_size": 50},
    )
    return page["items"][len(page["items"]) // 2]


def save(
    http: requests.Session, gateway: str, session: dict[str, str], cid: str, agb: str, status: str, **extra: Any
) -> dict[str, Any]:
    row = call(http, "GET", f"{gateway}{CONTRACTING}/collections/{cid}/institutions", session, params={"agb_code": agb})
    current = row["items"][0]
    body = {
        "rows": [
            {"institution_id": current["institution_id"], "status": status, "version": current["version"], **extra}
        ],
        "cascade": True,
    }
    return call(http, "PATCH", f"{gateway}{CONTRACTING}/collections/{cid}/institutions", session, json=body)


def lookup(http: requests.Session, gateway: str, product_id: str, agb: str, condition_id: str | None = None) -> Any:
    params = {"condition_id": condition_id} if condition_id else {}
    url = f"{gateway}{PUBLICATION}/products/{product_id}/institutions/{agb}"
    return call(http, "GET", url, API_KEY, params=params)


def settled(platform: Platform, http: requests.Session, gateway: str, product_id: str, agb: str) -> None:
    """GIVEN the platform settled: the demo's start-up publication (each linked collection sent whole) is through.

    Seconds are measured from a quiet queue: at start-up the products consumer still works through
    thousands of snapshots, and a save's events queue behind them.
    """
    wait_for(lambda: lookup(http, gateway, product_id, agb)["institution"] is not None, timeout=600, message="start-up")
    queue = f"{platform.env['QUEUE_PREFIX']}products.contracting"
    quiet = 0
    with Connection(platform.env["AMQP_URL"]) as connection:
        channel = connection.channel()

        def drained() -> bool:
            nonlocal quiet
            quiet = quiet + 1 if channel.queue_declare(queue=queue, passive=True).message_count == 0 else 0
            return quiet >= 3

        wait_for(drained, timeout=600, interval=0.5, message="the products consumer's start-up backlog")


def test_r17_a_save_through_the_gateway_reaches_the_publication_lookup_within_seconds(
    gateway: str, http: requests.Session, platform: Platform
) -> None:
    # GIVEN Menzis's demo product "Basis", linked to "Basis 2026", and one of its hospitals
    buyer = login(gateway, "menzis-inkoper")
    product = demo_product(http, gateway, MENZIS_UZOVI, "Basis")
    cid = collection_id(http, gateway, buyer, "Basis 2026")
    hospital = an_institution(http, gateway, buyer, cid)
    agb = hospital["agb_code"]
    settled(platform, http, gateway, product["product_id"], agb)

    # WHEN NOT_CONTRACTED is saved with cascade, THEN the lookup says not contracted, per condition too
    save(http, gateway, buyer, cid, agb, "NOT_CONTRACTED")
    wait_for(lambda: lookup(http, gateway, product["product_id"], agb)["contracted"] is False, timeout=30)
    published = call(
        http, "GET", f"{gateway}{PUBLICATION}/products/{product['product_id']}/changes", API_KEY, params={"limit": 2000}
    )
    mine = [c for c in published["changes"] if c["agb_code"] == agb]
    while not mine and published["more"]:
        published = call(
            http,
            "GET",
            f"{gateway}{PUBLICATION}/products/{product['product_id']}/changes",
            API_KEY,
            params={"since": published["cursor"], "limit": 2000},
        )
        mine = [c for c in published["changes"] if c["agb_code"] == agb]
    conditions = [c["condition_id"] for c in mine[-1]["conditions"]]
    assert conditions, "the hospital offers conditions"
    assert lookup(http, gateway, product["product_id"], agb, conditions[0])["contracted"] is False

    # WHEN FULL is saved with cascade, THEN contracted, for each of its conditions, and last-changed moved
    before = lookup(http, gateway, product["product_id"], agb)["last_changed_at"]
    save(http, gateway, buyer, cid, agb, "FULL")
    wait_for(lambda: lookup(http, gateway, product["product_id"], agb)["contracted"] is True, timeout=30)
    for condition_id in conditions:
        answer = lookup(http, gateway, product["product_id"], agb, condition_id)
        assert answer["contracted"] is True and answer["status"] == "FULL"
    assert lookup(http, gateway, product["product_id"], agb)["last_changed_at"] > before
    which = call(http, "GET", f"{gateway}{PUBLICATION}/institutions/{agb}/products", API_KEY, params={"year": 2026})
    assert product["product_id"] in {p["product_id"] for p in which}

    # WHEN IN_NEGOTIATION is saved with cascade, THEN it is absent: neither contracted nor not contracted
    save(http, gateway, buyer, cid, agb, "IN_NEGOTIATION")
    wait_for(lambda: lookup(http, gateway, product["product_id"], agb)["published"] is False, timeout=30)
    assert lookup(http, gateway, product["product_id"], agb, conditions[0])["contracted"] is None
    page = call(
        http,
        "GET",
        f"{gateway}{PUBLICATION}/products/{product['product_id']}/institutions",
        API_KEY,
        params={"agb_code": agb},
    )
    assert page["items"] == []


@pytest.fixture
def every_event(platform: Platform) -> Iterator[Callable[[], list[str]]]:
    """Every event on this run's exchange while the test runs (a queue of its own bound to ``#``)."""
    bodies: list[str] = []

    def keep(_body: Any, message: Any) -> None:
        bodies.append(message.body.decode() if isinstance(message.body, bytes) else str(message.body))
        message.ack()

    with Connection(platform.env["AMQP_URL"]) as connection:
        exchange = Exchange(platform.env["EVENT_EXCHANGE"], type="topic", durable=True)
        queue = Queue(f"e2e-spy-{uuid.uuid4().hex}", exchange, routing_key="#", exclusive=True, auto_delete=True)
        with connection.Consumer(queue, callbacks=[keep], accept=["json"]):

            def drained() -> list[str]:
                try:
                    while True:
                        connection.drain_events(timeout=3)
                except TimeoutError:
                    return bodies

            yield drained


def test_r17_a_remark_planted_at_all_three_levels_never_leaves_contracting(
    gateway: str, http: requests.Session, platform: Platform, every_event: Callable[[], list[str]]
) -> None:
    # GIVEN a unique remark, saved with status changes at institution, department and condition level
    secret = f"geheime-opmerking-{uuid.uuid4().hex}"
    buyer = login(gateway, "menzis-inkoper")
    product = demo_product(http, gateway, MENZIS_UZOVI, "Basis")
    cid = collection_id(http, gateway, buyer, "Basis 2026")
    hospital = an_institution(http, gateway, buyer, cid)
    agb, iid = hospital["agb_code"], hospital["institution_id"]
    settled(platform, http, gateway, product["product_id"], agb)
    save(http, gateway, buyer, cid, agb, "NOT_CONTRACTED", remark=secret)
    departments = call(http, "GET", f"{gateway}{CONTRACTING}/collections/{cid}/institutions/{iid}/departments", buyer)
    department = departments["items"][0]
    body = {
        "rows": [
            {
                "specialism_id": department["specialism_id"],
                "status": "FULL",
                "version": department["version"],
                "remark": secret,
            }
        ]
    }
    call(http, "PATCH", f"{gateway}{CONTRACTING}/collections/{cid}/institutions/{iid}/departments", buyer, json=body)
    conditions_url = f"{gateway}{CONTRACTING}/collections/{cid}/institutions/{iid}/departments/{department['specialism_id']}/conditions"
    condition = call(http, "GET", conditions_url, buyer)["items"][0]
    body = {
        "rows": [
            {
                "condition_id": condition["condition_id"],
                "status": "FULL",
                "version": condition["version"],
                "remark": secret,
            }
        ]
    }
    call(http, "PATCH", conditions_url, buyer, json=body)
    saved = call(http, "GET", conditions_url, buyer)["items"][0]
    assert saved["remark"] == secret  # the insurer itself sees it
    wait_for(
        lambda: lookup(http, gateway, product["product_id"], agb, condition["condition_id"])["contracted"] is True,
        timeout=30,
    )

    # WHEN a comparison site reads everything the publication API offers for the product
    pid = product["product_id"]
    answers = [
        http.get(f"{gateway}{PUBLICATION}/products", headers=API_KEY, params={"year": 2026}, timeout=30).text,
        http.get(
            f"{gateway}{PUBLICATION}/products/{pid}/institutions", headers=API_KEY, params={"agb_code": agb}, timeout=30
        ).text,
        http.get(f"{gateway}{PUBLICATION}/products/{pid}/institutions/{agb}", headers=API_KEY, timeout=30).text,
        http.get(
            f"{gateway}{PUBLICATION}/institutions/{agb}/products", headers=API_KEY, params={"year": 2026}, timeout=30
        ).text,
        http.get(f"{gateway}{PUBLICATION}/products/{pid}/feed", headers=API_KEY, timeout=60).text,
        http.get(
            f"{gateway}{PUBLICATION}/products/{pid}/feed", headers=API_KEY, params={"format": "csv"}, timeout=60
        ).text,
        http.get(
            f"{gateway}{PUBLICATION}/products/{pid}/changes", headers=API_KEY, params={"limit": 2000}, timeout=30
        ).text,
    ]

    # THEN the remark is in no answer, in no event on the bus, and in no log line of any process
    assert agb in answers[2] and agb in answers[4]  # the institution is published (not contracted)
    assert not [a for a in answers if secret in a]
    events = every_event()
    assert [e for e in events if agb in e], "the spy queue saw the saves' publication events"
    assert not [e for e in events if secret in e]
    logs = {p.name: p.read_text(errors="replace") for p in platform.run_dir.glob("*.log")}
    assert logs and not [name for name, text in logs.items() if secret in text]


def test_r3_the_rollover_carries_products_and_links_and_the_new_year_waits_for_its_publication_date(
    gateway: str, http: requests.Session
) -> None:
    # GIVEN Zilveren Kruis's linked demo products of 2026, and its 2027 publication date set for tomorrow
    admin = login(gateway, "zk-admin")
    platform_admin = login(gateway, "platform")
    insurer_id = str(uuid.uuid5(uuid.NAMESPACE_URL, "zcp:insurer:zilverenkruis"))  # the demo's ids
    linked_2026 = {p["code"]: p["collection_name"] for p in call(http, "GET", f"{gateway}{PRODUCTS}/links", admin)}
    assert linked_2026 and all(linked_2026.values())
    tomorrow = (date.today() + timedelta(days=1)).isoformat()
    dates = f"{gateway}{PRODUCTS}/publication-dates/{insurer_id}/2027"
    call(http, "PUT", dates, platform_admin, json={"publish_from": tomorrow})

    # WHEN the insurer admin opens 2027 from 2026 (R3)
    job = call(http, "POST", f"{gateway}{CONTRACTING}/rollovers", admin, json={"from_year": 2026})
    job_url = f"{gateway}{CONTRACTING}/rollovers/{job['job_id']}"
    wait_for(lambda: call(http, "GET", job_url, admin)["state"] == "done", timeout=300, message="the rollover job")

    # THEN 2027 holds the products with their links to the copies of their collections
    admin_2027 = login(gateway, "zk-admin", year=2027)

    def carried() -> dict[str, Any]:
        return {p["code"]: p["collection_name"] for p in call(http, "GET", f"{gateway}{PRODUCTS}/links", admin_2027)}

    wait_for(lambda: carried() == linked_2026, timeout=60, message="products carried into 2027")
    uzovi = "9901"
    hidden = http.get(
        f"{gateway}{PUBLICATION}/products", headers=API_KEY, params={"year": 2027, "uzovi_code": uzovi}, timeout=30
    )
    assert hidden.status_code == 200 and hidden.json() == []  # R17: hidden until its publication date
    product_2027 = next(p for p in call(http, "GET", f"{gateway}{PRODUCTS}/links", admin_2027) if p["code"] == "ZK-BZ")
    closed = http.get(
        f"{gateway}{PUBLICATION}/products/{product_2027['product_id']}/institutions", headers=API_KEY, timeout=30
    )
    assert closed.status_code == 404

    # WHEN the publication date comes (the platform admin sets it to today), THEN 2027 is published
    call(http, "PUT", dates, platform_admin, json={"publish_from": date.today().isoformat()})
    url = f"{gateway}{PUBLICATION}/products/{product_2027['product_id']}/institutions"
    wait_for(lambda: call(http, "GET", url, API_KEY)["total"] > 100, timeout=120, message="2027's publication")
    assert json.dumps(call(http, "GET", url, API_KEY)).count("IN_NEGOTIATION") == 0
