"""The identity unit of work: the kit's transaction and outbox, plus this service's repository."""

from __future__ import annotations

from servicekit.db import UnitOfWork

from identity.adapters.repository import Repository


class IdentityUnitOfWork(UnitOfWork):
    @property
    def repo(self) -> Repository:
        return Repository(self.session)
