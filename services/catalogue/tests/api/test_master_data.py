"""Groups, specialisms, conditions and offerings: life cycle, R11, retire cascades, bad input."""

from __future__ import annotations

import uuid

from catalogue_helpers import API, assert_error, institution_body

from servicekit.testing.outbox import outbox_events


def test_groups_life_cycle_and_duplicates(client, maintainer, insurer, make, runtime):
    group = make("/groups", {"name": "Treant Zorggroep"})
    assert group["kind"] == "hospital_organisation" and group["revision"] == 1
    make("/institutions", institution_body(group_id=group["id"], type="general_hospital"))
    listed = client.get(f"{API}/groups?name=treant", headers=insurer).json
    assert [g["open_institution_count"] for g in listed] == [1]
    renamed = client.patch(f"{API}/groups/{group['id']}", json={"name": "Treant", "kind": "other"}, headers=maintainer)
    assert renamed.status_code == 200 and renamed.json["revision"] == 2
    assert [e.data["revision"] for e in outbox_events(runtime.engine, "catalogue.group.changed")] == [1, 2]
    make("/groups", {"name": "Isala"})
    assert_error(client.post(f"{API}/groups", json={"name": "Isala"}, headers=maintainer), 409, field="name")
    assert_error(
        client.patch(f"{API}/groups/{group['id']}", json={"name": "Isala"}, headers=maintainer), 409, field="name"
    )
    assert_error(
        client.post(f"{API}/groups", json={"name": "X", "kind": "keten"}, headers=maintainer), 422, field="kind"
    )
    assert_error(client.post(f"{API}/groups", json={"name": " "}, headers=maintainer), 422, field="name")
    assert_error(client.patch(f"{API}/groups/{uuid.uuid4()}", json={"name": "Y"}, headers=maintainer), 404)


def test_specialisms_and_conditions_life_cycle(client, maintainer, insurer, make, runtime):
    eye = make("/specialisms", {"code": "0301", "name": "Oogheelkunde"})
    assert_error(
        client.post(f"{API}/specialisms", json={"code": "0301", "name": "Ogen"}, headers=maintainer), 409, field="code"
    )
    assert_error(
        client.post(f"{API}/specialisms", json={"code": "301", "name": "Ogen"}, headers=maintainer), 422, field="code"
    )
    renamed = client.patch(f"{API}/specialisms/{eye['id']}", json={"name": "Oogziekten"}, headers=maintainer)
    assert renamed.json["name"] == "Oogziekten" and renamed.json["revision"] == 2
    assert_error(
        client.patch(f"{API}/specialisms/{eye['id']}", json={"code": "0302"}, headers=maintainer), 422, field="code"
    )

    staar = make("/conditions", {"specialism_id": eye["id"], "name": "Staar"})
    assert_error(
        client.post(f"{API}/conditions", json={"specialism_id": eye["id"], "name": "Staar"}, headers=maintainer),
        409,
        field="name",
    )
    unknown = client.post(
        f"{API}/conditions", json={"specialism_id": str(uuid.uuid4()), "name": "Staar"}, headers=maintainer
    )
    assert_error(unknown, 422, field="specialism_id", text="bestaat niet")
    renamed = client.patch(f"{API}/conditions/{staar['id']}", json={"name": "Cataract-operatie"}, headers=maintainer)
    assert renamed.status_code == 200 and renamed.json["revision"] == 2
    assert [c["name"] for c in client.get(f"{API}/conditions?specialism_id={eye['id']}", headers=insurer).json] == [
        "Cataract-operatie"
    ]

    retired = client.post(f"{API}/conditions/{staar['id']}/retire", headers=maintainer)
    assert retired.json["retired"] is True
    assert_error(client.post(f"{API}/conditions/{staar['id']}/retire", headers=maintainer), 409)
    assert_error(client.patch(f"{API}/conditions/{staar['id']}", json={"name": "Z"}, headers=maintainer), 409)
    assert_error(client.post(f"{API}/conditions/{uuid.uuid4()}/retire", headers=maintainer), 404)
    types = [e.type for e in outbox_events(runtime.engine)]
    assert types == [
        "catalogue.specialism.added",
        "catalogue.specialism.renamed",
        "catalogue.condition.added",
        "catalogue.condition.renamed",
        "catalogue.condition.retired",
    ]


def _setup_offering(make):  # type: ignore[no-untyped-def]
    eye = make("/specialisms", {"code": "0301", "name": "Oogheelkunde"})
    ortho = make("/specialisms", {"code": "0305", "name": "Orthopedie"})
    staar = make("/conditions", {"specialism_id": eye["id"], "name": "Cataract-operatie"})
    glaucoom = make("/conditions", {"specialism_id": eye["id"], "name": "Glaucoom"})
    knie = make("/conditions", {"specialism_id": ortho["id"], "name": "Knie-artroscopie"})
    return eye, ortho, staar, glaucoom, knie


