"""Platform administration against the fake gateway: users (issue 13) and the operations view's replay."""

from __future__ import annotations

from typing import Any

from tests.conftest import FakeGateway, csrf_of


def log_in_as(portal: Any, gateway: FakeGateway, role: str) -> str:
    gateway.roles = (role,)
    csrf = csrf_of(portal)
    form = {"csrf": csrf, "contract_year": "2026", "username": "staf", "password": "Goed2026!"}
    assert portal.post("/inloggen", data=form).status_code == 302
    return csrf_of(portal, "/wachtwoord")


def test_the_operations_view_lists_dead_letters_and_replays_one_by_id(portal: Any, gateway: FakeGateway) -> None:
    csrf = log_in_as(portal, gateway, "platform_admin")
    page = portal.get("/beheer/berichtenwachtrijen").get_data(as_text=True)
    assert "catalogue.group.changed" in page and "Opnieuw aanbieden" in page
    answer = portal.post(
        "/beheer/berichtenwachtrijen/support/catalogue/replay", data={"csrf": csrf, "message_id": "m-1"}
    )
    assert answer.status_code == 303
    assert gateway.saw("POST", "/api/support/dead-letters/catalogue/replay")[0][2] == {"ids": ["m-1"]}
    assert "1 bericht opnieuw aangeboden aan support" in portal.get("/beheer/berichtenwachtrijen").get_data(
        as_text=True
    )


def test_an_insurer_user_needs_an_insurer_before_identity_is_asked(portal: Any, gateway: FakeGateway) -> None:
    csrf = log_in_as(portal, gateway, "platform_admin")
    form = {
        "csrf": csrf,
        "username": "nieuw",
        "display_name": "Nieuw",
        "role": "insurer_user",
        "password": "Start2026a",
    }
    answer = portal.post("/beheer/gebruikers", data=form)
    assert answer.status_code == 422 and "Kies de verzekeraar van deze gebruiker." in answer.get_data(as_text=True)
    assert gateway.saw("POST", "/api/identity/users") == []
    created = portal.post("/beheer/gebruikers", data={**form, "insurer_id": "ins-1"})
    assert created.status_code == 303
    assert gateway.saw("POST", "/api/identity/users")[0][2]["insurer_id"] == "ins-1"


def test_a_maintainer_gets_geen_toegang_on_the_platform_admins_pages(portal: Any, gateway: FakeGateway) -> None:
    log_in_as(portal, gateway, "catalogue_maintainer")
    for path in ("/beheer/gebruikers", "/beheer/berichtenwachtrijen"):
        answer = portal.get(path)
        assert answer.status_code == 403 and "Geen toegang" in answer.get_data(as_text=True)
    assert portal.get("/beheer/verzoeken").status_code == 200


def test_r2_a_reset_password_that_breaks_r2_is_named_and_a_user_is_deactivated(
    portal: Any, gateway: FakeGateway
) -> None:
    csrf = log_in_as(portal, gateway, "platform_admin")
    portal.post(
        "/beheer/gebruikers/00000000-0000-0000-0000-000000000001/wachtwoord",
        data={"csrf": csrf, "new_password": "kort"},
    )
    assert "R2: minstens 8 tekens." in portal.get("/beheer/gebruikers").get_data(as_text=True)
    portal.post("/beheer/gebruikers/00000000-0000-0000-0000-000000000001/deactiveren", data={"csrf": csrf})
    assert "is gedeactiveerd" in portal.get("/beheer/gebruikers").get_data(as_text=True)
    assert gateway.saw("POST", "/deactivation$")


def test_a_new_api_key_is_shown_once_and_one_is_revoked(portal: Any, gateway: FakeGateway) -> None:
    csrf = log_in_as(portal, gateway, "platform_admin")
    created = portal.post("/beheer/api-sleutels", data={"csrf": csrf, "name": "Vergelijker"})
    assert created.status_code == 201 and "zcp_cd-geheim" in created.get_data(as_text=True)
    assert created.headers["Cache-Control"] == "no-store"
    assert "zcp_cd-geheim" not in portal.get("/beheer/api-sleutels").get_data(as_text=True)
    portal.post("/beheer/api-sleutels/00000000-0000-0000-0000-00000000000b/intrekken", data={"csrf": csrf})
    assert gateway.saw("DELETE", "/api/identity/api-keys/")


def test_an_insurer_is_registered_and_an_existing_code_is_named_next_to_the_field(
    portal: Any, gateway: FakeGateway
) -> None:
    csrf = log_in_as(portal, gateway, "platform_admin")
    taken = portal.post("/beheer/verzekeraars", data={"csrf": csrf, "name": "Nog een A", "slug": "A"})
    assert taken.status_code == 409 and 'id="e-slug">bestaat al' in taken.get_data(as_text=True)
    added = portal.post("/beheer/verzekeraars", data={"csrf": csrf, "name": "Zorg B", "slug": "zorgb"})
    assert added.status_code == 303
    assert gateway.saw("POST", "/api/identity/insurers")[-1][2] == {"name": "Zorg B", "slug": "zorgb"}


def test_r16_a_registered_institution_goes_to_its_offering_saying_it_is_on_its_way(
    portal: Any, gateway: FakeGateway
) -> None:
    csrf = log_in_as(portal, gateway, "catalogue_maintainer")
    form = {"csrf": csrf, "name": "Kliniek Zuid", "agb_code": "06010101", "type": "zbc", "country": "NL"}
    taken = portal.post("/beheer/instellingen", data=form)
    assert taken.status_code == 409 and 'id="e-agb_code">bestaat al' in taken.get_data(as_text=True)
    added = portal.post("/beheer/instellingen", data={**form, "agb_code": "06020202"})
    assert added.status_code == 303 and added.headers["Location"].endswith("/aanbod")
    page = portal.get(added.headers["Location"]).get_data(as_text=True)
    assert "onderweg naar de collecties van de verzekeraars (R16)" in page and "Hartfalen" in page
    portal.post(added.headers["Location"].replace("/aanbod", "/sluiten"), data={"csrf": csrf, "closed_on": ""})
    assert gateway.saw("POST", "/close$")[0][2] == {"closed_on": None}
