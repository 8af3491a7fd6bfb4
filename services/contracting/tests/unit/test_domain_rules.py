"""Domain rules without I/O: statuses per level (R10), cascades (R7/R9), foreign hospitals (R11), R4, R16 defaults."""

from __future__ import annotations

import pytest

from contracting.domain.exceptions import InvalidInput
from contracting.domain.model import (
    Level,
    Status,
    check_cascade,
    check_collection_fields,
    check_level_for_institution,
    check_status_allowed,
    default_status_below,
    is_foreign,
    parse_status,
)


@pytest.mark.parametrize("status", list(Status))
def test_r5_every_status_exists_at_institution_and_department_level(status: Status) -> None:
    check_status_allowed(Level.INSTITUTION, status)
    check_status_allowed(Level.DEPARTMENT, status)


def test_r10_partial_does_not_exist_at_condition_level() -> None:
    with pytest.raises(InvalidInput) as caught:
        check_status_allowed(Level.CONDITION, Status.PARTIAL)
    assert caught.value.rule == "R10" and "Gedeeltelijk" in caught.value.message
    for status in (Status.NOT_CONTRACTED, Status.IN_NEGOTIATION, Status.FULL):
        check_status_allowed(Level.CONDITION, status)


def test_r7_cascade_from_institution_reaches_conditions_then_departments() -> None:
    assert check_cascade(Level.INSTITUTION, Status.FULL) == (Level.CONDITION, Level.DEPARTMENT)
    assert check_cascade(Level.INSTITUTION, Status.NOT_CONTRACTED) == (Level.CONDITION, Level.DEPARTMENT)
    assert check_cascade(Level.INSTITUTION, Status.IN_NEGOTIATION) == (Level.CONDITION, Level.DEPARTMENT)


def test_r7_partial_cascade_is_refused() -> None:
    with pytest.raises(InvalidInput) as caught:
        check_cascade(Level.INSTITUTION, Status.PARTIAL)
    assert caught.value.rule == "R7" and caught.value.field == "cascade"


def test_r9_department_cascade_reaches_conditions_and_refuses_partial() -> None:
    assert check_cascade(Level.DEPARTMENT, Status.FULL) == (Level.CONDITION,)
    with pytest.raises(InvalidInput) as caught:
        check_cascade(Level.DEPARTMENT, Status.PARTIAL)
    assert caught.value.rule == "R9"


def test_r10_nothing_below_conditions_to_cascade_to() -> None:
    with pytest.raises(InvalidInput):
        check_cascade(Level.CONDITION, Status.FULL)


@pytest.mark.parametrize(
    ("country", "kind", "foreign"),
    [
        ("NL", "general_hospital", False),
        ("BE", "foreign_hospital", True),
        ("DE", "general_hospital", True),
        ("NL", "foreign_hospital", True),
    ],
)
def test_r11_foreign_hospitals(country: str, kind: str, foreign: bool) -> None:
    assert is_foreign(country, kind) is foreign


def test_r11_foreign_hospital_only_at_institution_level() -> None:
    check_level_for_institution(Level.INSTITUTION, country="BE", institution_type="foreign_hospital", name="UZ Leuven")
    for level in (Level.DEPARTMENT, Level.CONDITION):
        with pytest.raises(InvalidInput) as caught:
            check_level_for_institution(level, country="BE", institution_type="foreign_hospital", name="UZ Leuven")
        assert caught.value.rule == "R11" and "UZ Leuven" in caught.value.message


def test_r16_new_rows_are_full_only_under_a_full_parent() -> None:
    assert default_status_below("FULL") is Status.FULL
    for parent in ("NOT_CONTRACTED", "IN_NEGOTIATION", "PARTIAL", None):
        assert default_status_below(parent) is Status.NOT_CONTRACTED


def test_r4_collection_fields_come_from_the_maintained_lists() -> None:
    check_collection_fields(name="Basis 2026", care_type="hospital", collection_type="basic")
    for kwargs, field in (
        ({"name": " ", "care_type": "hospital", "collection_type": "basic"}, "name"),
        ({"name": "X", "care_type": "ggz", "collection_type": "basic"}, "care_type"),
        ({"name": "X", "care_type": "hospital", "collection_type": "gold"}, "collection_type"),
    ):
        with pytest.raises(InvalidInput) as caught:
            check_collection_fields(**kwargs)
        assert caught.value.field == field and caught.value.rule == "R4"


def test_statuses_parse_from_code_or_dutch_label() -> None:
    assert parse_status("Volledig") is Status.FULL
    assert parse_status("in onderhandeling") is Status.IN_NEGOTIATION
    assert parse_status("PARTIAL") is Status.PARTIAL
    with pytest.raises(InvalidInput):
        parse_status("misschien")