def test_offering_is_replaced_whole_and_published(client, maintainer, insurer, make, runtime):
    eye, ortho, staar, glaucoom, knie = _setup_offering(make)
    clinic = make("/institutions", institution_body())
    url = f"{API}/institutions/{clinic['id']}/offering"
    put = client.put(
        url,
        json={"specialism_ids": [eye["id"], ortho["id"]], "condition_ids": [staar["id"], knie["id"]]},
        headers=maintainer,
    )
    assert put.status_code == 200, put.json
    assert put.json["revision"] == 1 and {s["code"] for s in put.json["specialisms"]} == {"0301", "0305"}
    same = client.put(
        url,
        json={"specialism_ids": [ortho["id"], eye["id"]], "condition_ids": [knie["id"], staar["id"]]},
        headers=maintainer,
    )
    assert same.json["revision"] == 1  # unchanged: no new revision, no event
    client.put(url, json={"specialism_ids": [eye["id"]], "condition_ids": [glaucoom["id"]]}, headers=maintainer)
    got = client.get(url, headers=insurer).json
    assert got["revision"] == 2 and got["condition_ids"] == [glaucoom["id"]]
    published = outbox_events(runtime.engine, "catalogue.offering.changed")
    assert [e.data["revision"] for e in published] == [1, 2]
    assert published[-1].data == {
        "institution_id": clinic["id"],
        "revision": 2,
        "specialism_ids": [eye["id"]],
        "condition_ids": [glaucoom["id"]],
    }


def test_offering_bad_input(client, maintainer, make):
    eye, _ortho, _staar, _glaucoom, knie = _setup_offering(make)
    clinic = make("/institutions", institution_body())
    url = f"{API}/institutions/{clinic['id']}/offering"
    unknown = client.put(url, json={"specialism_ids": [str(uuid.uuid4())]}, headers=maintainer)
    assert_error(unknown, 422, field="specialism_ids", text="Onbekend specialisme")
    unknown_condition = client.put(
        url, json={"specialism_ids": [eye["id"]], "condition_ids": [str(uuid.uuid4())]}, headers=maintainer
    )
    assert_error(unknown_condition, 422, field="condition_ids")
    wrong_parent = client.put(
        url, json={"specialism_ids": [eye["id"]], "condition_ids": [knie["id"]]}, headers=maintainer
    )
    assert_error(wrong_parent, 422, field="condition_ids", text="niet in het aanbod")
    assert_error(client.put(url, json={"specialism_ids": ["oog"]}, headers=maintainer), 422, field="specialism_ids")
    assert_error(
        client.put(f"{API}/institutions/{uuid.uuid4()}/offering", json={"specialism_ids": []}, headers=maintainer), 404
    )
    client.post(f"{API}/institutions/{clinic['id']}/close", json={}, headers=maintainer)
    assert_error(client.put(url, json={"specialism_ids": [eye["id"]]}, headers=maintainer), 409, text="gesloten")


def test_r11_foreign_hospitals_have_no_offering(client, maintainer, make, runtime):
    eye, *_ = _setup_offering(make)
    vesalius = make(
        "/institutions", institution_body(name="AZ Vesalius", type="foreign_hospital", country="BE", city="Tongeren")
    )
    response = client.put(
        f"{API}/institutions/{vesalius['id']}/offering", json={"specialism_ids": [eye["id"]]}, headers=maintainer
    )
    assert_error(response, 422, field="institution_id", text="R11")
    assert outbox_events(runtime.engine, "catalogue.offering.changed") == []
    clinic = make("/institutions", institution_body())
    client.put(f"{API}/institutions/{clinic['id']}/offering", json={"specialism_ids": [eye["id"]]}, headers=maintainer)
    becoming_foreign = client.patch(
        f"{API}/institutions/{clinic['id']}", json={"type": "foreign_hospital", "country": "DE"}, headers=maintainer
    )
    assert_error(becoming_foreign, 422, field="type", text="R11")


