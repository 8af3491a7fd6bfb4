"""One handler per command: ``handler(cmd, uow, deps) -> result``.

Each opens the unit of work, loads through the repository, lets the domain decide, publishes
integration events into the outbox of the same transaction, and commits. ``deps`` carries what the
composition root injects: the clock (tests inject a fake one), the password hasher and policy, the
token signer and the session and throttling settings.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any, Protocol

from identity.adapters import crypto
from identity.domain import commands, exceptions, model
from identity.domain.model import ApiKey, Insurer, Session, User
from identity.domain.passwords import PasswordPolicy
from identity.domain.throttle import ThrottleRule, account_key, login_keys
from identity.service_layer.unit_of_work import IdentityUnitOfWork
from servicekit.auth import Principal, RequestBinding

BAD_CREDENTIALS = "Onbekende combinatie van contractjaar, gebruikersnaam en wachtwoord."
NOT_LOGGED_IN = "Niet ingelogd of sessie verlopen; log opnieuw in."

INSURER_REGISTERED = "identity.insurer.registered"
INSURER_RENAMED = "identity.insurer.renamed"
USER_DEACTIVATED = "identity.user.deactivated"


class Hasher(Protocol):
    def hash(self, password: str) -> str: ...
    def verify(self, password_hash: str, password: str) -> bool: ...
    def needs_rehash(self, password_hash: str) -> bool: ...
    def burn(self, password: str) -> None: ...


class Signer(Protocol):
    def sign(self, principal: Principal, binding: RequestBinding) -> str: ...


@dataclass
class Deps:
    clock: Callable[[], datetime]
    hasher: Hasher
    policy: PasswordPolicy
    signer: Signer
    idle: timedelta
    max_age: timedelta
    open_years: tuple[int, ...]
    account_rule: ThrottleRule
    address_rule: ThrottleRule
    session_retention: timedelta = timedelta(days=7)


def insurer_id_for(slug: str) -> str:
    """Deterministic insurer ids: other services' demo data uses the same ones."""
    return str(uuid.uuid5(uuid.NAMESPACE_URL, "zcp:insurer:" + slug))


def _new_id() -> str:
    return str(uuid.uuid4())


def _check_password(deps: Deps, password: str, field: str, username: str | None) -> None:
    violations = deps.policy.violations(password, username)
    if violations:
        raise exceptions.PasswordRejected(violations[0], field=field, messages=violations)


def _user_view(user: User, insurer: Insurer | None) -> dict[str, Any]:
    return {
        "id": user.id,
        "username": user.username,
        "display_name": user.display_name,
        "role": user.role,
        "roles": sorted(user.token_roles),
        "insurer": {"id": insurer.id, "name": insurer.name} if insurer else None,
        "active": user.active,
        "must_change_password": user.must_change_password,
    }


# --- sessions ------------------------------------------------------------------------------------------


def login(cmd: commands.Login, uow: IdentityUnitOfWork, deps: Deps) -> dict[str, Any]:
    """R1: contract year + username + password -> a new session, throttled per (account + address) and per address."""
    year = model.check_contract_year(cmd.contract_year, deps.open_years)
    username = model.normalise_username(cmd.username)
    now = deps.clock()
    pair, address = login_keys(username, cmd.client_address)
    rules = {pair: deps.account_rule, address: deps.address_rule}
    with uow:
        throttles = {throttle.key: throttle for throttle in uow.repo.throttles(rules)}
        wait = max(t.retry_after(now) for t in throttles.values())
        if wait:
            uow.commit()
            raise exceptions.Throttled(
                f"Te veel mislukte aanmeldpogingen. Probeer het over {wait} seconden opnieuw.", wait
            )
        user = uow.repo.user_by_username(username)
        if user is None:
            deps.hasher.burn(cmd.password)
            verified = False
        else:
            verified = deps.hasher.verify(user.password_hash, cmd.password) and user.active
        if not verified or user is None:
            for key, throttle in throttles.items():
                throttle.record_failure(now, rules[key])
            uow.commit()
            raise exceptions.InvalidCredentials(BAD_CREDENTIALS)
        throttles[pair].reset()
        if user.must_change_password:
            if not cmd.new_password:
                uow.commit()
                raise exceptions.PasswordChangeRequired(
                    "Uw wachtwoord is opnieuw ingesteld: kies bij deze aanmelding een nieuw wachtwoord.",
                    field="new_password",
                )
            _check_password(deps, cmd.new_password, "new_password", user.username)
            if deps.hasher.verify(user.password_hash, cmd.new_password):
                raise exceptions.PasswordRejected("Kies een ander wachtwoord dan het huidige.", field="new_password")
            user.set_password(deps.hasher.hash(cmd.new_password), now, must_change=False)
        elif deps.hasher.needs_rehash(user.password_hash):
            user.set_password(deps.hasher.hash(cmd.password), now, must_change=False)
        token = crypto.new_session_token()
        session = Session(
            id=_new_id(), token_hash=crypto.digest(token), user_id=user.id, contract_year=year, created_at=now
        )
        uow.repo.add(session)
        insurer = uow.repo.insurer(user.insurer_id) if user.insurer_id else None
        result = {
            "token": token,
            "session_id": session.id,
            "contract_year": year,
            "expires_after_idle_seconds": int(deps.idle.total_seconds()),
            "user": _user_view(user, insurer),
        }
        uow.commit()
    return result


