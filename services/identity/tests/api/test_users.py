"""Users: life cycle, self-service, and tenant isolation on every user-management endpoint."""

from __future__ import annotations

import uuid

import pytest

from identity.service_layer.handlers import insurer_id_for
from tests.api.test_sessions import assert_error

ZK = insurer_id_for("zilverenkruis")
MENZIS = insurer_id_for("menzis")


def user_id(portal, username: str) -> str:
    return str(portal.login(username).json["user"]["id"])


@pytest.fixture
def zk_admin(portal) -> dict[str, str]:
    return portal.as_user("zk-admin")


@pytest.fixture
def platform(portal) -> dict[str, str]:
    return portal.as_user("platform")


# --- life cycle -----------------------------------------------------------------------------------------


def test_an_insurer_admin_manages_a_user_of_its_own_insurer(portal, zk_admin) -> None:
    client = portal.client
    created = client.post(
        "/api/identity/users",
        json={
            "username": "ZK-Nieuw",
            "display_name": "Nieuwe  Inkoper",
            "role": "insurer_user",
            "password": "Start1234",
        },
        headers=zk_admin,
    )
    assert created.status_code == 201, created.json
    user = created.json
    assert user["username"] == "zk-nieuw@zilverenkruis"  # inside the insurer's own namespace
    assert user["display_name"] == "Nieuwe Inkoper"
    assert user["insurer"] == {"id": ZK, "name": "Zilveren Kruis"}  # defaults to the admin's own insurer
    assert user["must_change_password"] is True
    assert user["active"] is True
    assert "password" not in user

    listed = client.get("/api/identity/users", headers=zk_admin).json
    assert {u["username"] for u in listed} == {"zk-admin", "zk-inkoper", "zk-nieuw@zilverenkruis"}
    assert client.get(f"/api/identity/users/{user['id']}", headers=zk_admin).json["username"] == user["username"]

    patched = client.patch(
        f"/api/identity/users/{user['id']}",
        json={"display_name": "Teamlead", "role": "insurer_admin"},
        headers=zk_admin,
    )
    assert patched.status_code == 200, patched.json
    assert patched.json["role"] == "insurer_admin"
    assert patched.json["roles"] == ["insurer_admin", "insurer_user"]

    # first login: a new password must be chosen
    assert_error(portal.login(user["username"], password="Start1234"), 403)
    assert portal.login(user["username"], password="Start1234", new_password="Eigen2026x").status_code == 201

    assert (
        client.post(
            f"/api/identity/users/{user['id']}/password-reset", json={"new_password": "Reset2026x"}, headers=zk_admin
        ).status_code
        == 204
    )
    assert client.get(f"/api/identity/users/{user['id']}", headers=zk_admin).json["must_change_password"] is True

    deactivated = client.post(f"/api/identity/users/{user['id']}/deactivation", headers=zk_admin)
    assert deactivated.status_code == 200
    assert deactivated.json["active"] is False
    assert deactivated.json["deactivated_at"]
    active_only = client.get("/api/identity/users?active=true", headers=zk_admin).json
    assert user["username"] not in {u["username"] for u in active_only}


def test_deactivation_ends_the_users_sessions_at_once(portal, zk_admin) -> None:
    token = portal.token("zk-inkoper")
    target = user_id(portal, "zk-inkoper")
    assert portal.client.post(f"/api/identity/users/{target}/deactivation", headers=zk_admin).status_code == 200
    assert_error(portal.check(token), 401)
    # deactivating again changes nothing
    assert portal.client.post(f"/api/identity/users/{target}/deactivation", headers=zk_admin).status_code == 200


def test_nobody_deactivates_or_demotes_themselves(portal, zk_admin) -> None:
    me = user_id(portal, "zk-admin")
    assert_error(portal.client.post(f"/api/identity/users/{me}/deactivation", headers=zk_admin), 409)
    assert_error(portal.client.patch(f"/api/identity/users/{me}", json={"role": "insurer_user"}, headers=zk_admin), 409)


