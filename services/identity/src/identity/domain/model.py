"""The identity domain: insurers (tenants), users with one role each, sessions, API keys, and who may manage whom.

Pure Python. The ORM maps these classes imperatively (``adapters/orm.py``); nothing here knows about it. A
new entity's starting state (not constructor arguments) is set in ``__post_init__``, not as a dataclass
default: the mapping replaces class-level defaults.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from identity.domain.exceptions import Conflict, Forbidden, InvalidInput, NotFound

INSURER_USER = "insurer_user"
INSURER_ADMIN = "insurer_admin"
CATALOGUE_MAINTAINER = "catalogue_maintainer"
PLATFORM_ADMIN = "platform_admin"
PUBLICATION_CONSUMER = "publication_consumer"

USER_ROLES = (INSURER_USER, INSURER_ADMIN, CATALOGUE_MAINTAINER, PLATFORM_ADMIN)
INSURER_ROLES = frozenset({INSURER_USER, INSURER_ADMIN})
#: Roles a token carries for a user's role. An insurer admin does everything an insurer user does, so
#: services that require ``insurer_user`` admit insurer admins without knowing about them.
TOKEN_ROLES = {
    INSURER_USER: frozenset({INSURER_USER}),
    INSURER_ADMIN: frozenset({INSURER_ADMIN, INSURER_USER}),
    CATALOGUE_MAINTAINER: frozenset({CATALOGUE_MAINTAINER}),
    PLATFORM_ADMIN: frozenset({PLATFORM_ADMIN}),
}

#: ``jan`` or ``jan@zilverenkruis``: the part after ``@`` is the code (slug) of the user's insurer.
USERNAME_PATTERN = re.compile(r"^(?=.{3,64}$)[a-z0-9][a-z0-9._-]*(@[a-z0-9][a-z0-9-]{1,63})?$")
SLUG_PATTERN = re.compile(r"^[a-z0-9][a-z0-9-]{1,63}$")

#: Contract years a login may ever name; which of them are open is configuration (OPEN_CONTRACT_YEARS).
MIN_CONTRACT_YEAR = 2000
MAX_CONTRACT_YEAR = 2100


def normalise_username(username: str) -> str:
    return username.strip().lower()


def check_username(username: str) -> str:
    name = normalise_username(username)
    if not USERNAME_PATTERN.match(name):
        raise InvalidInput(
            "Gebruikersnaam: 3 tot 64 tekens, kleine letters, cijfers, punt, streepje of liggend streepje; "
            "begint met een letter of cijfer; eventueel gevolgd door @ en de code van de eigen verzekeraar.",
            field="username",
        )
    return name


def username_for(requested: str, insurer: Insurer | None, actor: Actor) -> str:
    """The username a new user gets: insurer admins name users inside their insurer's namespace.

    Usernames are global (a login names only year, username and password), so a name taken by
    another insurer would be a name an insurer admin cannot have: refusing it would tell that admin
    the name exists elsewhere. Instead every insurer owns the names ending in ``@<its code>``: an
    insurer admin's ``jan`` becomes ``jan@zilverenkruis``, a name with another insurer's code is
    refused for everyone, and only platform admins create names without ``@`` (such as the demo
    accounts). So any clash an insurer admin can meet is with a user of its own insurer, whom it
    can list anyway.
    """
    name = normalise_username(requested)
    local, at, code = name.partition("@")
    if at and (insurer is None or code != insurer.slug):
        own = f"@{insurer.slug}" if insurer else "geen @ (deze gebruiker hoort niet bij een verzekeraar)"
        raise InvalidInput(f"Gebruikersnaam: na de @ volgt de code van de eigen verzekeraar: {own}.", field="username")
    if not at and insurer is not None and not actor.is_platform_admin:
        name = f"{local}@{insurer.slug}"
    return check_username(name)


def check_name(name: str, field: str = "name") -> str:
    cleaned = " ".join(name.split())
    if not cleaned or len(cleaned) > 200:
        raise InvalidInput("Naam: 1 tot 200 tekens.", field=field)
    return cleaned


def check_contract_year(year: int, open_years: tuple[int, ...]) -> int:
    """R1: a login names a contract year that is open for contracting."""
    if not MIN_CONTRACT_YEAR <= year <= MAX_CONTRACT_YEAR or year not in open_years:
        choices = ", ".join(str(y) for y in open_years)
        raise InvalidInput(f"Contractjaar {year} is niet open; kies uit {choices}.", field="contract_year")
    return year


@dataclass(frozen=True)
class Actor:
    """Who asks for a change, as the verified identity token says."""

    subject: str
    roles: frozenset[str]
    tenant_id: str | None = None
    session_id: str | None = None

    @property
    def is_platform_admin(self) -> bool:
        return PLATFORM_ADMIN in self.roles

    @property
    def is_insurer_admin(self) -> bool:
        return INSURER_ADMIN in self.roles and self.tenant_id is not None


@dataclass(eq=False)
class Insurer:
    id: str
    slug: str
    name: str
    created_at: datetime
    updated_at: datetime = field(init=False)

    def __post_init__(self) -> None:
        """A new insurer: unchanged since it was registered."""
        self.updated_at = self.created_at

    def rename(self, name: str, now: datetime) -> bool:
        """True when the name actually changed (only then is a rename an event)."""
        if name == self.name:
            return False
        self.name = name
        self.updated_at = now
        return True


@dataclass(eq=False, kw_only=True)
class User:
    id: str
    username: str
    display_name: str
    role: str
    insurer_id: str | None
    password_hash: str = field(repr=False)  # never in logs
    must_change_password: bool
    active: bool = field(init=False)
    created_at: datetime
    password_changed_at: datetime = field(init=False)
    deactivated_at: datetime | None = field(init=False)

    def __post_init__(self) -> None:
        """A new user: active, with the password it was created with."""
        check_role_and_insurer(self.role, self.insurer_id)
        self.active = True
        self.password_changed_at = self.created_at
        self.deactivated_at = None

    @property
    def token_roles(self) -> frozenset[str]:
        return TOKEN_ROLES[self.role]

    def set_password(self, password_hash: str, now: datetime, *, must_change: bool) -> None:
        self.password_hash = password_hash
        self.must_change_password = must_change
        self.password_changed_at = now

    def change_role(self, role: str) -> None:
        check_role_and_insurer(role, self.insurer_id)
        self.role = role

    def deactivate(self, now: datetime) -> bool:
        """True when the user was active (only then is it an event)."""
        if not self.active:
            return False
        self.active = False
        self.deactivated_at = now
        return True


def check_role_and_insurer(role: str, insurer_id: str | None) -> None:
    if role not in USER_ROLES:
        raise InvalidInput(f"Onbekende rol {role!r}; kies uit {', '.join(USER_ROLES)}.", field="role")
    if role in INSURER_ROLES and insurer_id is None:
        raise InvalidInput("Een gebruiker van een verzekeraar hoort bij een verzekeraar.", field="insurer_id")
    if role not in INSURER_ROLES and insurer_id is not None:
        raise InvalidInput("Deze rol hoort niet bij een verzekeraar; laat de verzekeraar leeg.", field="insurer_id")


# --- who may manage whom ------------------------------------------------------------------------------

USER_NOT_FOUND = "Gebruiker niet gevonden."


def user_scope(actor: Actor, requested_insurer_id: str | None = None) -> str | None:
    """Which insurer's users the actor may see: ``None`` means all (platform admin only).

    An insurer admin sees only its own insurer's users; asking for another insurer is refused.
    """
    if actor.is_platform_admin:
        return requested_insurer_id
    if actor.is_insurer_admin:
        if requested_insurer_id not in (None, actor.tenant_id):
            raise Forbidden("U kunt alleen de gebruikers van uw eigen verzekeraar beheren.", field="insurer_id")
        return actor.tenant_id
    raise Forbidden("U heeft geen rechten om gebruikers te beheren.")


def ensure_may_manage(actor: Actor, user: User | None) -> User:
    """The user, when the actor may manage it; another insurer's user is 'not found' (no existence leak)."""
    scope = user_scope(actor)
    if user is None or (scope is not None and user.insurer_id != scope):
        raise NotFound(USER_NOT_FOUND)
    return user