def check_access(cmd: commands.CheckAccess, uow: IdentityUnitOfWork, deps: Deps) -> dict[str, Any]:
    """The gateway's check: a live session (sliding its idle timer) or an active API key -> signed identity token."""
    now = deps.clock()
    secret = cmd.api_key or cmd.bearer or cmd.cookie
    if not secret:
        raise exceptions.SessionInvalid(NOT_LOGGED_IN)
    binding = RequestBinding.from_target(cmd.method, cmd.uri, cmd.request_id)
    with uow:
        if cmd.api_key or crypto.is_api_key(secret):
            key = uow.repo.api_key_by_hash(crypto.digest(secret))
            if key is None or not key.active:
                raise exceptions.SessionInvalid("Onbekende of ingetrokken API-sleutel.")
            key.used(now)
            principal = Principal(
                subject=key.id,
                kind="api_client",
                roles=frozenset({model.PUBLICATION_CONSUMER}),
                username=key.name,
            )
            uow.commit()
            token = deps.signer.sign(principal, binding)
            return {"principal": principal, "identity_token": token, "idle_seconds_left": None}
        session = uow.repo.session_by_token_hash(crypto.digest(secret))
        if session is None:
            raise exceptions.SessionInvalid(NOT_LOGGED_IN)
        user = uow.repo.user(session.user_id)
        reason = session.expiry_reason(now, deps.idle, deps.max_age)
        if reason is None and (user is None or not user.active):
            reason = "deactivated"
        if reason is not None:
            session.end(now, reason)
            uow.commit()
            raise exceptions.SessionInvalid(NOT_LOGGED_IN)
        assert user is not None
        session.touch(now)
        principal = Principal(
            subject=user.id,
            kind="user",
            roles=user.token_roles,
            username=user.username,
            tenant_id=user.insurer_id,
            contract_year=session.contract_year,
            session_id=session.id,
        )
        uow.commit()
    return {
        "principal": principal,
        "identity_token": deps.signer.sign(principal, binding),
        "idle_seconds_left": int(deps.idle.total_seconds()),
    }


def logout(cmd: commands.Logout, uow: IdentityUnitOfWork, deps: Deps) -> None:
    """R1 "Uitloggen": the session ends at once (idempotent)."""
    with uow:
        session = uow.repo.session(cmd.session_id)
        if session is not None:
            session.end(deps.clock(), "logout")
        uow.commit()


def purge_sessions(cmd: commands.PurgeSessions, uow: IdentityUnitOfWork, deps: Deps) -> int:
    """Delete sessions older than their maximum age plus ``deps.session_retention``; bounded.

    Every session has ended by ``max_age`` after its creation (logout and idle end it sooner), so
    the rule needs only ``created_at``, which never changes: its index costs nothing on the hot path
    (``last_seen_at`` changes with every request). Ended sessions stay ``session_retention`` for
    questions such as "who was logged in on Tuesday", then go in batches of one short transaction.
    """
    cutoff = deps.clock() - deps.max_age - deps.session_retention
    deleted = 0
    for _ in range(cmd.max_batches):
        with uow:
            count = uow.repo.delete_sessions_created_before(cutoff, cmd.batch_size)
            uow.commit()
        deleted += count
        if count < cmd.batch_size:
            break
    return deleted


# --- insurers ------------------------------------------------------------------------------------------


