"""Contractjaren for the platform admin against the fake gateway (issue 13): every insurer's years,
closing one (R3: a closed year stays as read-only history) and the rollover of every insurer with
its progress bar."""

from __future__ import annotations

from typing import Any

from tests.api.test_administration_pages import log_in_as
from tests.conftest import FakeGateway
from tests.fake_support import JOB


def test_r3_the_admin_sees_an_insurers_years_and_closes_one_only_after_ticking_it(
    portal: Any, gateway: FakeGateway
) -> None:
    csrf = log_in_as(portal, gateway, "platform_admin")
    page = portal.get("/beheer/contractjaren").get_data(as_text=True)
    assert "Verzekeraar A" in page and '<th scope="row">2026</th><td>open</td>' in page
    assert gateway.saw("GET", r"/api/contracting/years\?insurer_id=ins-1$")
    unticked = portal.post("/beheer/contractjaren/2026/sluiten", data={"csrf": csrf, "verzekeraar": "ins-1"})
    assert "vink eerst aan" in portal.get(unticked.headers["Location"]).get_data(as_text=True)
    assert gateway.saw("POST", "/close") == []
    portal.post("/beheer/contractjaren/2026/sluiten", data={"csrf": csrf, "verzekeraar": "ins-1", "bevestig": "ja"})
    assert gateway.saw("POST", r"/api/contracting/years/2026/close\?insurer_id=ins-1$")
    assert "Contractjaar 2026 is gesloten" in portal.get("/beheer/contractjaren").get_data(as_text=True)
    portal.post("/beheer/contractjaren/2025/sluiten", data={"csrf": csrf, "verzekeraar": "ins-1", "bevestig": "ja"})
    assert "Contractjaar 2025 is al gesloten." in portal.get("/beheer/contractjaren").get_data(as_text=True)


def test_r3_the_rollover_of_every_insurer_starts_and_its_progress_bar_polls_until_done(
    portal: Any, gateway: FakeGateway
) -> None:
    csrf = log_in_as(portal, gateway, "platform_admin")
    started = portal.post(
        "/beheer/contractjaren/jaarovergang", data={"csrf": csrf, "from_year": "2026", "insurer_id": ""}
    )
    assert started.status_code == 303 and started.headers["Location"].endswith(f"/jaarovergang/{JOB}")
    assert gateway.saw("POST", "/api/contracting/rollovers$")[0][2] == {"from_year": 2026, "insurer_id": None}
    running = portal.get(started.headers["Location"]).get_data(as_text=True)
    assert "alle verzekeraars" in running and 'value="40.0"' in running
    assert f'hx-get="/beheer/contractjaren/jaarovergang/{JOB}"' in running
    done = portal.get(started.headers["Location"], headers={"HX-Request": "true"}).get_data(as_text=True)
    assert "<h1>" not in done and "9 collecties overgenomen in 2027" in done and "hx-get" not in done


def test_r3_a_refused_rollover_and_a_missing_year_are_said_in_dutch(portal: Any, gateway: FakeGateway) -> None:
    csrf = log_in_as(portal, gateway, "platform_admin")
    empty = portal.post("/beheer/contractjaren/jaarovergang", data={"csrf": csrf, "from_year": ""})
    assert empty.status_code == 422 and "Van contractjaar: kies het jaar" in empty.get_data(as_text=True)
    refused = portal.post(
        "/beheer/contractjaren/jaarovergang", data={"csrf": csrf, "from_year": "2025", "insurer_id": "ins-1"}
    )
    assert refused.status_code == 409 and "Contractjaar 2026 bestaat al." in refused.get_data(as_text=True)


def test_a_maintainer_gets_geen_toegang_on_the_contract_years(portal: Any, gateway: FakeGateway) -> None:
    log_in_as(portal, gateway, "catalogue_maintainer")
    for path in ("/beheer/contractjaren", f"/beheer/contractjaren/jaarovergang/{JOB}"):
        answer = portal.get(path)
        assert answer.status_code == 403 and "Geen toegang" in answer.get_data(as_text=True)
    assert gateway.saw("GET", "/api/contracting/") == []
