"""Institutions: register, change, close, merge — and every kind of bad input (4xx, common error body)."""

from __future__ import annotations

import uuid

from catalogue_helpers import API, agb, assert_error, institution_body

from servicekit.testing.outbox import outbox_events


def test_life_cycle_register_change_close(client, maintainer, insurer, make, runtime):
    group = make("/groups", {"name": "Isala", "kind": "hospital_organisation"})
    created = make(
        "/institutions",
        institution_body(
            agb_code="6990123",
            name="Isala Zwolle",
            type="top_clinical_hospital",
            group_id=group["id"],
            postcode="8025ab",
            email="info@isala.example",
            phone="038 424 5000",
            opened_on="1998-01-01",
        ),
    )
    assert created["agb_code"] == "06990123"  # leading zero restored
    assert created["postcode"] == "8025 AB" and created["group_name"] == "Isala" and created["revision"] == 1

    got = client.get(f"{API}/institutions/{created['id']}", headers=insurer)
    assert got.status_code == 200 and got.json["name"] == "Isala Zwolle"

    changed = client.patch(
        f"{API}/institutions/{created['id']}",
        json={"name": "Isala Zwolle (hoofdlocatie)", "city": None},
        headers=maintainer,
    )
    assert changed.status_code == 200, changed.json
    assert changed.json["revision"] == 2 and changed.json["city"] is None and changed.json["postcode"] == "8025 AB"

    same = client.patch(
        f"{API}/institutions/{created['id']}", json={"name": "Isala Zwolle (hoofdlocatie)"}, headers=maintainer
    )
    assert same.json["revision"] == 2  # no change, no event

    closed = client.post(
        f"{API}/institutions/{created['id']}/close", json={"closed_on": "2026-12-31"}, headers=maintainer
    )
    assert closed.status_code == 200 and closed.json["status"] == "closed" and closed.json["revision"] == 3

    types = [e.type for e in outbox_events(runtime.engine) if e.type.startswith("catalogue.institution")]
    assert types == [
        "catalogue.institution.registered",
        "catalogue.institution.changed",
        "catalogue.institution.closed",
    ]

    again = client.post(f"{API}/institutions/{created['id']}/close", json={}, headers=maintainer)
    assert_error(again, 409, text="al gesloten")


def test_merge_closes_the_merged_away_institution(client, maintainer, make, runtime):
    kennemer = make("/institutions", institution_body(name="Kennemer Gasthuis", type="general_hospital"))
    spaarne = make("/institutions", institution_body(name="Spaarne Gasthuis", type="top_clinical_hospital"))
    merged = client.post(
        f"{API}/institutions/{kennemer['id']}/merge",
        json={"into_institution_id": spaarne["id"], "closed_on": "2015-01-01"},
        headers=maintainer,
    )
    assert merged.status_code == 200, merged.json
    assert merged.json["merged_into_id"] == spaarne["id"] and merged.json["closed_on"] == "2015-01-01"
    [event] = outbox_events(runtime.engine, "catalogue.institution.merged")
    assert event.data == {
        "institution_id": kennemer["id"],
        "revision": 2,
        "into_institution_id": spaarne["id"],
        "closed_on": "2015-01-01",
    }

    itself = client.post(
        f"{API}/institutions/{spaarne['id']}/merge", json={"into_institution_id": spaarne["id"]}, headers=maintainer
    )
    assert_error(itself, 422, field="into_institution_id")
    into_closed = client.post(
        f"{API}/institutions/{spaarne['id']}/merge", json={"into_institution_id": kennemer["id"]}, headers=maintainer
    )
    assert_error(into_closed, 422, field="into_institution_id", text="gesloten")
    unknown = client.post(
        f"{API}/institutions/{spaarne['id']}/merge", json={"into_institution_id": str(uuid.uuid4())}, headers=maintainer
    )
    assert_error(unknown, 422, field="into_institution_id", text="bestaat niet")


def test_malformed_agb_codes_are_refused(client, maintainer):
    for bad in ("123", "123456789", "0699A001", "", "06 99 0001"):
        response = client.post(f"{API}/institutions", json=institution_body(agb_code=bad), headers=maintainer)
        assert_error(response, 422, field="agb_code", text="8 cijfers")


def test_duplicate_agb_code_is_a_conflict_also_after_normalising(client, maintainer, make):
    make("/institutions", institution_body(agb_code="06970001"))
    response = client.post(f"{API}/institutions", json=institution_body(agb_code="6970001"), headers=maintainer)
    assert_error(response, 409, field="agb_code", text="al in gebruik")
    other = make("/institutions", institution_body())
    patch = client.patch(f"{API}/institutions/{other['id']}", json={"agb_code": "06970001"}, headers=maintainer)
    assert_error(patch, 409, field="agb_code")


