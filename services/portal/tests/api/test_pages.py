"""The portal's pages against a recording fake gateway: sessions, CSRF, errors, saves (R1, R6, R7)."""

from __future__ import annotations

import json
import time
from typing import Any

import pytest

from portal.web import session as portal_session
from tests.conftest import COLLECTION, INSTITUTION, FakeGateway, csrf_of, logged_in

SAVE = f"/contractering/{COLLECTION}/opslaan"
HTMX = {"HX-Request": "true"}


def row_form(csrf: str, status: str = "FULL", **extra: str) -> dict[str, str]:
    return {"csrf": csrf, "k0": INSTITUTION, "v0": "4", "o0": "NOT_CONTRACTED", "s0": status, "m0": ""} | extra


def test_r1_login_sets_an_httponly_samesite_cookie_secure_only_over_https(portal: Any) -> None:
    csrf = csrf_of(portal)
    answer = portal.post(
        "/inloggen", data={"csrf": csrf, "contract_year": "2026", "username": "inkoper", "password": "Goed2026!"}
    )
    cookie = answer.headers["Set-Cookie"]
    assert answer.status_code == 302 and "zcp_portal=" in cookie
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie and "Secure" not in cookie
    over_https = portal.get("/inloggen", headers={"X-Forwarded-Proto": "https"})
    assert "Secure" in over_https.headers["Set-Cookie"]


def test_r1_a_wrong_password_stays_on_the_login_page_with_a_dutch_message(portal: Any) -> None:
    csrf = csrf_of(portal)
    answer = portal.post(
        "/inloggen", data={"csrf": csrf, "contract_year": "2026", "username": "inkoper", "password": "fout"}
    )
    assert answer.status_code == 401
    assert "Onbekende combinatie van contractjaar, gebruikersnaam en wachtwoord" in answer.get_data(as_text=True)


def test_a_post_without_the_session_csrf_token_is_refused_before_the_api_is_called(
    portal: Any, gateway: FakeGateway
) -> None:
    csrf = logged_in(portal)
    for data in (row_form(""), row_form("vervalst")):
        answer = portal.post(SAVE, data=data)
        assert answer.status_code == 403
        assert "Het formulier is verlopen" in answer.get_data(as_text=True)
    assert gateway.saw("PATCH", "/institutions") == []
    assert portal.post(SAVE, data=row_form(csrf), headers=HTMX).status_code == 204


def test_r1_after_the_idle_time_the_session_ends_at_identity_too_and_the_login_page_says_why(
    portal: Any, gateway: FakeGateway, monkeypatch: pytest.MonkeyPatch
) -> None:
    logged_in(portal)
    later = time.time() + 601
    monkeypatch.setattr(portal_session.time, "time", lambda: later)
    answer = portal.get(f"/contractering/{COLLECTION}")
    assert answer.status_code == 302 and answer.headers["Location"].endswith("/inloggen")
    assert gateway.saw("DELETE", "/api/identity/sessions/current")
    page = portal.get("/inloggen").get_data(as_text=True)
    assert "automatisch uitgelogd omdat u langer dan 10 minuten niet actief was" in page


