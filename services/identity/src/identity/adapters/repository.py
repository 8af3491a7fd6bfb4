"""Loading and adding domain objects; SQLAlchemy 2 style (``select()``, ``session.get``) only."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

from sqlalchemy import delete, select, update
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.orm import Session as OrmSession

from identity.adapters.orm import api_key, insurer, login_throttle, user_account, user_session
from identity.domain.model import ApiKey, Insurer, Session, User
from identity.domain.throttle import LoginThrottle


class Repository:
    def __init__(self, session: OrmSession) -> None:
        self._session = session

    def add(self, obj: object) -> None:
        self._session.add(obj)

    def flush(self) -> None:
        self._session.flush()

    # insurers
    def insurer(self, insurer_id: str) -> Insurer | None:
        return self._session.get(Insurer, insurer_id)

    def insurer_by_slug(self, slug: str) -> Insurer | None:
        return self._session.scalars(select(Insurer).where(insurer.c.slug == slug)).one_or_none()

    def insurer_by_name(self, name: str) -> Insurer | None:
        return self._session.scalars(select(Insurer).where(insurer.c.name == name)).one_or_none()

    # users
    def user(self, user_id: str, *, for_update: bool = False) -> User | None:
        return self._session.get(User, user_id, with_for_update=for_update)

    def user_by_username(self, username: str) -> User | None:
        return self._session.scalars(select(User).where(user_account.c.username == username)).one_or_none()

    # sessions
    def session(self, session_id: str) -> Session | None:
        return self._session.get(Session, session_id)

    def session_by_token_hash(self, token_hash: str) -> Session | None:
        query = select(Session).where(user_session.c.token_hash == token_hash).with_for_update()
        return self._session.scalars(query).one_or_none()

    def end_sessions_of(self, user_id: str, now: datetime, reason: str, keep: str | None = None) -> None:
        """One statement over the user's live sessions (set-based, not a loop over objects)."""
        statement = (
            update(user_session)
            .where(user_session.c.user_id == user_id, user_session.c.ended_at.is_(None))
            .values(ended_at=now, end_reason=reason)
        )
        if keep is not None:
            statement = statement.where(user_session.c.id != keep)
        self._session.execute(statement, execution_options={"synchronize_session": "fetch"})

    def delete_sessions_created_before(self, created: datetime, limit: int) -> int:
        """Delete up to ``limit`` sessions created before ``created`` (index ix_user_session_created_at)."""
        ids = list(
            self._session.scalars(select(user_session.c.id).where(user_session.c.created_at < created).limit(limit))
        )
        if ids:
            self._session.execute(delete(user_session).where(user_session.c.id.in_(ids)))
        return len(ids)

    # API keys
    def api_key(self, api_key_id: str) -> ApiKey | None:
        return self._session.get(ApiKey, api_key_id)

    def api_key_by_hash(self, key_hash: str) -> ApiKey | None:
        return self._session.scalars(select(ApiKey).where(api_key.c.key_hash == key_hash)).one_or_none()

    # login throttling
    def throttles(self, keys: Iterable[str]) -> list[LoginThrottle]:
        """The throttle rows of ``keys``, created when missing and locked for this transaction.

        Insert-if-missing is an upsert, so that concurrent first failures cannot collide.
        """
        keys = sorted(set(keys))
        insert = pg_insert if self._session.get_bind().dialect.name == "postgresql" else sqlite_insert
        self._session.execute(
            insert(login_throttle).values([{"key": key, "failures": 0} for key in keys]).on_conflict_do_nothing()
        )
        query = (
            select(LoginThrottle).where(login_throttle.c.key.in_(keys)).order_by(login_throttle.c.key).with_for_update()
        )
        return list(self._session.scalars(query))
