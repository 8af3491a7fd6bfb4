"""Sessions (R1): log in for a contract year, the gateway's check, idle expiry, logout, throttling."""

from __future__ import annotations

from http.cookies import SimpleCookie

from identity.demo import DEMO_PASSWORD
from servicekit.testing.identity import generate_keypair
from tests.conftest import CHECKED, IDLE_SECONDS

BAD_CREDENTIALS = "Onbekende combinatie van contractjaar, gebruikersnaam en wachtwoord."


def assert_error(response, status: int) -> dict:
    assert response.status_code == status, response.json
    assert response.json["code"] == status
    assert {"code", "status", "message"} <= set(response.json)
    return response.json


# --- logging in -----------------------------------------------------------------------------------------


def test_r1_the_open_contract_years_are_listed_for_the_login_form_without_a_session(client) -> None:
    response = client.get("/api/identity/sessions/contract-years")
    assert response.status_code == 200, response.json
    assert response.json == {"open_years": [2026, 2027]}


def test_login_answers_a_token_and_a_secure_cookie(portal) -> None:
    response = portal.login("zk-inkoper", year=2027)
    assert response.status_code == 201, response.json
    body = response.json
    assert len(body["token"]) >= 43  # 32 random bytes, URL-safe base64
    assert body["contract_year"] == 2027
    assert body["expires_after_idle_seconds"] == IDLE_SECONDS
    assert body["user"]["username"] == "zk-inkoper"
    assert body["user"]["role"] == "insurer_user"
    assert body["user"]["insurer"]["name"] == "Zilveren Kruis"
    assert "password" not in str(body["user"]).lower().replace("must_change_password", "")
    cookie_header = response.headers["Set-Cookie"]
    cookie = SimpleCookie(cookie_header)["zcp_session"]
    assert cookie.value == body["token"]
    assert cookie["secure"] and cookie["httponly"]
    assert cookie["samesite"] == "Strict"
    assert cookie["path"] == "/"


def test_username_is_case_insensitive(portal) -> None:
    assert portal.login("ZK-Inkoper").status_code == 201


def test_a_year_that_is_not_open_is_refused_naming_the_field(portal) -> None:
    body = assert_error(portal.login("zk-inkoper", year=2025), 422)
    assert "2025" in body["errors"]["contract_year"][0]
    assert "2026, 2027" in body["errors"]["contract_year"][0]


def test_a_year_out_of_range_or_not_a_number_is_refused(portal) -> None:
    body = assert_error(portal.login("zk-inkoper", year=1850), 422)
    assert "contract_year" in body["errors"]
    body = assert_error(portal.login("zk-inkoper", year="2026"), 422)
    assert "contract_year" in body["errors"]


def test_missing_fields_are_named(portal) -> None:
    body = assert_error(portal.client.post("/api/identity/sessions", json={}), 422)
    assert set(body["errors"]) == {"contract_year", "username", "password"}
    assert body["errors"]["username"] == ["Verplicht veld."]


def test_wrong_user_and_wrong_password_get_the_same_answer(portal) -> None:
    unknown = assert_error(portal.login("nobody-here"), 401)
    wrong = assert_error(portal.login("zk-inkoper", password="Verkeerd123"), 401)
    assert unknown["message"] == wrong["message"] == BAD_CREDENTIALS
    assert unknown == wrong


def test_a_deactivated_user_cannot_log_in_and_gets_the_same_answer(portal) -> None:
    admin = portal.as_user("zk-admin")
    user_id = portal.login("zk-inkoper").json["user"]["id"]
    assert portal.client.post(f"/api/identity/users/{user_id}/deactivation", headers=admin).status_code == 200
    assert assert_error(portal.login("zk-inkoper"), 401)["message"] == BAD_CREDENTIALS


# --- the gateway's check --------------------------------------------------------------------------------