def test_r1_activity_slides_the_idle_time(portal: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    logged_in(portal)
    start = time.time()
    for minutes in (9, 18, 27):
        monkeypatch.setattr(portal_session.time, "time", lambda m=minutes: start + m * 60)
        assert portal.get(f"/contractering/{COLLECTION}").status_code == 200


def test_another_insurers_collection_is_a_dutch_not_found_page(portal: Any) -> None:
    logged_in(portal)
    answer = portal.get("/contractering/00000000-0000-0000-0000-000000000000")
    assert answer.status_code == 404
    assert "<h1>Niet gevonden</h1>" in answer.get_data(as_text=True)


def test_a_session_the_api_no_longer_knows_goes_to_the_login_page(portal: Any, gateway: FakeGateway) -> None:
    logged_in(portal)
    gateway.listing_status = 401
    answer = portal.get(f"/contractering/{COLLECTION}")
    assert answer.status_code == 302 and answer.headers["Location"].endswith("/inloggen")
    assert "Uw sessie is verlopen" in portal.get("/inloggen").get_data(as_text=True)


def test_an_unavailable_api_is_a_dutch_page_not_a_stack_trace(portal: Any, gateway: FakeGateway) -> None:
    logged_in(portal)
    gateway.listing_status = 503
    answer = portal.get(f"/contractering/{COLLECTION}")
    assert answer.status_code == 503 and "Tijdelijk niet beschikbaar" in answer.get_data(as_text=True)
    assert "Traceback" not in answer.get_data(as_text=True)


def test_r7_a_cascade_is_counted_by_a_dry_run_and_saved_only_when_confirmed(portal: Any, gateway: FakeGateway) -> None:
    csrf = logged_in(portal)
    preview = portal.post(SAVE, data=row_form(csrf, cascade="1"), headers=HTMX)
    text = preview.get_data(as_text=True)
    assert "Opslaan met doorzetten wijzigt 1 instelling, 12 afdelingen en 140 aandoeningen" in text
    assert preview.headers["HX-Retarget"] == "#melding"
    assert [c[1] for c in gateway.saw("PATCH", "/institutions")] == [
        f"/api/contracting/collections/{COLLECTION}/institutions?dry_run=true"
    ]
    saved = portal.post(SAVE, data=row_form(csrf, cascade="1", bevestigd="1", terug="naam=Noord"), headers=HTMX)
    assert saved.status_code == 204
    reload = json.loads(saved.headers["HX-Location"])
    assert reload == {"path": f"/contractering/{COLLECTION}?naam=Noord", "target": "#werkgebied", "swap": "innerHTML"}
    fresh = portal.get(reload["path"], headers=HTMX).get_data(as_text=True)
    assert "Opgeslagen: 1 instelling, 12 afdelingen en 140 aandoeningen gewijzigd" in fresh
    assert 'id="werkgebied"' not in fresh and 'value="Noord"' in fresh  # the work area, with its filter kept
    real = gateway.saw("PATCH", "/institutions$")
    assert len(real) == 1 and real[0][2]["cascade"] is True
    assert real[0][2]["rows"] == [{"institution_id": INSTITUTION, "status": "FULL", "version": 4}]


def test_r6_a_colleagues_change_is_named_and_the_users_edits_stay(portal: Any, gateway: FakeGateway) -> None:
    csrf = logged_in(portal)
    gateway.save_status = 409
    answer = portal.post(SAVE, data=row_form(csrf), headers=HTMX)
    text = answer.get_data(as_text=True)
    assert "Een collega heeft intussen 1 instelling (Ziekenhuis Noord) gewijzigd; er is niets opgeslagen" in text
    assert "Laad opnieuw" in text and answer.headers["HX-Retarget"] == "#melding"


def test_r6_nothing_changed_means_nothing_is_sent(portal: Any, gateway: FakeGateway) -> None:
    csrf = logged_in(portal)
    answer = portal.post(SAVE, data=row_form(csrf, status="NOT_CONTRACTED"), headers=HTMX)
    assert "Er zijn geen wijzigingen om op te slaan" in answer.get_data(as_text=True)
    assert gateway.saw("PATCH", "/institutions") == []


def test_pages_allow_only_the_portals_own_scripts_and_are_not_cached(portal: Any) -> None:
    answer = portal.get("/inloggen")
    assert "script-src 'self'" in answer.headers["Content-Security-Policy"]
    assert answer.headers["X-Frame-Options"] == "DENY" and answer.headers["Cache-Control"] == "no-store"
    assert "<script>" not in answer.get_data(as_text=True)


def test_r6_without_htmx_a_save_redirects_to_the_list_which_says_it_was_saved(
    portal: Any, gateway: FakeGateway
) -> None:
    csrf = logged_in(portal)
    saved = portal.post(SAVE, data=row_form(csrf))
    assert saved.status_code == 303 and saved.headers["Location"] == f"/contractering/{COLLECTION}"
    assert "Opgeslagen: 1 instelling gewijzigd." in portal.get(saved.headers["Location"]).get_data(as_text=True)
