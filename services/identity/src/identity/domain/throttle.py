"""Throttling of failed logins, per (account + client address) and per address, without a permanent lockout.

After ``limit`` failures the key is blocked for ``base_block`` seconds, doubling with every further
failure up to ``max_block``; a quiet period of ``forget_after`` seconds after the last failure (and its block)
forgets everything. An attacker therefore gets a handful of guesses per quarter of an hour, while the real
user waits at most ``max_block`` seconds once the attack stops. The account part of a key is the
username as typed, whether or not it exists, so the answers never reveal which usernames exist.

Which keys a login counts against (:func:`login_keys`):

- the pair (username, address), with the low per-account limit: one person mistyping a password
  blocks only that account from that address. Colleagues behind the same office address (one NAT
  address for a whole purchasing team) log in as usual, and so does the same user from elsewhere;
- the address alone, with a far higher limit: it stops one address guessing across many usernames
  (a spray), without letting one person's typos lock out the office.

There is deliberately no account-wide key: with it, anyone anywhere could lock a known colleague out
by failing on purpose. Guessing one account from many addresses is bounded per address, and slowed
by argon2id and the password policy. Changing one's own password (already logged in) counts against
the account key (:func:`account_key`).
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


def pair_key(username: str, address: str | None) -> str:
    return "pair:" + username.strip().lower()[:200] + "|" + (address or "unknown")[:100]


def login_keys(username: str, address: str | None) -> tuple[str, str]:
    """(pair key, address key) of a login attempt: the pair gets the account rule, the address its own."""
    return pair_key(username, address), address_key(address)


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