def ensure_may_assign(actor: Actor, role: str, insurer_id: str | None) -> None:
    """Platform admins give any role; insurer admins only insurer roles within their own insurer."""
    if actor.is_platform_admin:
        return
    user_scope(actor, insurer_id)
    if role not in INSURER_ROLES:
        raise Forbidden(
            "Een beheerder van een verzekeraar kan alleen inkopers en beheerders van de eigen verzekeraar aanmaken.",
            field="role",
        )


def ensure_not_self(actor: Actor, user: User, what: str) -> None:
    if actor.subject == user.id:
        raise Conflict(f"U kunt uw eigen account niet {what}.")


# --- sessions and API keys -----------------------------------------------------------------------------


@dataclass(eq=False, kw_only=True)
class Session:
    """A login for one contract year. Ends after ``idle`` without activity (sliding), at logout, or after ``max_age``."""

    id: str
    token_hash: str = field(repr=False)  # never in logs
    user_id: str
    contract_year: int
    created_at: datetime
    last_seen_at: datetime = field(init=False)
    ended_at: datetime | None = field(init=False)
    end_reason: str | None = field(init=False)

    def __post_init__(self) -> None:
        """A new session: seen when it starts, not ended."""
        self.last_seen_at = self.created_at
        self.ended_at = None
        self.end_reason = None

    def expiry_reason(self, now: datetime, idle: timedelta, max_age: timedelta) -> str | None:
        if self.ended_at is not None:
            return self.end_reason or "ended"
        if now - self.last_seen_at >= idle:
            return "idle"
        if now - self.created_at >= max_age:
            return "max_age"
        return None

    def touch(self, now: datetime) -> None:
        """Activity slides the idle timer (R1)."""
        self.last_seen_at = max(self.last_seen_at, now)

    def end(self, now: datetime, reason: str) -> None:
        if self.ended_at is None:
            self.ended_at = now
            self.end_reason = reason


@dataclass(eq=False, kw_only=True)
class ApiKey:
    """A publication consumer's key; only its hash is stored, the key itself is shown once."""

    id: str
    name: str
    prefix: str
    key_hash: str = field(repr=False)  # never in logs
    created_by: str
    created_at: datetime
    revoked_at: datetime | None = field(init=False)
    last_used_at: datetime | None = field(init=False)

    def __post_init__(self) -> None:
        """A new key: active, never used."""
        self.revoked_at = None
        self.last_used_at = None

    @property
    def active(self) -> bool:
        return self.revoked_at is None

    def revoke(self, now: datetime) -> None:
        if self.revoked_at is None:
            self.revoked_at = now

    def used(self, now: datetime) -> None:
        self.last_used_at = now
