"""Issue 16 items 4, 5, 9 on the catalogue's operations: 4xx with a flat Dutch body, never a 500."""

from __future__ import annotations

from catalogue_helpers import API, assert_error, institution_body


def test_control_characters_in_master_data_are_refused_naming_the_field(client, maintainer) -> None:  # type: ignore[no-untyped-def]
    for name in ("Ziekenhuis\x00", "Ziekenhuis \x1b[1mVet\x1b[0m", "Twee\nregels"):
        response = client.post(f"{API}/institutions", json=institution_body(name=name), headers=maintainer)
        assert_error(response, 422, field="name", text="stuurtekens")


def test_search_refuses_nul_and_unbounded_pages(client, insurer) -> None:  # type: ignore[no-untyped-def]
    assert_error(client.get(f"{API}/institutions?name=a%00b", headers=insurer), 422, field="name")
    assert_error(client.get(f"{API}/institutions?page=99999999999", headers=insurer), 422, field="page")


def test_a_write_that_is_not_json_gets_415_and_a_read_is_not_stored(client, maintainer) -> None:  # type: ignore[no-untyped-def]
    response = client.post(
        f"{API}/groups", data="name=X", content_type="application/x-www-form-urlencoded", headers=maintainer
    )
    assert_error(response, 415, field="Content-Type")
    listing = client.get(f"{API}/groups", headers=maintainer)
    assert listing.headers["Cache-Control"] == "no-store"
    assert listing.headers["X-Content-Type-Options"] == "nosniff"
