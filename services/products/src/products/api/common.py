"""Who may act in the products service, and the caller as an :class:`Actor`."""

from __future__ import annotations

from flask_smorest import abort

from products.domain.commands import Actor
from servicekit.api import requires
from servicekit.auth import require_principal

PLATFORM_ADMIN = "platform_admin"
INSURER_ADMIN = "insurer_admin"
INSURER_ROLES = ("insurer_user", "insurer_admin")

#: Everybody logged in reads (users of every kind and API keys).
reader = requires()
platform_admin = requires(PLATFORM_ADMIN)
insurer = requires(*INSURER_ROLES)
insurer_admin = requires(INSURER_ADMIN)


def insurer_actor(*roles: str) -> Actor:
    """The logged-in insurer user (or admin), scoped to its own insurer and login year."""
    principal = require_principal(*(roles or INSURER_ROLES))
    if not principal.tenant_id or principal.contract_year is None:
        abort(403, message="Uw sessie hoort niet bij een verzekeraar en contractjaar; log opnieuw in.")
    return Actor(
        user_name=principal.username or principal.subject,
        insurer_id=str(principal.tenant_id),
        year=int(principal.contract_year or 0),
    )
