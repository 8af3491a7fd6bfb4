"""Demo data for ``make run``: idempotent, written through the service's own handlers.

The demo insurers' companies (real label names) and their 2026 products (plausible names), each
linked to the demo collection of its kind once contracting's collections have arrived, so that the
publication API answers out of the box.

**The UZOVI codes here are invented** (99xx, a range no Dutch insurer uses): only a few real codes
could be confirmed in public sources, and demo data must not pass for the real register.
"""

from __future__ import annotations

import logging
import os
import threading
import time
import uuid
from typing import NamedTuple

from sqlalchemy import func, select

from products.adapters.orm import collection_copy, company, product, product_link
from products.bootstrap import Runtime
from products.domain.commands import Actor, AddProduct, LinkProducts, LinkRow, RegisterCompany
from products.service_layer import handlers
from servicekit.exceptions import DomainError

log = logging.getLogger(__name__)

DEMO_YEAR = 2026


class DemoProduct(NamedTuple):
    """A demo product: its insurer (slug), company (name, invented UZOVI code), name, code, kind and demo collection."""

    insurer: str
    company: str
    uzovi: str
    name: str
    code: str
    kind: str
    collection: str


DEMO_PRODUCTS = tuple(
    DemoProduct(*row)
    for row in (
        ("zilverenkruis", "Zilveren Kruis", "9901", "Basis Zeker", "ZK-BZ", "natura", "Basis 2026"),
        ("zilverenkruis", "Zilveren Kruis", "9901", "Basis Exclusief", "ZK-BE", "restitutie", "Restitutie 2026"),
        ("zilverenkruis", "Zilveren Kruis", "9901", "Basis Budget", "ZK-BB", "natura", "Selectief 2026"),
        ("zilverenkruis", "FBTO", "9902", "FBTO Basis", "FBTO-B", "natura", "Basis 2026"),
        ("zilverenkruis", "De Friesland", "9903", "Zorg Verzekerd", "DFZ-ZV", "natura", "Basis 2026"),
        ("zilverenkruis", "Interpolis", "9904", "ZorgActief", "IP-ZA", "combinatie", "Basis 2026"),
        ("menzis", "Menzis", "9911", "Basis", "MZ-B", "natura", "Basis 2026"),
        ("menzis", "Menzis", "9911", "Basis Vrij", "MZ-BV", "restitutie", "Restitutie 2026"),
        ("menzis", "Anderzorg", "9912", "Anderzorg Basis", "AZ-B", "natura", "Selectief 2026"),
        ("vgz", "VGZ", "9921", "Eigen Keuze", "VGZ-EK", "natura", "Basis 2026"),
        ("vgz", "VGZ", "9921", "Ruime Keuze", "VGZ-RK", "restitutie", "Restitutie 2026"),
        ("vgz", "IZA", "9922", "IZA Basis Restitutie", "IZA-BR", "restitutie", "Restitutie 2026"),
        ("vgz", "Univé", "9923", "Zorg Select", "UV-ZS", "natura", "Selectief 2026"),
        ("cz", "CZ", "9931", "Zorgbewust", "CZ-ZB", "natura", "Basis 2026"),
        ("cz", "CZ", "9931", "Zorg-op-maat", "CZ-ZOM", "restitutie", "Restitutie 2026"),
        ("cz", "OHRA", "9932", "OHRA Zorgverzekering", "OHRA-ZV", "combinatie", "Basis 2026"),
    )
)
DEMO_INSURERS = tuple(dict.fromkeys(demo.insurer for demo in DEMO_PRODUCTS))
DEMO_ADMIN = "demo-productbeheer"


def insurer_id(slug: str) -> str:
    """Deterministic, shared with identity's demo."""
    return str(uuid.uuid5(uuid.NAMESPACE_URL, "zcp:insurer:" + slug))


def seed_demo(runtime: Runtime, *, settle_timeout: float | None = None) -> None:
    """Companies and products that do not exist yet; links once the demo collections have arrived."""
    for demo in DEMO_PRODUCTS:
        _product(runtime, _company(runtime, demo), demo)
    timeout = float(os.environ.get("DEMO_SETTLE_TIMEOUT", "120")) if settle_timeout is None else settle_timeout
    if not _wait_for_collections(runtime, timeout):
        log.warning("demo collections not (all) arrived after %.0f s: demo links skipped where missing", timeout)
    for slug in DEMO_INSURERS:
        _link(runtime, slug)


def _company(runtime: Runtime, demo: DemoProduct) -> str:
    """The id of the demo product's company: found by its UZOVI code, or registered."""
    with runtime.sessions() as session:
        found = session.execute(select(company.c.id).where(company.c.uzovi_code == demo.uzovi)).scalar()
    if found:
        return str(found)
    command = RegisterCompany(insurer_id(demo.insurer), demo.company, demo.uzovi)
    row = handlers.register_company(command, runtime.unit_of_work())
    return str(row["id"])


def _product(runtime: Runtime, company_id: str, demo: DemoProduct) -> None:
    with runtime.sessions() as session:
        exists = session.execute(
            select(product.c.id).where(
                product.c.company_id == company_id, product.c.year == DEMO_YEAR, product.c.code == demo.code
            )
        ).first()
    if not exists:
        actor = Actor(DEMO_ADMIN, insurer_id(demo.insurer), DEMO_YEAR)
        command = AddProduct(company_id, DEMO_YEAR, demo.name, demo.code, demo.kind)
        handlers.add_product(command, actor, runtime.unit_of_work())


def _wait_for_collections(runtime: Runtime, timeout: float) -> bool:
    wanted = {demo.collection for demo in DEMO_PRODUCTS}
    expected = len(DEMO_INSURERS) * len(wanted)
    deadline, pause = time.monotonic() + timeout, threading.Event()
    while True:
        with runtime.sessions() as session:
            count = session.execute(
                select(func.count()).where(collection_copy.c.year == DEMO_YEAR, collection_copy.c.name.in_(wanted))
            ).scalar_one()
        if count >= expected or time.monotonic() > deadline:
            return bool(count >= expected)
        pause.wait(0.5)


def _link(runtime: Runtime, slug: str) -> None:
    """Link every not yet linked demo product of the insurer to its demo collection (R13)."""
    insurer = insurer_id(slug)
    kinds = {demo.code: demo.collection for demo in DEMO_PRODUCTS if demo.insurer == slug}
    with runtime.sessions() as session:
        collections = {
            name: str(cid)
            for cid, name in session.execute(
                select(collection_copy.c.id, collection_copy.c.name).where(
                    collection_copy.c.insurer_id == insurer, collection_copy.c.year == DEMO_YEAR
                )
            )
        }
        unlinked = session.execute(
            select(product.c.id, product.c.code)
            .outerjoin(product_link, product_link.c.product_id == product.c.id)
            .where(product.c.insurer_id == insurer, product.c.year == DEMO_YEAR, product_link.c.product_id.is_(None))
        ).all()
    rows = tuple(LinkRow(str(p.id), collections[kinds[p.code]]) for p in unlinked if kinds.get(p.code) in collections)
    if rows:
        try:
            handlers.link_products(LinkProducts(rows), Actor(DEMO_ADMIN, insurer, DEMO_YEAR), runtime.unit_of_work())
        except DomainError as exc:  # demo links are a convenience: never a reason for the platform not to start
            log.warning("demo links of %s not saved: %s", slug, exc.message)
