"""What the catalogue's routes share: who may write, and the unit of work of a request."""

from __future__ import annotations

from servicekit.api import requires, unit_of_work

#: ``unit_of_work`` is the kit's (``servicekit.api``), re-exported for the routes.
__all__ = ["WRITER_ROLES", "logged_in", "unit_of_work", "writer"]

#: Who may change master data; every logged-in principal may read it.
WRITER_ROLES = ("catalogue_maintainer", "platform_admin")

#: Write views: 401 without a principal, 403 for anyone but a catalogue maintainer or platform admin.
writer = requires(*WRITER_ROLES)
#: Read views: any logged-in principal (insurers, publication consumers, ...).
logged_in = requires()
