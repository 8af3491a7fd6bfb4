"""R15: the answer to a data change request is due five working days after submission.

Weekends and Dutch public holidays (the ``holidays`` package) do not count; the day of submission
itself does not count either. Fixed dates, no clock.
"""

from __future__ import annotations

from datetime import date

import pytest

from support.domain.working_days import add_working_days, answer_due_on, is_working_day


@pytest.mark.parametrize(
    ("submitted_on", "due_on", "why"),
    [
        (date(2026, 11, 27), date(2026, 12, 4), "R15: a Friday: the weekend does not count"),
        (date(2027, 4, 26), date(2027, 5, 4), "R15: the day before King's Day (Tue 27 April 2027) skips it"),
        (date(2028, 4, 26), date(2028, 5, 4), "R15: the day before King's Day (Thu 27 April 2028) skips it"),
        (
            date(2026, 12, 23),
            date(2026, 12, 31),
            "R15: 23 December 2026: Christmas Day (Fri) skipped, Boxing Day is a Saturday",
        ),
        (date(2025, 12, 23), date(2026, 1, 2), "R15: 23 December 2025: both Christmas days and New Year skipped"),
        (date(2025, 4, 30), date(2025, 5, 8), "R15: Liberation Day 2025 is a lustrum year: a day off"),
        (date(2026, 4, 30), date(2026, 5, 7), "R15: Liberation Day 2026 is no lustrum year: a working day"),
        (date(2026, 5, 13), date(2026, 5, 21), "R15: Ascension Day (Thu 14 May 2026) skipped"),
        (date(2026, 5, 22), date(2026, 6, 1), "R15: Whit Monday (25 May 2026) skipped"),
        (date(2026, 4, 2), date(2026, 4, 10), "R15: Easter Monday skipped; Good Friday is a working day"),
        (date(2026, 11, 28), date(2026, 12, 4), "R15: submitted on a Saturday: counting starts on Monday"),
    ],
)
def test_answer_due_on(submitted_on: date, due_on: date, why: str) -> None:
    assert answer_due_on(submitted_on) == due_on, why


def test_days_off_are_not_working_days() -> None:
    """R15: weekend and the listed Dutch public holidays are not working days."""
    assert not is_working_day(date(2026, 11, 28))  # Saturday
    assert not is_working_day(date(2026, 11, 29))  # Sunday
    for day in (
        date(2026, 1, 1),
        date(2026, 4, 6),
        date(2026, 4, 27),
        date(2026, 5, 14),
        date(2026, 5, 25),
        date(2026, 12, 25),
        date(2025, 12, 26),
        date(2025, 5, 5),
    ):
        assert not is_working_day(day), day
    assert is_working_day(date(2026, 5, 5))  # Liberation Day outside a lustrum year
    assert is_working_day(date(2026, 4, 3))  # Good Friday


def test_zero_working_days_is_the_same_day() -> None:
    assert add_working_days(date(2026, 11, 27), 0) == date(2026, 11, 27)