def test_check_vouches_for_the_session_with_a_signed_identity_token(portal, identity_keys) -> None:
    from servicekit.auth import IdentityTokenVerifier

    login = portal.login("menzis-admin", year=2027).json
    response = portal.check(login["token"])
    assert response.status_code == 200
    assert response.headers["Cache-Control"] == "no-store"
    principal = IdentityTokenVerifier(identity_keys.public_pem).verify(response.headers["X-Identity-Token"], CHECKED)
    assert principal.kind == "user"
    assert principal.subject == login["user"]["id"]
    assert principal.username == "menzis-admin"
    assert principal.roles == frozenset({"insurer_admin", "insurer_user"})
    assert principal.tenant_id == login["user"]["insurer"]["id"]
    assert principal.contract_year == 2027
    assert principal.session_id == login["session_id"]
    assert response.json["tenant_id"] == principal.tenant_id


def test_maintainers_and_platform_admins_have_no_tenant(portal, identity_keys) -> None:
    from servicekit.auth import IdentityTokenVerifier

    verifier = IdentityTokenVerifier(identity_keys.public_pem)
    for username, role in (("beheerder", "catalogue_maintainer"), ("platform", "platform_admin")):
        principal = verifier.verify(portal.as_user(username)["X-Identity-Token"], CHECKED)
        assert principal.roles == frozenset({role})
        assert principal.tenant_id is None


def test_the_session_cookie_works_like_the_bearer_token(portal) -> None:
    token = portal.token("vgz-inkoper")
    response = portal.client.get("/api/identity/auth/check", headers={"Cookie": f"zcp_session={token}"})
    assert response.status_code == 200
    assert response.json["username"] == "vgz-inkoper"


def test_no_credentials_wrong_scheme_or_unknown_token_get_401_with_the_common_body(portal) -> None:
    for headers in (
        {},
        {"Authorization": "Basic dXNlcjpwYXNz"},
        {"Authorization": "Bearer not-a-session"},
        {"Cookie": "zcp_session=nope"},
        {"X-API-Key": "zcpk_nope"},
    ):
        response = portal.client.get("/api/identity/auth/check", headers=headers)
        body = assert_error(response, 401)
        assert "X-Identity-Token" not in response.headers
        assert response.headers["WWW-Authenticate"].startswith("Bearer")
        assert body["message"]


def test_a_forged_identity_token_sent_to_the_check_is_ignored(portal, identity_keys) -> None:
    forged_by_other_key = generate_keypair()[0]
    from servicekit.auth import Principal, sign_identity_token

    forged = sign_identity_token(
        Principal(subject="x", kind="user", roles=frozenset({"platform_admin"})),
        forged_by_other_key,
        2_000_000_000,
        60,
        CHECKED,
    )
    # Without credentials a forged header gives nobody access ...
    assert_error(portal.client.get("/api/identity/auth/check", headers={"X-Identity-Token": forged}), 401)
    # ... and a genuine one (the client cannot normally get it) is no credential either.
    assert_error(
        portal.client.get("/api/identity/auth/check", headers=identity_keys.headers(roles=("platform_admin",))), 401
    )
    # With a valid session the answer vouches for the session's user, whatever was sent.
    token = portal.token("cz-inkoper")
    response = portal.check(token, **{"X-Identity-Token": forged})
    assert response.status_code == 200
    assert response.json["username"] == "cz-inkoper"
    assert response.json["roles"] == ["insurer_user"]


def test_other_routes_refuse_a_forged_identity_token(portal) -> None:
    forged_key = generate_keypair()[0]
    from servicekit.auth import Principal, sign_identity_token

    forged = sign_identity_token(
        Principal(subject="x", kind="user", roles=frozenset({"platform_admin"})),
        forged_key,
        int(__import__("time").time()),
        60,
        CHECKED,
    )
    for path in ("/api/identity/users", "/api/identity/api-keys", "/api/identity/insurers"):
        assert_error(portal.client.get(path, headers={"X-Identity-Token": forged}), 401)
        assert_error(portal.client.get(path, headers={"X-Identity-Token": "garbage"}), 401)
        assert_error(portal.client.get(path), 401)