def _require_platform_admin(actor: model.Actor) -> None:
    if not actor.is_platform_admin:
        raise exceptions.Forbidden("Alleen een platformbeheerder mag dit.")


def register_insurer(cmd: commands.RegisterInsurer, uow: IdentityUnitOfWork, deps: Deps) -> str:
    _require_platform_admin(cmd.actor)
    slug = cmd.slug.strip().lower()
    if not model.SLUG_PATTERN.match(slug):
        raise exceptions.InvalidInput("Code: 2 tot 64 tekens, kleine letters, cijfers of streepjes.", field="slug")
    name = model.check_name(cmd.name)
    with uow:
        if uow.repo.insurer_by_slug(slug):
            raise exceptions.Conflict(f"Er is al een verzekeraar met code {slug!r}.", field="slug")
        if uow.repo.insurer_by_name(name):
            raise exceptions.Conflict(f"Er is al een verzekeraar met de naam {name!r}.", field="name")
        insurer = Insurer(id=insurer_id_for(slug), slug=slug, name=name, created_at=deps.clock())
        uow.repo.add(insurer)
        uow.publish(INSURER_REGISTERED, {"insurer_id": insurer.id, "name": insurer.name})
        uow.commit()
    return insurer.id


def rename_insurer(cmd: commands.RenameInsurer, uow: IdentityUnitOfWork, deps: Deps) -> None:
    _require_platform_admin(cmd.actor)
    name = model.check_name(cmd.name)
    with uow:
        insurer = uow.repo.insurer(cmd.insurer_id)
        if insurer is None:
            raise exceptions.NotFound("Verzekeraar niet gevonden.")
        other = uow.repo.insurer_by_name(name)
        if other is not None and other.id != insurer.id:
            raise exceptions.Conflict(f"Er is al een verzekeraar met de naam {name!r}.", field="name")
        if insurer.rename(name, deps.clock()):
            uow.publish(INSURER_RENAMED, {"insurer_id": insurer.id, "name": insurer.name})
        uow.commit()


# --- users ---------------------------------------------------------------------------------------------


def create_user(cmd: commands.CreateUser, uow: IdentityUnitOfWork, deps: Deps) -> str:
    actor = cmd.actor
    insurer_id = cmd.insurer_id
    if insurer_id is None and actor.is_insurer_admin and not actor.is_platform_admin:
        insurer_id = actor.tenant_id
    model.ensure_may_assign(actor, cmd.role, insurer_id)
    model.check_username(cmd.username)
    display_name = model.check_name(cmd.display_name, field="display_name")
    model.check_role_and_insurer(cmd.role, insurer_id)
    with uow:
        insurer = uow.repo.insurer(insurer_id) if insurer_id is not None else None
        if insurer_id is not None and insurer is None:
            raise exceptions.InvalidInput("Onbekende verzekeraar.", field="insurer_id")
        username = model.username_for(cmd.username, insurer, actor)
        _check_password(deps, cmd.password, "password", username)
        # Only a user of the actor's own namespace can clash here (see model.username_for).
        if uow.repo.user_by_username(username) is not None:
            raise exceptions.Conflict(f"De gebruikersnaam {username!r} is al in gebruik.", field="username")
        user = User(
            id=_new_id(),
            username=username,
            display_name=display_name,
            role=cmd.role,
            insurer_id=insurer_id,
            password_hash=deps.hasher.hash(cmd.password),
            must_change_password=cmd.must_change_password,
            created_at=deps.clock(),
        )
        uow.repo.add(user)
        uow.commit()
    return user.id


def update_user(cmd: commands.UpdateUser, uow: IdentityUnitOfWork, deps: Deps) -> None:
    with uow:
        user = model.ensure_may_manage(cmd.actor, uow.repo.user(cmd.user_id, for_update=True))
        if cmd.display_name is not None:
            user.display_name = model.check_name(cmd.display_name, field="display_name")
        if cmd.role is not None and cmd.role != user.role:
            model.ensure_not_self(cmd.actor, user, "een andere rol geven")
            model.ensure_may_assign(cmd.actor, cmd.role, user.insurer_id)
            user.change_role(cmd.role)
            uow.repo.end_sessions_of(user.id, deps.clock(), "role_changed")
        uow.commit()


