"""What the support routes share: who may act, the caller as an :class:`Actor` (insurer or maintainer), and
the fields every case answers with."""

from __future__ import annotations

from datetime import UTC, date, datetime

from flask_smorest import abort
from marshmallow import fields

from servicekit.api import requires, unit_of_work
from servicekit.auth import require_principal
from servicekit.schemas import BaseSchema
from support.domain.commands import Actor
from support.domain.model import Side
from support.service_layer.requests import local_day

#: ``unit_of_work`` is the kit's (``servicekit.api``), re-exported for the routes.
__all__ = [
    "INSURER_ROLES",
    "MAINTAINER_ROLES",
    "CaseSchema",
    "anyone",
    "current_actor",
    "insurer",
    "maintainer",
    "now",
    "today",
    "unit_of_work",
    "viewer_insurer",
]

INSURER_ROLES = ("insurer_user", "insurer_admin")
MAINTAINER_ROLES = ("catalogue_maintainer", "platform_admin")

#: insurers report and request; maintainers answer; both read
anyone = requires(*INSURER_ROLES, *MAINTAINER_ROLES)
insurer = requires(*INSURER_ROLES)
maintainer = requires(*MAINTAINER_ROLES)


class CaseSchema(BaseSchema):
    """What every case (problem report, change request) answers with; each kind adds its own fields and
    describes its ``number`` and ``status``."""

    id = fields.String()
    insurer_id = fields.String()
    status_name = fields.String()
    created_at = fields.DateTime()
    updated_at = fields.DateTime()


def current_actor() -> Actor:
    """The caller: a maintainer (sees everything) or an insurer's user (its own insurer only)."""
    principal = require_principal(*INSURER_ROLES, *MAINTAINER_ROLES)
    name = principal.username or principal.subject
    if principal.has_any_role(MAINTAINER_ROLES):
        return Actor(Side.MAINTAINER, principal.subject, name)
    if not principal.tenant_id:
        abort(403, message="Uw sessie hoort niet bij een verzekeraar; log opnieuw in.")
    return Actor(Side.INSURER, principal.subject, name, str(principal.tenant_id))


def viewer_insurer(actor: Actor) -> str | None:
    """The insurer whose items the caller may see; ``None``: all of them (maintainers)."""
    return actor.insurer_id if actor.side is Side.INSURER else None


def now() -> datetime:
    return datetime.now(UTC)


def today() -> date:
    return local_day(now())