# --- idle expiry, activity, logout ----------------------------------------------------------------------


def test_the_session_ends_after_the_configured_idle_time(portal, clock) -> None:
    token = portal.token("zk-inkoper")
    clock.advance(IDLE_SECONDS - 1)
    assert portal.check(token).status_code == 200
    clock.advance(IDLE_SECONDS)
    assert_error(portal.check(token), 401)
    # ... and stays ended, even when the clock would allow it again
    clock.advance(-IDLE_SECONDS)
    assert_error(portal.check(token), 401)


def test_activity_extends_the_session(portal, clock) -> None:
    token = portal.token("zk-inkoper")
    for _ in range(5):  # 5 x (idle - 10 s): far more than one idle period in total
        clock.advance(IDLE_SECONDS - 10)
        assert portal.check(token).status_code == 200
    clock.advance(IDLE_SECONDS)
    assert_error(portal.check(token), 401)


def test_a_session_ends_after_its_maximum_age_however_active(portal, clock, settings) -> None:
    token = portal.token("zk-inkoper")
    elapsed = 0
    while elapsed + IDLE_SECONDS - 1 < settings.session_max_seconds:
        clock.advance(IDLE_SECONDS - 1)
        elapsed += IDLE_SECONDS - 1
        assert portal.check(token).status_code == 200
    clock.advance(IDLE_SECONDS - 1)
    assert_error(portal.check(token), 401)


def test_logout_makes_the_token_useless_at_once(portal) -> None:
    token = portal.token("zk-inkoper")
    other = portal.token("zk-inkoper")  # a second session of the same user stays
    response = portal.client.delete("/api/identity/sessions/current", headers=portal.gateway(token))
    assert response.status_code == 204
    cleared = SimpleCookie(response.headers["Set-Cookie"])["zcp_session"]
    assert cleared.value == ""
    assert_error(portal.check(token), 401)
    assert_error(portal.client.get("/api/identity/auth/check", headers={"Cookie": f"zcp_session={token}"}), 401)
    assert portal.check(other).status_code == 200


def test_logout_without_a_session_is_401(portal) -> None:
    assert_error(portal.client.delete("/api/identity/sessions/current"), 401)


def test_current_session_tells_who_and_which_year(portal) -> None:
    headers = portal.gateway(portal.token("vgz-admin", year=2027))
    body = portal.client.get("/api/identity/sessions/current", headers=headers).json
    assert body["contract_year"] == 2027
    assert body["user"]["username"] == "vgz-admin"


# --- throttling -----------------------------------------------------------------------------------------


def test_failed_logins_are_throttled_per_account_without_a_permanent_lockout(portal, clock, settings) -> None:
    limit = settings.login_max_failures_per_account
    for _ in range(limit - 1):
        assert_error(portal.login("zk-inkoper", password="Verkeerd123"), 401)
    assert_error(portal.login("zk-inkoper", password="Verkeerd123"), 401)  # the limit-th failure starts a block
    blocked = portal.login("zk-inkoper")  # even the right password waits
    body = assert_error(blocked, 429)
    assert int(blocked.headers["Retry-After"]) == settings.login_first_block_seconds
    assert str(settings.login_first_block_seconds) in body["message"]
    # other accounts from the same address are not affected
    assert portal.login("zk-admin").status_code == 201
    # the block ends: no permanent lockout
    clock.advance(settings.login_first_block_seconds)
    assert portal.login("zk-inkoper").status_code == 201


