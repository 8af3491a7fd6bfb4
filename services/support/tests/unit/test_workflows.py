"""R14 and R15 workflows: every (from, to, side) combination is either allowed or refused with a 409.

The expected tables are written out here on their own (not read from the code), so a change to the
code's transition table fails a test.
"""

from __future__ import annotations

import itertools

import pytest

from servicekit.exceptions import Conflict
from support.domain.model import (
    ReportStatus,
    RequestStatus,
    Side,
    check_report_transition,
    check_request_transition,
)

M, INS = Side.MAINTAINER, Side.INSURER

R14_ALLOWED = {
    ("new", "in_progress"): {M},
    ("new", "waiting_for_reporter"): {M},
    ("new", "resolved"): {M},
    ("new", "closed"): {M, INS},
    ("in_progress", "waiting_for_reporter"): {M},
    ("in_progress", "resolved"): {M},
    ("in_progress", "closed"): {M, INS},
    ("waiting_for_reporter", "in_progress"): {M, INS},
    ("waiting_for_reporter", "resolved"): {M},
    ("waiting_for_reporter", "closed"): {M, INS},
    ("resolved", "in_progress"): {M, INS},
    ("resolved", "closed"): {M, INS},
}

R15_ALLOWED = {
    ("submitted", "in_review"): {M},
    ("submitted", "approved"): {M},
    ("submitted", "rejected"): {M},
    ("submitted", "withdrawn"): {INS},
    ("in_review", "approved"): {M},
    ("in_review", "rejected"): {M},
    ("in_review", "withdrawn"): {INS},
}

REPORT_CASES = list(itertools.product([s.value for s in ReportStatus], [s.value for s in ReportStatus], [M, INS]))
REQUEST_CASES = list(itertools.product([s.value for s in RequestStatus], [s.value for s in RequestStatus], [M, INS]))


@pytest.mark.parametrize(("current", "wanted", "side"), REPORT_CASES)
def test_r14_report_transition(current: str, wanted: str, side: Side) -> None:
    """R14: allowed moves succeed; every other move (a closed report is final) is a 409 naming ``status``."""
    if side in R14_ALLOWED.get((current, wanted), set()):
        assert check_report_transition(current, wanted, side) == wanted
    else:
        with pytest.raises(Conflict) as refused:
            check_report_transition(current, wanted, side)
        assert refused.value.errors is not None
        assert refused.value.errors["status"][0].startswith("R14: ")


@pytest.mark.parametrize(("current", "wanted", "side"), REQUEST_CASES)
def test_r15_request_transition(current: str, wanted: str, side: Side) -> None:
    """R15: submitted -> in review -> approved/rejected; the requester withdraws; decisions are final."""
    if side in R15_ALLOWED.get((current, wanted), set()):
        assert check_request_transition(current, wanted, side) == wanted
    else:
        with pytest.raises(Conflict) as refused:
            check_request_transition(current, wanted, side)
        assert refused.value.errors is not None
        assert refused.value.errors["status"][0].startswith("R15: ")


def test_the_tables_cover_both_workflows() -> None:
    assert len(REPORT_CASES) == 50 and len(REQUEST_CASES) == 50
    assert sum(len(sides) for sides in R14_ALLOWED.values()) == 18
    assert sum(len(sides) for sides in R15_ALLOWED.values()) == 7
