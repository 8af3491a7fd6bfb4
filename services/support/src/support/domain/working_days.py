"""R15: the maintainer answers a data change request within five working days.

Weekends and Dutch public holidays do not count. The ``holidays`` package knows the Dutch ones
(New Year, Easter Monday, King's Day — moved to the 26th when the 27th is a Sunday —, Liberation Day
in lustrum years, Ascension, Whit Monday, Christmas and Boxing Day). It also lists Good Friday,
which is not a day off in the Netherlands for most employers, and the Sunday feasts (already
weekend days), so Good Friday is left out here.
"""

from __future__ import annotations

from datetime import date, timedelta
from functools import lru_cache

import holidays

ANSWER_WITHIN_WORKING_DAYS = 5
_NOT_A_DAY_OFF = ("Good Friday",)


@lru_cache(maxsize=64)
def dutch_public_holidays(year: int) -> frozenset[date]:
    return frozenset(
        day for day, name in holidays.country_holidays("NL", years=year).items() if name not in _NOT_A_DAY_OFF
    )


def is_working_day(day: date) -> bool:
    return day.weekday() < 5 and day not in dutch_public_holidays(day.year)


def add_working_days(start: date, count: int) -> date:
    """The ``count``-th working day after ``start`` (``start`` itself never counts)."""
    day = start
    remaining = count
    while remaining > 0:
        day += timedelta(days=1)
        if is_working_day(day):
            remaining -= 1
    return day


def answer_due_on(submitted_on: date) -> date:
    """The last day on which the maintainer's answer is on time (R15)."""
    return add_working_days(submitted_on, ANSWER_WITHIN_WORKING_DAYS)
