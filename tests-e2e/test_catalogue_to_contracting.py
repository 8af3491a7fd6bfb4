"""Catalogue changes reach every insurer's contracting through RabbitMQ, without re-entering data (R16).

GIVEN the platform with demo data, WHEN a catalogue maintainer changes master data through the API,
THEN within seconds the insurers' collections of the open years follow, and closed years keep history.
"""

from __future__ import annotations

import uuid
from typing import Any

import requests
from helpers import login

from servicekit.testing import wait_for

CATALOGUE = "/api/catalogue"
CONTRACTING = "/api/contracting"


def get(http: requests.Session, url: str, headers: dict[str, str], **params: Any) -> Any:
    response = http.get(url, headers=headers, params=params, timeout=15)
    assert response.status_code == 200, response.text
    return response.json()


def first_institution(
    http: requests.Session, gateway: str, maintainer: dict[str, str], **filters: Any
) -> dict[str, Any]:
    page = get(http, f"{gateway}{CATALOGUE}/institutions", maintainer, status="open", page_size=50, **filters)
    assert page["items"], f"the demo catalogue has no open institution for {filters}"
    return page["items"][-1]


def collection_row(
    http: requests.Session, gateway: str, session: dict[str, str], collection_id: str, agb_code: str
) -> Any:
    page = get(http, f"{gateway}{CONTRACTING}/collections/{collection_id}/institutions", session, agb_code=agb_code)
    return page["items"][0] if page["items"] else None


def test_r16_a_condition_added_to_an_offering_appears_in_an_insurer_collection_with_the_default_status(
    gateway: str, http: requests.Session
) -> None:
    maintainer = login(gateway, "beheerder")
    insurer = login(gateway, "vgz-inkoper")
    hospital = first_institution(http, gateway, maintainer, type="general_hospital")
    offering = get(http, f"{gateway}{CATALOGUE}/institutions/{hospital['id']}/offering", maintainer)
    specialism_id = offering["specialism_ids"][0]
    collection = get(http, f"{gateway}{CONTRACTING}/collections", insurer)[0]
    wait_for(
        lambda: collection_row(http, gateway, insurer, collection["collection_id"], hospital["agb_code"]),
        timeout=60,
        message="the demo hospital in the insurer's collection",
    )
    departments_url = (
        f"{gateway}{CONTRACTING}/collections/{collection['collection_id']}/institutions/{hospital['id']}/departments"
    )
    department = wait_for(
        lambda: next(
            (
                d
                for d in get(http, departments_url, insurer, page_size=200)["items"]
                if d["specialism_id"] == specialism_id
            ),
            None,
        ),
        timeout=60,
        message="the hospital's department in the insurer's collection",
    )

    # WHEN the maintainer adds a new condition and puts it in the hospital's offering
    name = f"E2E-behandeling {uuid.uuid4().hex[:8]}"
    created = http.post(
        f"{gateway}{CATALOGUE}/conditions",
        json={"specialism_id": specialism_id, "name": name},
        headers=maintainer,
        timeout=15,
    )
    assert created.status_code == 201, created.text
    condition_id = created.json()["id"]
    changed = http.put(
        f"{gateway}{CATALOGUE}/institutions/{hospital['id']}/offering",
        json={
            "specialism_ids": offering["specialism_ids"],
            "condition_ids": [*offering["condition_ids"], condition_id],
        },
        headers=maintainer,
        timeout=15,
    )
    assert changed.status_code == 200, changed.text

    # THEN it appears under that department in the insurer's collection, marked new, with the default status
    conditions_url = f"{departments_url}/{specialism_id}/conditions"
    rows = wait_for(
        lambda: get(http, conditions_url, insurer, name=name)["items"],
        timeout=30,
        message="the new condition in the insurer's collection",
    )
    assert len(rows) == 1
    expected = "FULL" if department["status"] == "FULL" else "NOT_CONTRACTED"
    assert rows[0]["condition_id"] == condition_id
    assert rows[0]["status"] == expected
    assert rows[0]["is_new"] is True


def test_r16_a_closed_institution_leaves_the_open_year_and_stays_in_last_year(
    gateway: str, http: requests.Session
) -> None:
    maintainer = login(gateway, "beheerder")
    admin_2026 = login(gateway, "cz-admin", year=2026)
    clinic = first_institution(http, gateway, maintainer, type="zbc")
    last_year = get(http, f"{gateway}{CONTRACTING}/collections", admin_2026)[0]
    wait_for(
        lambda: collection_row(http, gateway, admin_2026, last_year["collection_id"], clinic["agb_code"]),
        timeout=60,
        message="the demo clinic in the 2026 collection",
    )

    # GIVEN 2027 opened from 2026 (R3) and 2026 closed
    job = http.post(f"{gateway}{CONTRACTING}/rollovers", json={"from_year": 2026}, headers=admin_2026, timeout=15)
    assert job.status_code == 202, job.text
    job_url = f"{gateway}{CONTRACTING}/rollovers/{job.json()['job_id']}"
    done = wait_for(
        lambda: (state := get(http, job_url, admin_2026))["state"] in ("done", "failed") and state,
        timeout=120,
        message="the rollover job",
    )
    assert done["state"] == "done" and done["percent"] == 100
    closed = http.post(f"{gateway}{CONTRACTING}/years/2026/close", headers=admin_2026, timeout=15)
    assert closed.status_code in (200, 204), closed.text
    admin_2027 = login(gateway, "cz-admin", year=2027)
    this_year = next(
        c for c in get(http, f"{gateway}{CONTRACTING}/collections", admin_2027) if c["name"] == last_year["name"]
    )
    assert collection_row(http, gateway, admin_2027, this_year["collection_id"], clinic["agb_code"])

    # WHEN the maintainer closes the clinic
    response = http.post(
        f"{gateway}{CATALOGUE}/institutions/{clinic['id']}/close", json={}, headers=maintainer, timeout=15
    )
    assert response.status_code == 200, response.text

    # THEN it leaves the open year's listing, and last year's still shows it
    wait_for(
        lambda: collection_row(http, gateway, admin_2027, this_year["collection_id"], clinic["agb_code"]) is None,
        timeout=30,
        message="the closed clinic gone from the 2027 collection",
    )
    assert collection_row(http, gateway, admin_2026, last_year["collection_id"], clinic["agb_code"])