def test_a_role_change_ends_the_users_sessions(portal, zk_admin) -> None:
    token = portal.token("zk-inkoper")
    target = user_id(portal, "zk-inkoper")
    assert (
        portal.client.patch(
            f"/api/identity/users/{target}", json={"role": "insurer_admin"}, headers=zk_admin
        ).status_code
        == 200
    )
    assert_error(portal.check(token), 401)


def test_the_platform_admin_manages_users_of_every_kind(portal, platform) -> None:
    client = portal.client
    everyone = client.get("/api/identity/users", headers=platform).json
    assert {"zk-admin", "menzis-inkoper", "beheerder", "platform"} <= {u["username"] for u in everyone}
    menzis_only = client.get(f"/api/identity/users?insurer_id={MENZIS}", headers=platform).json
    assert {u["username"] for u in menzis_only} == {"menzis-admin", "menzis-inkoper"}
    for body in (
        {
            "username": "mediquest-2",
            "display_name": "Tweede beheerder",
            "role": "catalogue_maintainer",
            "password": "Start1234",
        },
        {
            "username": "ops-2",
            "display_name": "Tweede platformbeheerder",
            "role": "platform_admin",
            "password": "Start1234",
        },
        {
            "username": "menzis-3",
            "display_name": "Derde Menzis",
            "role": "insurer_user",
            "insurer_id": MENZIS,
            "password": "Start1234",
        },
    ):
        response = client.post("/api/identity/users", json=body, headers=platform)
        assert response.status_code == 201, response.json
    menzis_user = user_id(portal, "menzis-inkoper")
    assert (
        client.post(
            f"/api/identity/users/{menzis_user}/password-reset", json={"new_password": "Reset2026x"}, headers=platform
        ).status_code
        == 204
    )
    maintainer = user_id(portal, "beheerder")
    assert client.post(f"/api/identity/users/{maintainer}/deactivation", headers=platform).status_code == 200


def test_user_creation_refuses_bad_input_naming_the_field(portal, platform) -> None:
    client = portal.client

    def create(**body):
        base = {
            "username": "nieuw",
            "display_name": "Nieuw",
            "role": "insurer_user",
            "insurer_id": ZK,
            "password": "Start1234",
        }
        return client.post("/api/identity/users", json={**base, **body}, headers=platform)

    assert "username" in assert_error(create(username="a b"), 422)["errors"]
    assert "role" in assert_error(create(role="superuser"), 422)["errors"]
    assert "insurer_id" in assert_error(create(insurer_id=None), 422)["errors"]
    assert "insurer_id" in assert_error(create(role="catalogue_maintainer"), 422)["errors"]
    assert "insurer_id" in assert_error(create(insurer_id=str(uuid.uuid4())), 422)["errors"]
    assert "insurer_id" in assert_error(create(insurer_id="not-a-uuid"), 422)["errors"]
    assert "password" in assert_error(create(password="kort"), 422)["errors"]
    assert "username" in assert_error(create(username="zk-admin"), 409)["errors"]
    assert "unexpected" in assert_error(create(unexpected=1), 422)["errors"]


def test_insurer_users_maintainers_and_api_clients_cannot_manage_users(portal, identity_keys) -> None:
    someone = user_id(portal, "zk-admin")
    for headers in (
        portal.as_user("zk-inkoper"),
        portal.as_user("beheerder"),
        identity_keys.headers(roles=("publication_consumer",), kind="api_client", subject=str(uuid.uuid4())),
    ):
        assert_error(portal.client.get("/api/identity/users", headers=headers), 403)
        assert_error(portal.client.get(f"/api/identity/users/{someone}", headers=headers), 403)
        assert_error(portal.client.post(f"/api/identity/users/{someone}/deactivation", headers=headers), 403)


