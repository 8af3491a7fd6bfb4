"""Maatschappijen for the platform admin against the fake gateway (issue 13): every insurer's
companies with their UZOVI code; registering one, with the field and the rule named in Dutch when
the code is missing, malformed or taken."""

from __future__ import annotations

import uuid
from typing import Any

from tests.api.test_administration_pages import log_in_as
from tests.conftest import FakeGateway
from tests.fake_products import COMPANY


def test_the_admin_sees_the_companies_with_uzovi_and_insurer_and_registers_one(
    portal: Any, gateway: FakeGateway
) -> None:
    csrf = log_in_as(portal, gateway, "platform_admin")
    page = portal.get("/beheer/maatschappijen").get_data(as_text=True)
    assert '<th scope="row">Zorgverzekeraar A N.V.</th><td>3311</td><td>Verzekeraar A</td>' in page
    form = {"csrf": csrf, "name": "Label B", "uzovi_code": "3312", "insurer_id": "ins-1"}
    answer = portal.post("/beheer/maatschappijen", data=form)
    assert answer.status_code == 303
    assert gateway.saw("POST", "^/api/products/companies$")[0][2] == {
        "name": "Label B",
        "uzovi_code": "3312",
        "insurer_id": "ins-1",
    }
    page = portal.get("/beheer/maatschappijen").get_data(as_text=True)
    assert "Maatschappij Label B (3312) is geregistreerd." in page and "<td>3312</td>" in page


def test_a_missing_malformed_or_taken_uzovi_code_is_said_next_to_the_field(portal: Any, gateway: FakeGateway) -> None:
    csrf = log_in_as(portal, gateway, "platform_admin")
    malformed = portal.post(
        "/beheer/maatschappijen", data={"csrf": csrf, "name": "X", "uzovi_code": "33a", "insurer_id": ""}
    )
    text = malformed.get_data(as_text=True)
    assert malformed.status_code == 422
    assert "UZOVI-code: precies 4 cijfers." in text and "Verzekeraar: kies de verzekeraar." in text
    assert gateway.saw("POST", "/api/products/companies") == []
    taken = portal.post(
        "/beheer/maatschappijen", data={"csrf": csrf, "name": "X", "uzovi_code": "3311", "insurer_id": "ins-1"}
    )
    assert taken.status_code == 409 and "UZOVI-code 3311 is al in gebruik." in taken.get_data(as_text=True)


def test_only_the_platform_admin_reaches_maatschappijen(portal: Any, gateway: FakeGateway) -> None:
    log_in_as(portal, gateway, "insurer_user")
    assert portal.get("/beheer/maatschappijen").status_code == 403


def test_the_admin_renames_a_company_and_moves_it_to_another_insurer(portal: Any, gateway: FakeGateway) -> None:
    csrf = log_in_as(portal, gateway, "platform_admin")
    page = portal.get("/beheer/maatschappijen").get_data(as_text=True)
    assert f'action="/beheer/maatschappijen/{COMPANY}"' in page
    same = {"csrf": csrf, "name": "Zorgverzekeraar A N.V.", "insurer_id": "ins-1"}
    assert portal.post(f"/beheer/maatschappijen/{COMPANY}", data=same).status_code == 303
    assert gateway.saw("PATCH", "/api/products/companies/") == []  # nothing differs: nothing sent
    renamed = portal.post(f"/beheer/maatschappijen/{COMPANY}", data=same | {"name": "Label A"})
    assert renamed.status_code == 303
    assert gateway.saw("PATCH", f"^/api/products/companies/{COMPANY}$")[-1][2] == {"name": "Label A"}
    page = portal.get("/beheer/maatschappijen").get_data(as_text=True)
    assert "Maatschappij Label A (3311) is opgeslagen." in page and "koppelingen" not in page.split("<h1>")[0]
    moved = portal.post(f"/beheer/maatschappijen/{COMPANY}", data=same | {"name": "Label A", "insurer_id": "ins-2"})
    assert moved.status_code == 303
    assert gateway.saw("PATCH", f"^/api/products/companies/{COMPANY}$")[-1][2] == {"insurer_id": "ins-2"}
    page = portal.get("/beheer/maatschappijen").get_data(as_text=True)
    assert "hun koppelingen aan collecties van de vorige verzekeraar zijn vervallen (R13)" in page


def test_an_empty_name_or_an_unknown_company_is_said_in_dutch(portal: Any, gateway: FakeGateway) -> None:
    csrf = log_in_as(portal, gateway, "platform_admin")
    empty = portal.post(f"/beheer/maatschappijen/{COMPANY}", data={"csrf": csrf, "name": " ", "insurer_id": "ins-1"})
    assert empty.status_code == 303 and gateway.saw("PATCH", "/api/products/companies/") == []
    assert "Naam: vul de naam van de maatschappij in." in portal.get("/beheer/maatschappijen").get_data(as_text=True)
    unknown = portal.post(f"/beheer/maatschappijen/{uuid.uuid4()}", data={"csrf": csrf, "name": "X", "insurer_id": ""})
    assert unknown.status_code == 404


def test_an_insurer_user_cannot_change_a_company(portal: Any, gateway: FakeGateway) -> None:
    csrf = log_in_as(portal, gateway, "insurer_user")
    answer = portal.post(f"/beheer/maatschappijen/{COMPANY}", data={"csrf": csrf, "name": "X", "insurer_id": "ins-1"})
    assert answer.status_code == 403 and gateway.saw("PATCH", "/api/products/companies/") == []