def test_blocks_grow_with_further_failures_up_to_a_cap(portal, clock, settings) -> None:
    limit = settings.login_max_failures_per_account
    for _ in range(limit):
        portal.login("zk-inkoper", password="Verkeerd123")
    waits = []
    for _ in range(8):
        response = portal.login("zk-inkoper", password="Verkeerd123")
        assert response.status_code == 429
        wait = int(response.headers["Retry-After"])
        waits.append(wait)
        clock.advance(wait)
        assert_error(portal.login("zk-inkoper", password="Verkeerd123"), 401)
    assert waits[:3] == [30, 60, 120]
    assert max(waits) == settings.login_max_block_seconds
    # after the attack stops, the real user gets in at most one maximum block later
    clock.advance(settings.login_max_block_seconds)
    assert portal.login("zk-inkoper").status_code == 201


def test_throttling_does_not_reveal_whether_a_username_exists(portal, settings) -> None:
    answers = {}
    for username in ("zk-inkoper", "no-such-user"):
        for _ in range(settings.login_max_failures_per_account):
            portal.login(username, password="Verkeerd123")
        response = portal.login(username, password="Verkeerd123")
        answers[username] = (response.status_code, response.json, response.headers["Retry-After"])
    assert answers["zk-inkoper"] == answers["no-such-user"]
    assert answers["zk-inkoper"][0] == 429


def test_one_person_behind_a_shared_office_address_does_not_lock_out_the_office(portal, clock, settings) -> None:
    """Issue 16 item 7: failures count per (account + address); the address alone has a far higher limit."""
    office, home = {"X-Forwarded-For": "192.0.2.10"}, {"X-Forwarded-For": "198.51.100.7"}
    assert settings.login_max_failures_per_address >= 10 * settings.login_max_failures_per_account
    for _ in range(settings.login_max_failures_per_account):
        assert_error(portal.login("zk-inkoper", password="Verkeerd123", headers=office), 401)
    assert_error(portal.login("zk-inkoper", headers=office), 429)  # this account, from this address: blocked
    for colleague in ("zk-admin", "menzis-inkoper", "cz-admin"):  # the rest of the office logs in as usual
        assert portal.login(colleague, headers=office).status_code == 201, colleague
    assert portal.login("zk-inkoper", headers=home).status_code == 201  # the same user from elsewhere too
    clock.advance(settings.login_first_block_seconds)
    assert portal.login("zk-inkoper", headers=office).status_code == 201  # and from the office once the block ends


def test_failed_logins_are_throttled_per_client_address(portal, clock, settings) -> None:
    attacker = {"X-Forwarded-For": "203.0.113.7"}
    limit = settings.login_max_failures_per_address
    for number in range(limit):
        # a different username every time: the per-account throttle never triggers
        assert_error(portal.login(f"guess-{number}", password="Verkeerd123", headers=attacker), 401)
    assert_error(portal.login("zk-inkoper", headers=attacker), 429)
    # another address logs in as usual
    assert portal.login("zk-inkoper", headers={"X-Forwarded-For": "198.51.100.20"}).status_code == 201
    clock.advance(settings.login_first_block_seconds)
    assert portal.login("zk-inkoper", headers=attacker).status_code == 201


def test_failures_are_forgotten_after_a_quiet_period(portal, clock, settings) -> None:
    for _ in range(settings.login_max_failures_per_account - 1):
        portal.login("zk-inkoper", password="Verkeerd123")
    clock.advance(settings.login_forget_failures_seconds)
    assert_error(portal.login("zk-inkoper", password="Verkeerd123"), 401)  # counts as the first again
    assert portal.login("zk-inkoper").status_code == 201


def test_a_successful_login_resets_the_account_counter(portal, settings) -> None:
    for _ in range(settings.login_max_failures_per_account - 1):
        portal.login("zk-inkoper", password="Verkeerd123")
    assert portal.login("zk-inkoper").status_code == 201
    for _ in range(settings.login_max_failures_per_account - 1):
        assert_error(portal.login("zk-inkoper", password="Verkeerd123"), 401)
    assert portal.login("zk-inkoper").status_code == 201


# --- a password reset by an admin -----------------------------------------------------------------------


