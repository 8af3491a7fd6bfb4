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

from sqlalchemy import func, select

from products.adapters.orm import collection_copy, company, product, product_link
from products.bootstrap import Runtime
from products.domain.commands import Actor, AddProduct, LinkProducts, LinkRow, RegisterCompany
from products.service_layer import handlers
from servicekit.exceptions import DomainError

log = logging.getLogger(__name__)

DEMO_YEAR = 2026
#: insurer slug -> its companies: (name, invented UZOVI code, products: (name, code, kind, collection))
DEMO_COMPANIES: dict[str, tuple[tuple[str, str, tuple[tuple[str, str, str, str], ...]], ...]] = {
    "zilverenkruis": (
        (
            "Zilveren Kruis",
            "9901",
            (
                ("Basis Zeker", "ZK-BZ", "natura", "Basis 2026"),
                ("Basis Exclusief", "ZK-BE", "restitutie", "Restitutie 2026"),
                ("Basis Budget", "ZK-BB", "natura", "Selectief 2026"),
            ),
        ),
        ("FBTO", "9902", (("FBTO Basis", "FBTO-B", "natura", "Basis 2026"),)),
        ("De Friesland", "9903", (("Zorg Verzekerd", "DFZ-ZV", "natura", "Basis 2026"),)),
        ("Interpolis", "9904", (("ZorgActief", "IP-ZA", "combinatie", "Basis 2026"),)),
    ),
    "menzis": (
        (
            "Menzis",
            "9911",
            (
                ("Basis", "MZ-B", "natura", "Basis 2026"),
                ("Basis Vrij", "MZ-BV", "restitutie", "Restitutie 2026"),
            ),
        ),
        ("Anderzorg", "9912", (("Anderzorg Basis", "AZ-B", "natura", "Selectief 2026"),)),
    ),
    "vgz": (
        (
            "VGZ",
            "9921",
            (
                ("Eigen Keuze", "VGZ-EK", "natura", "Basis 2026"),
                ("Ruime Keuze", "VGZ-RK", "restitutie", "Restitutie 2026"),
            ),
        ),
        ("IZA", "9922", (("IZA Basis Restitutie", "IZA-BR", "restitutie", "Restitutie 2026"),)),
        ("Univé", "9923", (("Zorg Select", "UV-ZS", "natura", "Selectief 2026"),)),
    ),
    "cz": (
        (
            "CZ",
            "9931",
            (
                ("Zorgbewust", "CZ-ZB", "natura", "Basis 2026"),
                ("Zorg-op-maat", "CZ-ZOM", "restitutie", "Restitutie 2026"),
            ),
        ),
        ("OHRA", "9932", (("OHRA Zorgverzekering", "OHRA-ZV", "combinatie", "Basis 2026"),)),
    ),
}
DEMO_ADMIN = "demo-productbeheer"


def insurer_id(slug: str) -> str:
    """Deterministic, shared with identity's demo."""
    return str(uuid.uuid5(uuid.NAMESPACE_URL, "zcp:insurer:" + slug))


def seed_demo(runtime: Runtime, *, settle_timeout: float | None = None) -> None:
    """Companies and products that do not exist yet; links once the demo collections have arrived."""
    for slug, companies in DEMO_COMPANIES.items():
        for name, uzovi, products in companies:
            company_id = _company(runtime, slug, name, uzovi)
            for product_name, code, kind, _ in products:
                _product(runtime, slug, company_id, product_name, code, kind)
    timeout = float(os.environ.get("DEMO_SETTLE_TIMEOUT", "120")) if settle_timeout is None else settle_timeout
    if not _wait_for_collections(runtime, timeout):
        log.warning("demo collections not (all) arrived after %.0f s: demo links skipped where missing", timeout)
    for slug in DEMO_COMPANIES:
        _link(runtime, slug)


def _company(runtime: Runtime, slug: str, name: str, uzovi: str) -> str:
    with runtime.sessions() as session:
        found = session.execute(select(company.c.id).where(company.c.uzovi_code == uzovi)).scalar()
    if found:
        return str(found)
    row = handlers.register_company(RegisterCompany(insurer_id(slug), name, uzovi), runtime.unit_of_work())
    return str(row["id"])


def _product(runtime: Runtime, slug: str, company_id: str, name: str, code: str, kind: str) -> None:
    with runtime.sessions() as session:
        exists = session.execute(
            select(product.c.id).where(
                product.c.company_id == company_id, product.c.year == DEMO_YEAR, product.c.code == code
            )
        ).first()
    if not exists:
        actor = Actor(DEMO_ADMIN, insurer_id(slug), DEMO_YEAR)
        handlers.add_product(AddProduct(company_id, DEMO_YEAR, name, code, kind), actor, runtime.unit_of_work())


def _wait_for_collections(runtime: Runtime, timeout: float) -> bool:
    wanted = {c for companies in DEMO_COMPANIES.values() for _, _, ps in companies for *_, c in ps}
    expected = len(DEMO_COMPANIES) * len(wanted)
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
    kinds = {code: collection for _, _, ps in DEMO_COMPANIES[slug] for _, code, _, collection in ps}
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
