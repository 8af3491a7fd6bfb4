"""What the catalogue's routes share: who may write, and the unit of work or read session of a request."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from sqlalchemy.orm import Session

from servicekit.api import current_runtime, requires
from servicekit.db import UnitOfWork

#: Who may change master data; every logged-in principal may read it.
WRITER_ROLES = ("catalogue_maintainer", "platform_admin")

#: Write views: 401 without a principal, 403 for anyone but a catalogue maintainer or platform admin.
writer = requires(*WRITER_ROLES)
#: Read views: any logged-in principal (insurers, publication consumers, ...).
logged_in = requires()


def unit_of_work() -> UnitOfWork:
    return current_runtime().unit_of_work()  # type: ignore[no-any-return]


@contextmanager
def read_session() -> Iterator[Session]:
    with current_runtime().sessions() as session:
        yield session
