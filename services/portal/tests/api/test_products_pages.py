"""Producten (R13) against the fake gateway: the insurer's products of the login year with their
company, a choice of hospital collection per product, and "Koppel producten" as one batch — all
rows or none, a refusal shown per row in Dutch with the user's choices kept."""

from __future__ import annotations

import re
from typing import Any

from tests.api.test_administration_pages import log_in_as
from tests.conftest import FakeGateway, logged_in
from tests.fake_products import BASIS, NATURA, RESTITUTIE, SELECTIEF


def selected(page: str, product_id: str) -> str:
    """The collection id selected in the product's "Ziekenhuis collecties" choice ("" when unlinked)."""
    select = re.search(rf'<select id="collectie-{product_id}".*?</select>', page, re.S)
    assert select, f"no choice for {product_id}"
    chosen = re.search(r'<option value="([^"]*)" selected>', select.group(0))
    return chosen.group(1) if chosen else ""


def test_r13_the_page_lists_the_products_with_company_and_the_collections_to_choose(
    portal: Any, gateway: FakeGateway
) -> None:
    logged_in(portal)
    answer = portal.get("/producten")
    page = answer.get_data(as_text=True)
    assert answer.status_code == 200
    assert "Ziekenhuis collecties" in page and "Koppel producten" in page
    assert "Zorgverzekeraar A N.V." in page and "Natura Zorg" in page and "Vrije Keuze" in page
    assert page.count('<option value="') == 2 * 3  # per product: not linked, Basis, Selectief
    assert selected(page, NATURA) == BASIS and selected(page, RESTITUTIE) == ""
    assert '<a href="/producten" aria-current="page">Producten</a>' in page


def test_r13_koppel_producten_saves_every_row_as_one_batch(portal: Any, gateway: FakeGateway) -> None:
    csrf = logged_in(portal)
    form = {
        "csrf": csrf,
        "product_id": [NATURA, RESTITUTIE],
        f"collectie-{NATURA}": "",
        f"collectie-{RESTITUTIE}": SELECTIEF,
    }
    answer = portal.post("/producten", data=form)
    assert answer.status_code == 303
    [(_, _, body)] = gateway.saw("PUT", r"^/api/products/links$")
    assert body == {
        "rows": [{"product_id": NATURA, "collection_id": None}, {"product_id": RESTITUTIE, "collection_id": SELECTIEF}]
    }
    page = portal.get("/producten").get_data(as_text=True)
    assert "Producten gekoppeld: 2 van 2 gewijzigd." in page
    assert selected(page, NATURA) == "" and selected(page, RESTITUTIE) == SELECTIEF


def test_r13_a_refused_batch_changes_nothing_and_names_the_row_in_dutch(portal: Any, gateway: FakeGateway) -> None:
    csrf = logged_in(portal)
    unknown = "00000000-0000-4000-8000-000000000000"
    form = {
        "csrf": csrf,
        "product_id": [NATURA, RESTITUTIE],
        f"collectie-{NATURA}": SELECTIEF,
        f"collectie-{RESTITUTIE}": unknown,
    }
    answer = portal.post("/producten", data=form)
    page = answer.get_data(as_text=True)
    assert answer.status_code == 422
    assert "Niets gekoppeld: R13: niets gekoppeld; zie de regels." in page
    report = re.search(r'<ul id="rapport">(.*?)</ul>', page, re.S)
    assert report and "Vrije Keuze: R13: deze collectie hoort niet bij uw verzekeraar" in report.group(1)
    assert "Natura Zorg" not in report.group(1)
    assert f'aria-describedby="e-{RESTITUTIE}"' in page and f'aria-describedby="e-{NATURA}"' not in page
    assert selected(page, NATURA) == SELECTIEF  # the user's choice is kept to correct and resend
    assert selected(portal.get("/producten").get_data(as_text=True), NATURA) == BASIS  # nothing saved


def test_r13_koppel_producten_without_a_csrf_token_is_refused_and_sends_nothing(
    portal: Any, gateway: FakeGateway
) -> None:
    logged_in(portal)
    answer = portal.post("/producten", data={"product_id": [NATURA], f"collectie-{NATURA}": ""})
    assert answer.status_code in (400, 403)
    assert gateway.saw("PUT", "/api/products/links") == []


def test_r13_only_insurer_users_reach_producten(portal: Any, gateway: FakeGateway) -> None:
    assert portal.get("/producten").status_code == 302  # not logged in: to the login page
    log_in_as(portal, gateway, "catalogue_maintainer")
    assert portal.get("/producten").status_code == 403
