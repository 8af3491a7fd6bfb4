"""Login throttling: escalating, capped blocks; forgotten after a quiet period; never permanent."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from identity.domain.throttle import LoginThrottle, ThrottleRule, account_key, address_key, login_keys, pair_key

RULE = ThrottleRule(limit=3, forget_after=600, base_block=10, max_block=100)
T0 = datetime(2026, 1, 1, tzinfo=UTC)


def test_blocks_start_at_the_limit_and_double_up_to_the_cap() -> None:
    throttle = LoginThrottle("account:x")
    now = T0
    throttle.record_failure(now, RULE)
    throttle.record_failure(now, RULE)
    assert throttle.retry_after(now) == 0
    blocks = []
    for _ in range(6):
        throttle.record_failure(now, RULE)
        blocks.append(throttle.retry_after(now))
        now += timedelta(seconds=blocks[-1])
        assert throttle.retry_after(now) == 0
    assert blocks == [10, 20, 40, 80, 100, 100]


def test_a_quiet_period_after_the_block_forgets_the_failures() -> None:
    throttle = LoginThrottle("account:x")
    for _ in range(3):
        throttle.record_failure(T0, RULE)
    assert throttle.retry_after(T0) == 10
    throttle.record_failure(T0 + timedelta(seconds=10 + 600), RULE)
    assert throttle.failures == 1 and throttle.retry_after(T0 + timedelta(seconds=610)) == 0


def test_retry_after_rounds_up_and_reset_clears() -> None:
    throttle = LoginThrottle("k")
    for _ in range(3):
        throttle.record_failure(T0, RULE)
    assert throttle.retry_after(T0 + timedelta(seconds=9.2)) == 1
    throttle.reset()
    assert throttle.retry_after(T0) == 0 and throttle.failures == 0


def test_keys() -> None:
    assert account_key("  ZK-Admin ") == "account:zk-admin"
    assert address_key(None) == "address:unknown"
    assert len(account_key("x" * 1000)) <= 310
    assert login_keys(" ZK-Inkoper", "192.0.2.1") == ("pair:zk-inkoper|192.0.2.1", "address:192.0.2.1")
    assert pair_key("a", None) == "pair:a|unknown"
    assert len(pair_key("x" * 1000, "y" * 1000)) <= 310  # the key column's width
