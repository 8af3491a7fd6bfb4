"""The identity unit of work: the kit's transaction and outbox, plus this service's repository."""

from __future__ import annotations

from identity.adapters.repository import Repository
from servicekit.db import UnitOfWork


class IdentityUnitOfWork(UnitOfWork):
    def __enter__(self) -> IdentityUnitOfWork:
        super().__enter__()
        return self

    @property
    def repo(self) -> Repository:
        return Repository(self.session)
