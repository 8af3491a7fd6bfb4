"""What contracting's routes share: who may act, and the caller as an :class:`Actor` of one insurer and year."""

from __future__ import annotations

from flask_smorest import abort

from contracting.domain.commands import Actor
from servicekit.api import requires
from servicekit.auth import Principal, require_principal

INSURER_ROLES = ("insurer_user", "insurer_admin")
ROLLOVER_ROLES = ("insurer_admin", "platform_admin")

#: Outermost decorator of an insurer's operations: 401 without a caller, 403 for other roles.
insurer = requires(*INSURER_ROLES)


def actor_of(principal: Principal) -> Actor:
    if not principal.tenant_id or principal.contract_year is None:
        abort(403, message="Uw sessie hoort niet bij een verzekeraar en contractjaar; log opnieuw in.")
    return Actor(
        insurer_id=str(principal.tenant_id),
        year=int(principal.contract_year or 0),
        user_id=principal.subject,
        user_name=principal.username or principal.subject,
    )


def insurer_actor() -> Actor:
    """The logged-in insurer user or admin, scoped to its own insurer and login year."""
    return actor_of(require_principal(*INSURER_ROLES))
