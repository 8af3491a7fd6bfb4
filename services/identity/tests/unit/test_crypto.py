"""Secrets: argon2id at production cost, random tokens, digests."""

from __future__ import annotations

from identity.adapters import crypto


def test_production_hasher_is_argon2id_rfc9106_low_memory() -> None:
    hasher = crypto.Argon2Hasher()
    password_hash = hasher.hash("Demo2026Zcp!")
    assert password_hash.startswith("$argon2id$v=19$m=65536,t=3,p=4$")
    assert hasher.verify(password_hash, "Demo2026Zcp!")
    assert not hasher.verify(password_hash, "demo2026zcp!")
    assert not hasher.verify("not-a-hash", "x")
    assert not hasher.needs_rehash(password_hash)
    assert crypto.Argon2Hasher(time_cost=1, memory_cost=1024, parallelism=1).needs_rehash(password_hash)


def test_tokens_are_random_long_and_distinguishable() -> None:
    tokens = {crypto.new_session_token() for _ in range(100)}
    assert len(tokens) == 100 and all(len(t) >= 43 for t in tokens)
    key = crypto.new_api_key()
    assert crypto.is_api_key(key) and not any(crypto.is_api_key(t) for t in tokens if not t.startswith("zcpk_"))
    assert len(crypto.digest(key)) == 64 and crypto.digest(key) != key
