"""The demo catalogue: sizes, deterministic ids, recognisable demo AGB codes, offerings that fit each type."""

from __future__ import annotations

from collections import Counter, defaultdict

from catalogue.domain.model import CATEGORICAL_TYPES, HOSPITAL_TYPES, build_institution_data
from catalogue.reference_data import build_catalogue, demo_catalogue, synthetic_catalogue


def test_sizes_match_the_dutch_market():
    catalogue = demo_catalogue()
    kinds = Counter(row["type"] for row in catalogue.institutions)
    assert 65 <= len(catalogue.groups) <= 75
    assert 105 <= sum(kinds[t] for t in HOSPITAL_TYPES) <= 120
    assert kinds["zbc"] == 200
    assert 60 <= sum(kinds[t] for t in CATEGORICAL_TYPES) <= 80
    assert kinds["foreign_hospital"] == 30
    assert len(catalogue.specialisms) >= 30 and 200 <= len(catalogue.conditions) <= 400
    assert all(row["is_demo"] for row in catalogue.conditions)
    per_specialism = Counter(row["specialism_id"] for row in catalogue.conditions)
    assert max(per_specialism.values()) <= 15


def test_deterministic_and_valid():
    first, second = demo_catalogue(), build_catalogue(1)
    assert first.institutions == second.institutions and first.offering_conditions == second.offering_conditions
    codes = [row["agb_code"] for row in first.institutions]
    assert len(set(codes)) == len(codes)
    assert all(code[2:4] == "99" for code in codes)  # the demo marker
    for row in first.institutions:
        build_institution_data({**row, "opened_on": None})  # every row passes the domain's own rules


def test_offerings_fit_each_type():
    catalogue = demo_catalogue()
    by_id = {row["id"]: row for row in catalogue.institutions}
    specs = defaultdict(set)
    for row in catalogue.offering_specialisms:
        specs[row["institution_id"]].add(row["specialism_id"])
    condition_parent = {row["id"]: row["specialism_id"] for row in catalogue.conditions}
    for row in catalogue.offering_conditions:
        assert condition_parent[row["condition_id"]] in specs[row["institution_id"]]
    assert not any(by_id[i]["type"] == "foreign_hospital" for i in specs)  # R11
    assert not any(by_id[i]["closed_on"] for i in specs)
    open_ones = [r for r in catalogue.institutions if r["type"] != "foreign_hospital" and not r["closed_on"]]
    assert all(r["id"] in specs for r in open_ones)


def test_synthetic_catalogue_is_ten_times_larger_with_its_own_codes():
    synthetic = synthetic_catalogue(10)
    assert len(synthetic.institutions) == 10 * len(demo_catalogue().institutions)
    assert len({r["agb_code"] for r in synthetic.institutions}) == len(synthetic.institutions)
    assert all(r["agb_code"][2:4] == "98" for r in synthetic.institutions)
    assert len({r["name"] for r in synthetic.groups}) == len(synthetic.groups)