def test_unknown_type_country_and_group_are_refused(client, maintainer):
    assert_error(
        client.post(f"{API}/institutions", json=institution_body(type="hospital"), headers=maintainer),
        422,
        field="type",
    )
    assert_error(
        client.post(f"{API}/institutions", json=institution_body(country="FR"), headers=maintainer),
        422,
        field="country",
    )
    unknown_group = client.post(
        f"{API}/institutions", json=institution_body(group_id=str(uuid.uuid4())), headers=maintainer
    )
    assert_error(unknown_group, 422, field="group_id", text="bestaat niet")
    not_a_uuid = client.post(f"{API}/institutions", json=institution_body(group_id="isala"), headers=maintainer)
    assert_error(not_a_uuid, 422, field="group_id")


def test_type_and_country_must_agree(client, maintainer):
    nl_foreign = client.post(
        f"{API}/institutions", json=institution_body(type="foreign_hospital", country="NL"), headers=maintainer
    )
    assert_error(nl_foreign, 422, field="country")
    be_zbc = client.post(f"{API}/institutions", json=institution_body(type="zbc", country="BE"), headers=maintainer)
    assert_error(be_zbc, 422, field="type")


def test_other_bad_fields_are_each_named(client, maintainer):
    body = institution_body(
        name="  ", postcode="12345", email="geen-mail", phone="abc", opened_on="31-12-2020", extra="x"
    )
    response = client.post(f"{API}/institutions", json=body, headers=maintainer)
    errors = assert_error(response, 422)["errors"]
    assert {"opened_on", "extra"} <= set(errors)  # schema-level problems first
    body.pop("extra"), body.pop("opened_on")
    errors = assert_error(client.post(f"{API}/institutions", json=body, headers=maintainer), 422)["errors"]
    assert {"name", "postcode", "email", "phone"} <= set(errors)


def test_closing_before_opening_and_unknown_institutions(client, maintainer, make):
    created = make("/institutions", institution_body(opened_on="2020-01-01"))
    early = client.post(
        f"{API}/institutions/{created['id']}/close", json={"closed_on": "2019-12-31"}, headers=maintainer
    )
    assert_error(early, 422, field="closed_on")
    missing = str(uuid.uuid4())
    assert_error(
        client.post(f"{API}/institutions/{missing}/close", json={}, headers=maintainer), 404, text="bestaat niet"
    )
    assert_error(client.patch(f"{API}/institutions/{missing}", json={"name": "X"}, headers=maintainer), 404)
    assert_error(
        client.post(
            f"{API}/institutions/{missing}/merge", json={"into_institution_id": created["id"]}, headers=maintainer
        ),
        404,
    )
    assert_error(client.get(f"{API}/institutions/{missing}", headers=maintainer), 404)
    assert_error(client.post(f"{API}/institutions/not-a-uuid/close", json={}, headers=maintainer), 404)


def test_nothing_is_written_when_a_write_fails(client, maintainer, runtime):
    before = len(outbox_events(runtime.engine))
    client.post(f"{API}/institutions", json=institution_body(group_id=str(uuid.uuid4())), headers=maintainer)
    assert len(outbox_events(runtime.engine)) == before
    assert client.get(f"{API}/institutions", headers=maintainer).json["total"] == 0


def test_insurers_can_read_but_never_write(client, insurer, identity_keys, make):
    created = make("/institutions", institution_body())
    assert client.get(f"{API}/institutions", headers=insurer).status_code == 200
    consumer = identity_keys.headers(roles=("publication_consumer",), kind="api_client")
    assert client.get(f"{API}/institutions/{created['id']}", headers=consumer).status_code == 200
    admin = identity_keys.headers(roles=("insurer_admin",))
    writes = [
        ("post", "/institutions", institution_body()),
        ("patch", f"/institutions/{created['id']}", {"name": "X"}),
        ("post", f"/institutions/{created['id']}/close", {}),
        ("post", f"/institutions/{created['id']}/merge", {"into_institution_id": created["id"]}),
        ("put", f"/institutions/{created['id']}/offering", {"specialism_ids": []}),
        ("post", "/groups", {"name": "G"}),
        ("post", "/specialisms", {"code": "0301", "name": "Oogheelkunde"}),
        ("post", "/conditions", {"specialism_id": str(uuid.uuid4()), "name": "Staar"}),
        ("post", "/institutions/import", None),
    ]
    for method, path, body in writes:
        for headers in (insurer, admin):
            assert_error(getattr(client, method)(f"{API}{path}", json=body, headers=headers), 403)
        assert_error(getattr(client, method)(f"{API}{path}", json=body), 401)


def test_anonymous_cannot_read(client):
    for path in ("/institutions", "/groups", "/specialisms", "/conditions", "/institutions/export"):
        assert_error(client.get(f"{API}{path}"), 401)


def test_platform_admin_may_write(client, identity_keys):
    response = client.post(
        f"{API}/institutions",
        json=institution_body(agb_code=agb()),
        headers=identity_keys.headers(roles=("platform_admin",)),
    )
    assert response.status_code == 201
