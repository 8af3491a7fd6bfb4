"""Who may manage whom, role rules, contract years, sessions."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from identity.domain import model
from identity.domain.exceptions import Forbidden, InvalidInput, NotFound

ZK, MENZIS = "zk-id", "menzis-id"
PLATFORM = model.Actor("p", frozenset({model.PLATFORM_ADMIN}))
ZK_ADMIN = model.Actor("a", frozenset({model.INSURER_ADMIN, model.INSURER_USER}), tenant_id=ZK)
ZK_USER = model.Actor("u", frozenset({model.INSURER_USER}), tenant_id=ZK)
NOW = datetime(2026, 1, 1, tzinfo=UTC)


def user(insurer_id: str | None, role: str = model.INSURER_USER) -> model.User:
    return model.User(
        id="x",
        username="x",
        display_name="X",
        role=role,
        insurer_id=insurer_id,
        password_hash="h",
        must_change_password=False,
        created_at=NOW,
    )


def test_scope() -> None:
    assert model.user_scope(PLATFORM) is None
    assert model.user_scope(PLATFORM, MENZIS) == MENZIS
    assert model.user_scope(ZK_ADMIN) == ZK
    with pytest.raises(Forbidden):
        model.user_scope(ZK_ADMIN, MENZIS)
    with pytest.raises(Forbidden):
        model.user_scope(ZK_USER)


def test_manage_and_assign() -> None:
    assert model.ensure_may_manage(ZK_ADMIN, user(ZK))
    for other in (user(MENZIS), user(None, model.PLATFORM_ADMIN), None):
        with pytest.raises(NotFound):
            model.ensure_may_manage(ZK_ADMIN, other)
    model.ensure_may_assign(ZK_ADMIN, model.INSURER_ADMIN, ZK)
    with pytest.raises(Forbidden):
        model.ensure_may_assign(ZK_ADMIN, model.PLATFORM_ADMIN, None)
    model.ensure_may_assign(PLATFORM, model.CATALOGUE_MAINTAINER, None)


def test_roles_and_insurers_fit() -> None:
    with pytest.raises(InvalidInput):
        user(None, model.INSURER_USER)
    with pytest.raises(InvalidInput):
        user(ZK, model.CATALOGUE_MAINTAINER)
    assert user(ZK, model.INSURER_ADMIN).token_roles == {model.INSURER_ADMIN, model.INSURER_USER}


def test_contract_years() -> None:
    assert model.check_contract_year(2026, (2026, 2027)) == 2026
    for year in (2025, 1999, 2101):
        with pytest.raises(InvalidInput) as error:
            model.check_contract_year(year, (2026, 2027))
        assert error.value.field == "contract_year"


def test_session_expiry_is_sliding_and_final() -> None:
    session = model.Session(id="s", token_hash="h", user_id="u", contract_year=2026, created_at=NOW)
    idle, max_age = timedelta(minutes=10), timedelta(hours=12)
    assert session.expiry_reason(NOW + timedelta(minutes=9), idle, max_age) is None
    session.touch(NOW + timedelta(minutes=9))
    assert session.expiry_reason(NOW + timedelta(minutes=18), idle, max_age) is None
    assert session.expiry_reason(NOW + timedelta(minutes=19), idle, max_age) == "idle"
    session.end(NOW, "logout")
    assert session.expiry_reason(NOW, idle, max_age) == "logout"
