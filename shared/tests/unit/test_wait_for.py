"""The tests' bounded polling: a fixed limit, or a limit without progress (a loaded machine still getting there)."""

from __future__ import annotations

import time

import pytest

from servicekit.testing.servers import wait_for


def test_without_progress_it_fails_after_the_timeout() -> None:
    started = time.monotonic()
    with pytest.raises(AssertionError, match=r"timed out after 0\.3s waiting for nothing"):
        wait_for(lambda: False, timeout=0.3, interval=0.02, message="nothing")
    assert time.monotonic() - started < 2


def test_progress_extends_the_timeout_while_the_work_moves() -> None:
    started = time.monotonic()

    def elapsed_steps() -> int:
        return int((time.monotonic() - started) / 0.1)  # changes every 0.1 s

    assert wait_for(lambda: time.monotonic() - started > 1.0, timeout=0.3, interval=0.02, progress=elapsed_steps)


def test_a_stalled_progress_fails_after_the_timeout_without_progress() -> None:
    started = time.monotonic()
    with pytest.raises(AssertionError, match=r"the last 0\.3s without progress"):
        wait_for(lambda: False, timeout=0.3, interval=0.02, progress=lambda: min(3, int(time.monotonic() - started)))
    assert 0.3 <= time.monotonic() - started < 3


def test_progress_never_waits_longer_than_most() -> None:
    started = time.monotonic()
    with pytest.raises(AssertionError):
        wait_for(lambda: False, timeout=0.3, interval=0.02, progress=time.monotonic, most=0.8)
    assert 0.8 <= time.monotonic() - started < 2