def test_after_a_reset_the_user_must_choose_a_new_password_at_login(portal) -> None:
    admin = portal.as_user("zk-admin")
    user_id = portal.login("zk-inkoper").json["user"]["id"]
    old_session = portal.token("zk-inkoper")
    reset = portal.client.post(
        f"/api/identity/users/{user_id}/password-reset", json={"new_password": "Tijdelijk01"}, headers=admin
    )
    assert reset.status_code == 204
    assert_error(portal.check(old_session), 401)  # the reset ends the user's sessions
    assert_error(portal.login("zk-inkoper"), 401)  # the old password is gone
    body = assert_error(portal.login("zk-inkoper", password="Tijdelijk01"), 403)
    assert "new_password" in body["errors"]
    body = assert_error(portal.login("zk-inkoper", password="Tijdelijk01", new_password="kort"), 422)
    assert any(message.startswith("R2 minimale lengte") for message in body["errors"]["new_password"])
    assert_error(portal.login("zk-inkoper", password="Tijdelijk01", new_password="Tijdelijk01"), 422)
    chosen = portal.login("zk-inkoper", password="Tijdelijk01", new_password="MijnEigen42")
    assert chosen.status_code == 201
    assert chosen.json["user"]["must_change_password"] is False
    assert portal.login("zk-inkoper", password="MijnEigen42").status_code == 201
    assert_error(portal.login("zk-inkoper", password="Tijdelijk01"), 401)


def test_demo_password_constant_is_what_the_accounts_table_says() -> None:
    from pathlib import Path

    table = (Path(__file__).resolve().parents[2] / "DEMO_ACCOUNTS.md").read_text(encoding="utf-8")
    assert f"`{DEMO_PASSWORD}`" in table


# --- identity tokens are bound to one request -----------------------------------------------------------


def test_an_identity_token_is_good_for_the_one_request_it_was_issued_for(portal, app) -> None:
    """A captured identity token cannot be replayed: not on another request id, method or path, and
    so not after logout either (the gateway asks identity anew for every request)."""
    raw = app.test_client()  # sends tokens as they are, without the test gateway's re-binding
    token = portal.check(portal.token("zk-admin")).headers["X-Identity-Token"]
    same = {"X-Identity-Token": token, "X-Request-ID": CHECKED.request_id}
    assert raw.get(CHECKED.path, headers=same).status_code == 200  # the request it was issued for
    assert_error(raw.get(CHECKED.path, headers={**same, "X-Request-ID": "another-request"}), 401)
    assert_error(raw.get(CHECKED.path, headers={"X-Identity-Token": token}), 401)  # no request id at all
    assert_error(raw.get("/api/identity/users", headers=same), 401)  # another path
    assert_error(raw.delete("/api/identity/sessions/current", headers=same), 401)  # another method


def test_a_token_captured_before_logout_is_refused_after_it(portal, app) -> None:
    raw = app.test_client()
    session = portal.token("vgz-admin")
    captured = portal.check(session).headers["X-Identity-Token"]
    assert portal.client.delete("/api/identity/sessions/current", headers=portal.gateway(session)).status_code == 204
    assert_error(portal.check(session), 401)  # the gateway's next question is answered "no"
    replayed = raw.get("/api/identity/users/me", headers={"X-Identity-Token": captured, "X-Request-ID": "replay-1"})
    assert_error(replayed, 401)


def test_the_check_binds_the_token_to_the_path_without_its_query(portal, identity_keys) -> None:
    from servicekit.auth import IdentityTokenVerifier, RequestBinding

    response = portal.check(
        portal.token("cz-admin"),
        **{"X-Original-Method": "patch", "X-Original-URI": "/api/identity/users/%61bc?x=%2F", "X-Request-ID": "r-9"},
    )
    verifier = IdentityTokenVerifier(identity_keys.public_pem)
    token = response.headers["X-Identity-Token"]
    assert verifier.verify(token, RequestBinding("PATCH", "/api/identity/users/abc", "r-9")).username == "cz-admin"
