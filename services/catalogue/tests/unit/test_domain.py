"""Domain rules without I/O: AGB codes, institution attributes, life cycle, offering, CSV planning."""

from __future__ import annotations

from datetime import date

import pytest

from catalogue.domain.exceptions import Conflict, ImportRejected, InvalidInput, RuleViolation
from catalogue.domain.institution_csv import plan_import, read_rows, validate_rows, write_csv
from catalogue.domain.model import (
    Condition,
    Institution,
    Specialism,
    build_institution_data,
    check_offering,
    normalise_agb,
)


@pytest.mark.parametrize(
    ("raw", "expected"),
    [("06990001", "06990001"), ("6990001", "06990001"), (" 22990001 ", "22990001"), (6990001, "06990001")],
)
def test_agb_codes_are_normalised(raw, expected):
    assert normalise_agb(raw) == expected


@pytest.mark.parametrize("raw", ["", None, "123456", "123456789", "0699O001", "-6990001"])
def test_malformed_agb_codes_are_refused(raw):
    with pytest.raises(InvalidInput) as caught:
        normalise_agb(raw)
    assert "agb_code" in caught.value.errors


def test_every_bad_field_is_reported_at_once():
    with pytest.raises(InvalidInput) as caught:
        build_institution_data(
            {"agb_code": "1", "name": "", "type": "x", "country": "FR", "email": "a", "opened_on": "gisteren"}
        )
    assert set(caught.value.errors) == {"agb_code", "name", "type", "country", "email", "opened_on"}


def _institution(**overrides):  # type: ignore[no-untyped-def]
    raw = {"agb_code": "22990001", "name": "Kliniek", "type": "zbc", "country": "NL", **overrides}
    return Institution("i-1", build_institution_data(raw), revision=1)


def test_life_cycle_rules():
    clinic = _institution(opened_on="2020-01-01")
    closed = clinic.close(date(2024, 1, 1))
    assert closed.revision == 2 and closed.is_closed
    with pytest.raises(Conflict):
        closed.close(date(2025, 1, 1))
    with pytest.raises(InvalidInput):
        clinic.close(date(2019, 1, 1))
    with pytest.raises(InvalidInput):
        clinic.merge_into(clinic, date(2024, 1, 1))
    with pytest.raises(RuleViolation, match="R11"):
        _institution(type="foreign_hospital", country="BE").check_offering_allowed()


def test_offering_conditions_need_their_specialism():
    specs = {"s1": Specialism("s1", "0301", "Oog", 1), "s2": Specialism("s2", "0305", "Ortho", 1, retired=True)}
    conds = {"c1": Condition("c1", "s1", "Staar", 1)}
    check_offering(["s1"], ["c1"], specs, conds)
    with pytest.raises(InvalidInput) as caught:
        check_offering(["s2", "s3"], ["c1", "c9"], specs, conds)
    assert set(caught.value.errors) == {"specialism_ids", "condition_ids"}


def test_csv_plan_registers_updates_and_skips():
    existing = _institution(name="Oud")
    text = "agb_code;name;type;country\n22990001;Nieuw;zbc;NL\n22990002;Tweede;zbc;NL\n"
    rows = validate_rows(read_rows(text), {})
    plan = plan_import(rows, {"22990001": existing}, lambda _: False)
    assert plan.summary() == {"created": 1, "updated": 1, "closed": 0, "unchanged": 0, "events": 2}
    again = plan_import(validate_rows(read_rows(text), {}), {"22990001": plan.updates[0]}, lambda _: False)
    assert again.summary()["unchanged"] == 1


def test_csv_rejects_all_rows_at_once_with_lines():
    text = 'agb_code,name,type,country\n1,,zbc,NL\n\n22990001,"Multi\nline",x,NL\n'
    with pytest.raises(ImportRejected) as caught:
        validate_rows(read_rows(text), {})
    assert [(r["line"], r["field"]) for r in caught.value.rows] == [(2, "agb_code"), (2, "name"), (4, "type")]


def test_write_csv_quotes_and_formats_dates():
    text = write_csv(
        [{"agb_code": "06990001", "name": 'A, "B"', "type": "zbc", "country": "NL", "opened_on": date(2020, 1, 2)}]
    )
    assert text.splitlines()[1] == '06990001,"A, ""B""",zbc,NL,,,,,,,2020-01-02,'