def test_an_insurer_admin_cannot_create_platform_roles(portal, zk_admin) -> None:
    for role in ("catalogue_maintainer", "platform_admin"):
        body = {"username": "stiekem", "display_name": "Stiekem", "role": role, "password": "Start1234"}
        assert (
            "role"
            in assert_error(portal.client.post("/api/identity/users", json=body, headers=zk_admin), 403)["errors"]
        )
    target = user_id(portal, "zk-inkoper")
    assert_error(
        portal.client.patch(f"/api/identity/users/{target}", json={"role": "platform_admin"}, headers=zk_admin), 403
    )


def test_unknown_user_ids_are_404(portal, platform) -> None:
    unknown = uuid.uuid4()
    assert_error(portal.client.get(f"/api/identity/users/{unknown}", headers=platform), 404)
    assert_error(
        portal.client.patch(f"/api/identity/users/{unknown}", json={"display_name": "x"}, headers=platform), 404
    )
    assert_error(portal.client.post(f"/api/identity/users/{unknown}/deactivation", headers=platform), 404)
    assert_error(portal.client.get("/api/identity/users/not-a-uuid", headers=platform), 404)


# --- tenant isolation: an insurer admin and another insurer's users, endpoint by endpoint ----------------


@pytest.fixture
def menzis_user(portal) -> str:
    return user_id(portal, "menzis-inkoper")


def test_isolation_list_shows_only_own_insurer(portal, zk_admin) -> None:
    listed = portal.client.get("/api/identity/users", headers=zk_admin).json
    assert {u["insurer"]["id"] for u in listed} == {ZK}


def test_isolation_list_of_another_insurer_is_refused(portal, zk_admin) -> None:
    body = assert_error(portal.client.get(f"/api/identity/users?insurer_id={MENZIS}", headers=zk_admin), 403)
    assert "insurer_id" in body["errors"]


def test_isolation_read(portal, zk_admin, menzis_user) -> None:
    body = assert_error(portal.client.get(f"/api/identity/users/{menzis_user}", headers=zk_admin), 404)
    assert "menzis" not in str(body).lower()


def test_isolation_update(portal, zk_admin, menzis_user) -> None:
    assert_error(
        portal.client.patch(f"/api/identity/users/{menzis_user}", json={"display_name": "Gekaapt"}, headers=zk_admin),
        404,
    )
    assert_error(
        portal.client.patch(f"/api/identity/users/{menzis_user}", json={"role": "insurer_admin"}, headers=zk_admin), 404
    )
    platform = portal.as_user("platform")
    unchanged = portal.client.get(f"/api/identity/users/{menzis_user}", headers=platform).json
    assert unchanged["display_name"] == "Inkoper Menzis"
    assert unchanged["role"] == "insurer_user"


def test_isolation_password_reset(portal, zk_admin, menzis_user) -> None:
    response = portal.client.post(
        f"/api/identity/users/{menzis_user}/password-reset", json={"new_password": "Gekaapt123"}, headers=zk_admin
    )
    assert_error(response, 404)
    assert portal.login("menzis-inkoper").status_code == 201  # the old password still works
    assert_error(portal.login("menzis-inkoper", password="Gekaapt123"), 401)


def test_isolation_deactivation(portal, zk_admin, menzis_user) -> None:
    token = portal.token("menzis-inkoper")
    assert_error(portal.client.post(f"/api/identity/users/{menzis_user}/deactivation", headers=zk_admin), 404)
    assert portal.check(token).status_code == 200


def test_isolation_create_in_another_insurer(portal, zk_admin) -> None:
    body = {
        "username": "infiltrant",
        "display_name": "Infiltrant",
        "role": "insurer_user",
        "insurer_id": MENZIS,
        "password": "Start1234",
    }
    assert (
        "insurer_id"
        in assert_error(portal.client.post("/api/identity/users", json=body, headers=zk_admin), 403)["errors"]
    )
    platform = portal.as_user("platform")
    assert "infiltrant" not in {u["username"] for u in portal.client.get("/api/identity/users", headers=platform).json}


