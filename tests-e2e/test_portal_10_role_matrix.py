"""Role matrix (issue 13): every portal page for every role: the page, or a Dutch "Geen toegang" (or, for
another insurer's item, "Niet gevonden"); never another insurer's data.

GIVEN a Menzis user and admin, the catalogue maintainer and the platform admin logged in to the portal
through the gateway, and VGZ's collection, report and request, WHEN each opens every page, THEN the
status is the one of the matrix below, and no page shown to Menzis carries a VGZ item.
"""

from __future__ import annotations

import re
import uuid
from typing import Any

import pytest
import requests
from helpers import DEMO_PASSWORD
from portal_helpers import api, api_session

ROLES = ("menzis-inkoper", "menzis-admin", "beheerder", "platform")
OK, NO, GONE = 200, 403, 404
#: page -> status per role, in the order of ROLES (insurer user, insurer admin, maintainer, platform admin)
MATRIX: dict[str, tuple[int, int, int, int]] = {
    "/contractering": (OK, OK, NO, NO),
    "/contractering/{own}": (OK, OK, NO, NO),
    "/contractering/{own}?buitenland=1": (OK, OK, NO, NO),
    "/contractering/{vgz}": (GONE, GONE, NO, NO),
    "/contractering/{own}/geschiedenis": (OK, OK, NO, NO),
    "/contractering/{vgz}/geschiedenis": (GONE, GONE, NO, NO),
    "/contractering/{own}/import": (OK, OK, NO, NO),
    "/contractering/{own}/instellingen/{institution}/afdelingen": (OK, OK, NO, NO),
    "/instellingen/{institution}": (OK, OK, NO, NO),
    "/jaarovergang": (NO, OK, NO, NO),
    "/producten": (OK, OK, NO, NO),
    "/meld-een-probleem": (OK, OK, NO, NO),
    "/data-wijzigingsverzoek": (OK, OK, NO, NO),
    "/meldingen/{vgz_report}": (GONE, GONE, OK, OK),
    "/verzoeken/{vgz_request}": (GONE, GONE, OK, OK),
    "/berichten": (OK, OK, OK, OK),
    "/beheer/verzoeken": (NO, NO, OK, OK),
    "/beheer/meldingen": (NO, NO, OK, OK),
    "/beheer/instellingen": (NO, NO, OK, OK),
    "/beheer/instellingen/{institution}/aanbod": (NO, NO, OK, OK),
    "/beheer/instellingen/{institution}/bewerken": (NO, NO, OK, OK),
    "/beheer/groepen": (NO, NO, OK, OK),
    "/beheer/specialismen": (NO, NO, OK, OK),
    "/beheer/aandoeningen": (NO, NO, OK, OK),
    "/beheer/catalogus-csv": (NO, NO, OK, OK),
    "/beheer/catalogus-csv/voortgang/{import_id}": (NO, NO, OK, OK),
    "/beheer/contractjaren": (NO, NO, NO, OK),
    "/beheer/gebruikers": (NO, NO, NO, OK),
    "/beheer/berichtenwachtrijen": (NO, NO, NO, OK),
    "/beheer/api-sleutels": (NO, NO, NO, OK),
    "/beheer/verzekeraars": (NO, NO, NO, OK),
    "/beheer/maatschappijen": (NO, NO, NO, OK),
    "/beheer/publicatiedata": (NO, NO, NO, OK),
    "/wachtwoord": (OK, OK, OK, OK),
    "/handleiding": (OK, OK, OK, OK),
}
TITLES = {NO: "Geen toegang", GONE: "Niet gevonden"}


def portal_login(gateway: str, username: str) -> requests.Session:
    browser = requests.Session()
    page = browser.get(f"{gateway}/inloggen", timeout=30).text
    csrf = re.search(r'name="csrf" value="([^"]+)"', page)
    assert csrf is not None
    form = {"csrf": csrf.group(1), "contract_year": "2026", "username": username, "password": DEMO_PASSWORD}
    answer = browser.post(f"{gateway}/inloggen", data=form, timeout=30, allow_redirects=False)
    assert answer.status_code == 302, answer.text[:300]
    return browser


@pytest.fixture(scope="module")
def items(platform: Any) -> dict[str, Any]:
    """Ids to fill in the pages, and VGZ's items that Menzis must never see."""
    gateway = platform.url
    menzis, vgz, maintainer = (api_session(gateway, n) for n in ("menzis-inkoper", "vgz-inkoper", "beheerder"))
    own = api(gateway, menzis, "GET", "/api/contracting/collections")[0]
    other = api(gateway, vgz, "GET", "/api/contracting/collections")[0]
    body = {"name": "Inkoper VGZ", "email": "inkoop@vgz.example", "description": "Alleen voor VGZ (rolmatrix)"}
    report = api(gateway, vgz, "POST", "/api/support/reports", json=body)
    condition = api(gateway, maintainer, "GET", "/api/catalogue/conditions")[0]
    institution = api(gateway, maintainer, "GET", "/api/catalogue/institutions", params={"country": "NL"})["items"][0]
    request = api(
        gateway,
        vgz,
        "POST",
        "/api/support/requests",
        json={
            "kind": "new_condition",
            "condition_name": "Rolmatrix-aandoening",
            "specialism_id": condition["specialism_id"],
            "institution_ids": [institution["id"]],
        },
    )
    import_id = str(uuid.uuid4())  # a checked-only import, for its progress page (JSON the bar polls)
    csv_headers = {**maintainer, "Content-Type": "text/csv"}
    csv = "agb_code,name,type,country\n22999990,Rolmatrix-kliniek,zbc,NL\n"  # checked only: nothing saved
    path = f"/api/catalogue/institutions/import?dry_run=true&import_id={import_id}"
    api(gateway, csv_headers, "POST", path, data=csv.encode())
    return {
        "import_id": import_id,
        "own": own["collection_id"],
        "vgz": other["collection_id"],
        "institution": institution["id"],
        "vgz_report": report["id"],
        "vgz_request": request["id"],
        "secrets": [report["number"], request["number"], other["collection_id"], "Alleen voor VGZ"],
    }


@pytest.mark.parametrize("role", range(len(ROLES)), ids=ROLES)
def test_every_portal_page_for_every_role_is_the_page_or_geen_toegang_never_another_insurers_data(
    gateway: str, items: dict[str, Any], role: int
) -> None:
    browser = portal_login(gateway, ROLES[role])
    wrong = []
    for template, expected in MATRIX.items():
        path = template.format(**items)
        answer = browser.get(gateway + path, timeout=60, allow_redirects=False)
        text = answer.text
        if answer.status_code != expected[role]:
            wrong.append((path, answer.status_code, expected[role]))
        elif expected[role] in TITLES and f"<h1>{TITLES[expected[role]]}</h1>" not in text:
            wrong.append((path, "no Dutch title", TITLES[expected[role]]))
        if role < 2 and any(secret in text for secret in items["secrets"]):
            wrong.append((path, "shows VGZ data", None))
    assert not wrong, f"{ROLES[role]}: {wrong}"
