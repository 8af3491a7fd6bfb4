"""Throttling of failed logins, per account and per client address, without a permanent lockout.

After ``limit`` failures the key is blocked for ``base_block`` seconds, doubling with every further
failure up to ``max_block``; a quiet period of ``forget_after`` seconds after the last failure (and its block)
forgets everything. An attacker therefore gets a handful of guesses per quarter of an hour, while the real
user waits at most ``max_block`` seconds once the attack stops. The account key is the username as
typed, whether or not it exists, so the answers never reveal which usernames exist.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import datetime, timedelta


@dataclass(frozen=True)
class ThrottleRule:
    limit: int
    forget_after: int
    base_block: int
    max_block: int


def account_key(username: str) -> str:
    return "account:" + username.strip().lower()[:200]


def address_key(address: str | None) -> str:
    return "address:" + (address or "unknown")[:100]


class LoginThrottle:
    def __init__(self, key: str) -> None:
        self.key = key
        self.failures = 0
        self.last_failure_at: datetime | None = None
        self.blocked_until: datetime | None = None

    def retry_after(self, now: datetime) -> int:
        """Seconds until a login may be tried again; 0 when not blocked."""
        if self.blocked_until is None or self.blocked_until <= now:
            return 0
        return max(1, math.ceil((self.blocked_until - now).total_seconds()))

    def record_failure(self, now: datetime, rule: ThrottleRule) -> None:
        # The quiet period starts when the last failure's block ends, so a long block forgets nothing.
        quiet_since = max(filter(None, (self.last_failure_at, self.blocked_until)), default=None)
        if quiet_since is not None and now - quiet_since >= timedelta(seconds=rule.forget_after):
            self.failures = 0
            self.blocked_until = None
        self.failures += 1
        self.last_failure_at = now
        if self.failures >= rule.limit:
            seconds = min(rule.base_block * 2 ** min(self.failures - rule.limit, 20), rule.max_block)
            self.blocked_until = now + timedelta(seconds=seconds)

    def reset(self) -> None:
        self.failures = 0
        self.last_failure_at = None
        self.blocked_until = None