def test_retiring_a_specialism_cascades_to_its_conditions_and_offerings(client, maintainer, make, runtime):
    eye, ortho, staar, glaucoom, knie = _setup_offering(make)
    clinics = [make("/institutions", institution_body()) for _ in range(3)]
    for clinic in clinics:
        body = {"specialism_ids": [eye["id"], ortho["id"]], "condition_ids": [staar["id"], knie["id"]]}
        assert (
            client.put(f"{API}/institutions/{clinic['id']}/offering", json=body, headers=maintainer).status_code == 200
        )
    retired = client.post(f"{API}/specialisms/{eye['id']}/retire", headers=maintainer)
    assert retired.status_code == 200 and retired.json["retired"] is True
    for clinic in clinics:
        offering = client.get(f"{API}/institutions/{clinic['id']}/offering", headers=maintainer).json
        assert (
            offering["specialism_ids"] == [ortho["id"]]
            and offering["condition_ids"] == [knie["id"]]
            and offering["revision"] == 2
        )
    assert {e.data["condition_id"] for e in outbox_events(runtime.engine, "catalogue.condition.retired")} == {
        staar["id"],
        glaucoom["id"],
    }
    assert len(outbox_events(runtime.engine, "catalogue.specialism.retired")) == 1
    assert_error(client.post(f"{API}/specialisms/{eye['id']}/retire", headers=maintainer), 409)
    assert_error(client.patch(f"{API}/specialisms/{eye['id']}", json={"name": "X"}, headers=maintainer), 409)
    retired_use = client.put(
        f"{API}/institutions/{clinics[0]['id']}/offering", json={"specialism_ids": [eye["id"]]}, headers=maintainer
    )
    assert_error(retired_use, 422, field="specialism_ids", text="vervallen")
    assert_error(
        client.post(f"{API}/conditions", json={"specialism_id": eye["id"], "name": "Nieuw"}, headers=maintainer),
        422,
        field="specialism_id",
    )
    assert [s["code"] for s in client.get(f"{API}/specialisms", headers=maintainer).json] == ["0305"]
    assert len(client.get(f"{API}/specialisms?include_retired=true", headers=maintainer).json) == 2


def test_a_group_is_retired_only_when_no_open_institution_is_left_in_it(client, maintainer, insurer, make, runtime):
    group = make("/groups", {"name": "Zorggroep Oost"})
    kept = make("/institutions", institution_body(group_id=group["id"], name="Ziekenhuis Oost"))
    refused = assert_error(client.post(f"{API}/groups/{group['id']}/retire", headers=maintainer), 409)
    assert refused["message"].startswith("Groep Zorggroep Oost heeft nog 1 open instelling(en)")
    assert outbox_events(runtime.engine, "catalogue.group.retired") == []
    closed = client.post(f"{API}/institutions/{kept['id']}/close", json={"closed_on": "2026-06-30"}, headers=maintainer)
    assert closed.status_code == 200, closed.json
    assert client.post(f"{API}/groups/{group['id']}/retire", headers=insurer).status_code == 403
    retired = client.post(f"{API}/groups/{group['id']}/retire", headers=maintainer)
    assert retired.status_code == 200 and retired.json["retired"] is True and retired.json["revision"] == 2
    assert [e.data for e in outbox_events(runtime.engine, "catalogue.group.retired")] == [
        {"group_id": group["id"], "revision": 2}
    ]
    # the closed institution keeps its group (history); the listing leaves it out unless asked
    assert client.get(f"{API}/institutions/{kept['id']}", headers=maintainer).json["group_id"] == group["id"]
    assert group["id"] not in {g["id"] for g in client.get(f"{API}/groups", headers=insurer).json}
    every = client.get(f"{API}/groups?include_retired=true", headers=maintainer).json
    assert [g["retired"] for g in every if g["id"] == group["id"]] == [True]
    # final: no second retirement, no rename, not given to an institution any more
    assert_error(client.post(f"{API}/groups/{group['id']}/retire", headers=maintainer), 409, text="al vervallen")
    renamed = client.patch(f"{API}/groups/{group['id']}", json={"name": "Oost"}, headers=maintainer)
    assert_error(renamed, 409, text="vervallen")
    new = client.post(f"{API}/institutions", json=institution_body(group_id=group["id"]), headers=maintainer)
    assert_error(new, 422, field="group_id", text="is vervallen")
    assert_error(client.post(f"{API}/groups/{uuid.uuid4()}/retire", headers=maintainer), 404)


def test_an_institution_moved_out_of_the_group_lets_it_be_retired(client, maintainer, make):
    group, other = make("/groups", {"name": "Fusiegroep"}), make("/groups", {"name": "Nieuwe groep"})
    member = make("/institutions", institution_body(group_id=group["id"]))
    moved = client.patch(f"{API}/institutions/{member['id']}", json={"group_id": other["id"]}, headers=maintainer)
    assert moved.status_code == 200, moved.json
    assert client.post(f"{API}/groups/{group['id']}/retire", headers=maintainer).status_code == 200
