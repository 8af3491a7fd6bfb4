"""Publicatiedata for the platform admin against the fake gateway (issue 13): per insurer and year
the date from which the year is published (R17), 12 November of the year before unless another is
set; setting another, and a refused or malformed date said next to the field in Dutch."""

from __future__ import annotations

from typing import Any

from tests.api.test_administration_pages import log_in_as
from tests.conftest import FakeGateway


def test_r17_the_admin_sees_the_default_date_and_sets_another(portal: Any, gateway: FakeGateway) -> None:
    csrf = log_in_as(portal, gateway, "platform_admin")
    page = portal.get("/beheer/publicatiedata?verzekeraar=ins-1&jaar=2027").get_data(as_text=True)
    assert "<td>12-11-2026</td>" in page and "standaard (12 november van het jaar ervoor)" in page
    form = {"csrf": csrf, "verzekeraar": "ins-1", "jaar": "2027", "publish_from": "2026-10-01"}
    answer = portal.post("/beheer/publicatiedata", data=form)
    assert answer.status_code == 303
    assert gateway.saw("PUT", "^/api/products/publication-dates/ins-1/2027$")[0][2] == {"publish_from": "2026-10-01"}
    page = portal.get(answer.headers["Location"]).get_data(as_text=True)
    assert "Contractjaar 2027 wordt gepubliceerd vanaf 01-10-2026 (R17)." in page
    assert "<td>01-10-2026</td>" in page and "eigen datum" in page


def test_r17_a_malformed_or_refused_date_is_said_next_to_the_field(portal: Any, gateway: FakeGateway) -> None:
    csrf = log_in_as(portal, gateway, "platform_admin")
    base = {"csrf": csrf, "verzekeraar": "ins-1", "jaar": "2027"}
    malformed = portal.post("/beheer/publicatiedata", data={**base, "publish_from": "morgen"})
    assert malformed.status_code == 422
    assert "Publicatiedatum: kies een geldige datum (R17)." in malformed.get_data(as_text=True)
    assert gateway.saw("PUT", "/api/products/publication-dates") == []
    refused = portal.post("/beheer/publicatiedata", data={**base, "publish_from": "2027-03-01"})
    assert refused.status_code == 422
    assert "uiterlijk 1 januari van het contractjaar" in refused.get_data(as_text=True)
    page = portal.get("/beheer/publicatiedata?verzekeraar=ins-1&jaar=2027").get_data(as_text=True)
    assert "<td>12-11-2026</td>" in page  # nothing saved


def test_a_wrong_year_is_named_next_to_the_field(portal: Any, gateway: FakeGateway) -> None:
    log_in_as(portal, gateway, "platform_admin")
    wrong = portal.get("/beheer/publicatiedata?verzekeraar=ins-1&jaar=27")
    assert wrong.status_code == 422 and "Jaar: vul een jaar van 4 cijfers in." in wrong.get_data(as_text=True)
    assert gateway.saw("GET", "/api/products/publication-dates") == []


def test_only_the_platform_admin_reaches_publicatiedata(portal: Any, gateway: FakeGateway) -> None:
    log_in_as(portal, gateway, "insurer_user")
    assert portal.get("/beheer/publicatiedata").status_code == 403