def test_isolation_platform_users_are_invisible_to_insurer_admins(portal, zk_admin) -> None:
    for username in ("platform", "beheerder"):
        target = user_id(portal, username)
        assert_error(portal.client.get(f"/api/identity/users/{target}", headers=zk_admin), 404)
        assert_error(portal.client.post(f"/api/identity/users/{target}/deactivation", headers=zk_admin), 404)


# --- self-service ---------------------------------------------------------------------------------------


def test_users_change_their_own_password_with_the_current_one(portal) -> None:
    token = portal.token("vgz-inkoper")
    other_session = portal.token("vgz-inkoper")
    headers = portal.gateway(token)
    me = portal.client.get("/api/identity/users/me", headers=headers).json
    assert me["username"] == "vgz-inkoper"

    wrong = portal.client.put(
        "/api/identity/users/me/password",
        json={"current_password": "Verkeerd123", "new_password": "Nieuw2026x"},
        headers=headers,
    )
    assert "current_password" in assert_error(wrong, 422)["errors"]
    weak = portal.client.put(
        "/api/identity/users/me/password",
        json={"current_password": "Demo2026Zcp!", "new_password": "zwak"},
        headers=headers,
    )
    assert "new_password" in assert_error(weak, 422)["errors"]
    missing = portal.client.put("/api/identity/users/me/password", json={"new_password": "Nieuw2026x"}, headers=headers)
    assert "current_password" in assert_error(missing, 422)["errors"]

    done = portal.client.put(
        "/api/identity/users/me/password",
        json={"current_password": "Demo2026Zcp!", "new_password": "Nieuw2026x"},
        headers=headers,
    )
    assert done.status_code == 204
    assert portal.check(token).status_code == 200  # this session stays
    assert_error(portal.check(other_session), 401)  # other sessions end
    assert portal.login("vgz-inkoper", password="Nieuw2026x").status_code == 201
    assert_error(portal.login("vgz-inkoper"), 401)


def test_guessing_the_current_password_is_throttled(portal, settings) -> None:
    headers = portal.as_user("vgz-inkoper")
    body = {"current_password": "Verkeerd123", "new_password": "Nieuw2026x"}
    for _ in range(settings.login_max_failures_per_account):
        assert_error(portal.client.put("/api/identity/users/me/password", json=body, headers=headers), 422)
    assert_error(portal.client.put("/api/identity/users/me/password", json=body, headers=headers), 429)


def test_an_insurer_admin_cannot_learn_that_a_username_exists_at_another_insurer(portal) -> None:
    """Issue 16 item 7: usernames are global, so each insurer names its users in its own namespace
    (``name@<insurer code>``); a clash an insurer admin can meet is only with its own users."""
    client = portal.client
    menzis_admin = portal.as_user("menzis-admin")
    zk_admin = portal.as_user("zk-admin")

    def create(headers: dict[str, str], username: str):
        body = {"username": username, "display_name": "Nieuw", "role": "insurer_user", "password": "Start1234"}
        return client.post("/api/identity/users", json=body, headers=headers)

    taken_at_zk = create(zk_admin, "j.jansen")
    assert taken_at_zk.status_code == 201 and taken_at_zk.json["username"] == "j.jansen@zilverenkruis"
    # The same name typed by Menzis's admin, or the name of ZK's demo admin: created, in Menzis's namespace.
    for typed, stored in (("j.jansen", "j.jansen@menzis"), ("zk-admin", "zk-admin@menzis")):
        created = create(menzis_admin, typed)
        assert created.status_code == 201, created.json
        assert created.json["username"] == stored
    # Another insurer's namespace is refused alike whether or not the name exists there.
    existing = assert_error(create(menzis_admin, "j.jansen@zilverenkruis"), 422)
    unknown = assert_error(create(menzis_admin, "niemand@zilverenkruis"), 422)
    assert existing == unknown and "username" in existing["errors"]
    # A clash inside the own namespace is an ordinary 409, naming only the admin's own user.
    assert "username" in assert_error(create(menzis_admin, "j.jansen"), 409)["errors"]
    assert portal.login("j.jansen@menzis", password="Start1234", new_password="Nieuw1234x").status_code == 201