def reset_password(cmd: commands.ResetPassword, uow: IdentityUnitOfWork, deps: Deps) -> None:
    """An admin sets a temporary password; the user must choose a new one at the next login."""
    with uow:
        user = model.ensure_may_manage(cmd.actor, uow.repo.user(cmd.user_id, for_update=True))
        _check_password(deps, cmd.new_password, "new_password", user.username)
        now = deps.clock()
        user.set_password(deps.hasher.hash(cmd.new_password), now, must_change=True)
        uow.repo.end_sessions_of(user.id, now, "password_reset")
        uow.commit()


def deactivate_user(cmd: commands.DeactivateUser, uow: IdentityUnitOfWork, deps: Deps) -> None:
    with uow:
        user = model.ensure_may_manage(cmd.actor, uow.repo.user(cmd.user_id, for_update=True))
        model.ensure_not_self(cmd.actor, user, "deactiveren")
        now = deps.clock()
        if user.deactivate(now):
            uow.repo.end_sessions_of(user.id, now, "deactivated")
            uow.publish(USER_DEACTIVATED, {"user_id": user.id, "insurer_id": user.insurer_id})
        uow.commit()


def change_own_password(cmd: commands.ChangeOwnPassword, uow: IdentityUnitOfWork, deps: Deps) -> None:
    """The user's own change: the current password is required; other sessions of the user end."""
    now = deps.clock()
    with uow:
        user = uow.repo.user(cmd.actor.subject, for_update=True)
        if user is None or not user.active:
            raise exceptions.NotFound(model.USER_NOT_FOUND)
        (throttle,) = uow.repo.throttles([account_key(user.username)])
        wait = throttle.retry_after(now)
        if wait:
            uow.commit()
            raise exceptions.Throttled(f"Te veel mislukte pogingen. Probeer het over {wait} seconden opnieuw.", wait)
        if not deps.hasher.verify(user.password_hash, cmd.current_password):
            throttle.record_failure(now, deps.account_rule)
            uow.commit()
            raise exceptions.InvalidInput("Het huidige wachtwoord klopt niet.", field="current_password")
        _check_password(deps, cmd.new_password, "new_password", user.username)
        if cmd.new_password == cmd.current_password:
            raise exceptions.PasswordRejected("Kies een ander wachtwoord dan het huidige.", field="new_password")
        user.set_password(deps.hasher.hash(cmd.new_password), now, must_change=False)
        uow.repo.end_sessions_of(user.id, now, "password_changed", keep=cmd.actor.session_id)
        uow.commit()


# --- API keys ------------------------------------------------------------------------------------------


def create_api_key(cmd: commands.CreateApiKey, uow: IdentityUnitOfWork, deps: Deps) -> dict[str, Any]:
    """A key for a publication consumer; the key is returned once, only its hash is stored."""
    _require_platform_admin(cmd.actor)
    name = model.check_name(cmd.name)
    key = cmd.fixed_key or crypto.new_api_key()
    with uow:
        api_key = ApiKey(
            id=_new_id(),
            name=name,
            prefix=key[:12],
            key_hash=crypto.digest(key),
            created_by=cmd.actor.subject,
            created_at=deps.clock(),
        )
        uow.repo.add(api_key)
        uow.commit()
    return {"id": api_key.id, "name": name, "prefix": api_key.prefix, "created_at": api_key.created_at, "key": key}


def revoke_api_key(cmd: commands.RevokeApiKey, uow: IdentityUnitOfWork, deps: Deps) -> None:
    _require_platform_admin(cmd.actor)
    with uow:
        api_key = uow.repo.api_key(cmd.api_key_id)
        if api_key is None:
            raise exceptions.NotFound("API-sleutel niet gevonden.")
        api_key.revoke(deps.clock())
        uow.commit()


HANDLERS: dict[type, Callable[[Any, IdentityUnitOfWork, Deps], Any]] = {
    commands.Login: login,
    commands.CheckAccess: check_access,
    commands.Logout: logout,
    commands.PurgeSessions: purge_sessions,
    commands.RegisterInsurer: register_insurer,
    commands.RenameInsurer: rename_insurer,
    commands.CreateUser: create_user,
    commands.UpdateUser: update_user,
    commands.ResetPassword: reset_password,
    commands.DeactivateUser: deactivate_user,
    commands.ChangeOwnPassword: change_own_password,
    commands.CreateApiKey: create_api_key,
    commands.RevokeApiKey: revoke_api_key,
}
