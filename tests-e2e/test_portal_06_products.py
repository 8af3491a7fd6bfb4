"""Producten (R13), "Hoe koppel ik de contractering aan een basisverzekering?": Menzis's products of
2026 with their company names; per product a choice in "Ziekenhuis collecties"; "Koppel producten"
saves all rows or none, and a refusal shows the per-row report in Dutch.

GIVEN Menzis's demo products and a collection of this test's own (arrived at products through
RabbitMQ), WHEN the purchaser links one product to it with "Koppel producten", THEN the page and the
products API show the link; WHEN a row names a collection that no longer exists (a stale page), THEN
nothing is saved and that row says why. The demo links are put back afterwards (other tests read them).
"""

from __future__ import annotations

from typing import Any

from playwright.sync_api import Page, expect
from portal_helpers import api, api_session, check_screen, log_in, new_collection

from servicekit.testing import wait_for

PRODUCTS = "/api/products"
#: a well-formed id no collection has
UNKNOWN_COLLECTION = "00000000-0000-4000-8000-000000000000"


def arrived_at_products(gateway: str, session: dict[str, str], collection_id: str) -> None:
    """Settle: the new collection reaches products' local copy through RabbitMQ (bounded wait)."""
    wait_for(
        lambda: any(
            c["collection_id"] == collection_id for c in api(gateway, session, "GET", f"{PRODUCTS}/collections")
        ),
        timeout=60,
        interval=0.5,
        message=f"collection {collection_id} reached products",
    )


def test_r13_koppel_producten_links_a_product_and_a_refusal_saves_nothing(page: Page, gateway: str) -> None:
    """Hoe koppel ik de contractering aan een basisverzekering? (R13)"""
    session = api_session(gateway, "menzis-inkoper")
    before: list[dict[str, Any]] = api(gateway, session, "GET", f"{PRODUCTS}/links")
    target = next(p for p in before if p["name"] == "Anderzorg Basis")
    collection = new_collection(gateway, session)
    arrived_at_products(gateway, session, collection["collection_id"])
    try:
        log_in(page, gateway, "menzis-inkoper")
        page.get_by_role("link", name="Producten").click()
        expect(page.get_by_role("heading", name="Producten 2026")).to_be_visible()
        expect(page.get_by_role("row", name="Anderzorg Basis")).to_contain_text("Anderzorg")
        expect(page.locator("table")).not_to_contain_text("VGZ")
        choice = page.get_by_label("Ziekenhuis collectie voor Anderzorg Basis")
        choice.select_option(label=collection["name"])
        page.get_by_role("button", name="Koppel producten").click()
        expect(page.locator(".flash")).to_contain_text("Producten gekoppeld")
        expect(page.get_by_label("Ziekenhuis collectie voor Anderzorg Basis")).to_have_value(
            collection["collection_id"]
        )
        linked = {p["product_id"]: p["collection_id"] for p in api(gateway, session, "GET", f"{PRODUCTS}/links")}
        assert linked[target["product_id"]] == collection["collection_id"]
        check_screen(page, "42-producten", full_page=True)

        # A stale page: the chosen collection no longer exists when "Koppel producten" is pressed.
        page.evaluate(
            """([id, unknown]) => { const s = document.getElementById('collectie-' + id);
                s.options[s.selectedIndex].value = unknown; }""",
            [target["product_id"], UNKNOWN_COLLECTION],
        )
        page.get_by_role("button", name="Koppel producten").click()
        expect(page.get_by_role("alert")).to_contain_text("Niets gekoppeld")
        expect(page.locator("#rapport")).to_contain_text("Anderzorg Basis")
        expect(page.locator(f"#e-{target['product_id']}")).to_contain_text("R13")
        after = {p["product_id"]: p["collection_id"] for p in api(gateway, session, "GET", f"{PRODUCTS}/links")}
        assert after == linked, "a refused batch must change nothing"
        check_screen(page, "43-producten-geweigerd", full_page=True)
    finally:
        rows = [{"product_id": p["product_id"], "collection_id": p["collection_id"]} for p in before]
        api(gateway, session, "PUT", f"{PRODUCTS}/links", json={"rows": rows})
