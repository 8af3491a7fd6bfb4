"""Commands: what a caller asks the identity service to do (imperative names, plain data)."""

from __future__ import annotations

from dataclasses import dataclass

from identity.domain.model import Actor


@dataclass(frozen=True)
class Login:
    contract_year: int
    username: str
    password: str
    client_address: str | None
    new_password: str | None = None


@dataclass(frozen=True)
class CheckAccess:
    """The gateway's question: who is behind these credentials? At most one kind is used.

    ``method``, ``uri`` and ``request_id`` name the request the gateway is about to forward: the
    identity token is bound to it (see servicekit.auth).
    """

    bearer: str | None = None
    cookie: str | None = None
    api_key: str | None = None
    method: str = ""
    uri: str = ""
    request_id: str = ""


@dataclass(frozen=True)
class Logout:
    session_id: str


@dataclass(frozen=True)
class RegisterInsurer:
    actor: Actor
    slug: str
    name: str


@dataclass(frozen=True)
class RenameInsurer:
    actor: Actor
    insurer_id: str
    name: str


@dataclass(frozen=True)
class CreateUser:
    actor: Actor
    username: str
    display_name: str
    role: str
    insurer_id: str | None
    password: str
    #: Admin-chosen passwords must be replaced at the first login; only demo data says otherwise.
    must_change_password: bool = True


@dataclass(frozen=True)
class UpdateUser:
    actor: Actor
    user_id: str
    display_name: str | None = None
    role: str | None = None


@dataclass(frozen=True)
class ResetPassword:
    actor: Actor
    user_id: str
    new_password: str


@dataclass(frozen=True)
class DeactivateUser:
    actor: Actor
    user_id: str


@dataclass(frozen=True)
class ChangeOwnPassword:
    actor: Actor
    current_password: str
    new_password: str


@dataclass(frozen=True)
class CreateApiKey:
    actor: Actor
    name: str
    #: Demo data only: a fixed key, so that ``make run`` has a known publication consumer.
    fixed_key: str | None = None


@dataclass(frozen=True)
class RevokeApiKey:
    actor: Actor
    api_key_id: str


@dataclass(frozen=True)
class PurgeSessions:
    """Delete sessions dead for longer than the retention, at most ``batch_size`` rows a statement
    and ``max_batches`` statements a run (bounded: the rest waits for the next run)."""

    batch_size: int = 1000
    max_batches: int = 20
