"""Insurers (tenants): platform admins register and rename them; everyone logged in reads them."""

from __future__ import annotations

import uuid

from identity.service_layer.handlers import insurer_id_for
from servicekit.testing.outbox import outbox_events
from tests.api.test_sessions import assert_error


def test_demo_insurers_have_deterministic_ids(portal) -> None:
    listed = portal.client.get("/api/identity/insurers", headers=portal.as_user("zk-inkoper")).json
    assert {i["slug"]: i["id"] for i in listed} == {
        slug: str(uuid.uuid5(uuid.NAMESPACE_URL, "zcp:insurer:" + slug))
        for slug in ("zilverenkruis", "menzis", "vgz", "cz")
    }
    assert {i["name"] for i in listed} == {"Zilveren Kruis", "Menzis", "VGZ", "CZ"}


def test_the_platform_admin_registers_and_renames_an_insurer(portal, runtime) -> None:
    platform = portal.as_user("platform")
    created = portal.client.post(
        "/api/identity/insurers", json={"slug": "DSW", "name": " DSW  Zorgverzekeraar "}, headers=platform
    )
    assert created.status_code == 201, created.json
    assert created.json == {"id": insurer_id_for("dsw"), "slug": "dsw", "name": "DSW Zorgverzekeraar"}
    renamed = portal.client.patch(
        f"/api/identity/insurers/{created.json['id']}", json={"name": "DSW"}, headers=platform
    )
    assert renamed.status_code == 200
    assert renamed.json["name"] == "DSW"
    # renaming to the same name is no event
    assert (
        portal.client.patch(
            f"/api/identity/insurers/{created.json['id']}", json={"name": "DSW"}, headers=platform
        ).status_code
        == 200
    )
    assert portal.client.get(f"/api/identity/insurers/{created.json['id']}", headers=platform).json["name"] == "DSW"
    registered = [e.data for e in outbox_events(runtime.engine, "identity.insurer.registered")]
    assert {"insurer_id": insurer_id_for("dsw"), "name": "DSW Zorgverzekeraar"} in registered
    assert [e.data for e in outbox_events(runtime.engine, "identity.insurer.renamed")] == [
        {"insurer_id": insurer_id_for("dsw"), "name": "DSW"}
    ]


def test_insurer_input_is_checked(portal) -> None:
    platform = portal.as_user("platform")
    post = portal.client.post
    assert (
        "slug"
        in assert_error(post("/api/identity/insurers", json={"slug": "a b!", "name": "X"}, headers=platform), 422)[
            "errors"
        ]
    )
    assert (
        "slug"
        in assert_error(
            post("/api/identity/insurers", json={"slug": "menzis", "name": "Nieuw"}, headers=platform), 409
        )["errors"]
    )
    assert (
        "name"
        in assert_error(
            post("/api/identity/insurers", json={"slug": "nieuw", "name": "Menzis"}, headers=platform), 409
        )["errors"]
    )
    assert (
        "name" in assert_error(post("/api/identity/insurers", json={"slug": "nieuw"}, headers=platform), 422)["errors"]
    )
    assert (
        "name"
        in assert_error(post("/api/identity/insurers", json={"slug": "nieuw", "name": "   "}, headers=platform), 422)[
            "errors"
        ]
    )
    menzis = insurer_id_for("menzis")
    assert (
        "name"
        in assert_error(
            portal.client.patch(f"/api/identity/insurers/{menzis}", json={"name": "CZ"}, headers=platform), 409
        )["errors"]
    )
    assert_error(
        portal.client.patch(f"/api/identity/insurers/{uuid.uuid4()}", json={"name": "X"}, headers=platform), 404
    )
    assert_error(portal.client.get(f"/api/identity/insurers/{uuid.uuid4()}", headers=platform), 404)


def test_only_platform_admins_change_insurers(portal) -> None:
    menzis = insurer_id_for("menzis")
    for username in ("zk-admin", "zk-inkoper", "beheerder"):
        headers = portal.as_user(username)
        assert_error(
            portal.client.post("/api/identity/insurers", json={"slug": "x-y", "name": "X"}, headers=headers), 403
        )
        assert_error(
            portal.client.patch(f"/api/identity/insurers/{menzis}", json={"name": "Gekaapt"}, headers=headers), 403
        )
    assert_error(portal.client.get("/api/identity/insurers"), 401)
