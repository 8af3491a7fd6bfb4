"""The status form's rows (R6): only what the user changed is saved, with the version it was shown at."""

from __future__ import annotations

import uuid

import pytest

from portal.domain.labels import LEVEL_STATUSES
from portal.domain.rows import MAX_ROWS, InvalidForm, changed_rows

INSTITUTION = LEVEL_STATUSES["institution"]


def row(
    i: int, key: str, *, original: str, chosen: str | None = None, remark: str = "", was: str = ""
) -> dict[str, str]:
    fields = {f"k{i}": key, f"v{i}": "3", f"o{i}": original, f"m{i}": remark}
    if chosen:
        fields[f"s{i}"] = chosen
    if was:
        fields[f"p{i}"] = was
    return fields


def test_r6_only_changed_rows_are_saved_with_their_version() -> None:
    a, b, c = (str(uuid.uuid4()) for _ in range(3))
    form = row(0, a, original="FULL", chosen="FULL") | row(1, b, original="FULL", chosen="NOT_CONTRACTED")
    form |= row(2, c, original="PARTIAL", chosen="PARTIAL", remark="nieuw", was="oud")
    edits = changed_rows(form, INSTITUTION)
    assert [e.key for e in edits] == [b, c]
    assert edits[0].payload("institution_id") == {"institution_id": b, "status": "NOT_CONTRACTED", "version": 3}
    assert edits[1].payload("institution_id") == {
        "institution_id": c,
        "status": "PARTIAL",
        "version": 3,
        "remark": "nieuw",
    }


def test_r6_a_cleared_remark_is_sent_as_none_and_an_unchanged_one_not_at_all() -> None:
    key = str(uuid.uuid4())
    cleared = changed_rows(row(0, key, original="FULL", chosen="FULL", remark="", was="oud"), INSTITUTION)
    assert cleared[0].payload("institution_id")["remark"] is None
    assert changed_rows(row(0, key, original="FULL", chosen="FULL", remark=" oud ", was="oud"), INSTITUTION) == []


def test_rows_the_page_left_out_are_skipped_and_the_order_is_kept() -> None:
    a, b = str(uuid.uuid4()), str(uuid.uuid4())
    form = row(7, b, original="FULL", chosen="NOT_CONTRACTED") | row(2, a, original="FULL", chosen="IN_NEGOTIATION")
    assert [e.key for e in changed_rows(form, INSTITUTION)] == [a, b]


def test_r10_a_status_the_level_does_not_know_is_refused() -> None:
    form = row(0, str(uuid.uuid4()), original="FULL", chosen="PARTIAL")
    with pytest.raises(InvalidForm, match="Onbekende status"):
        changed_rows(form, LEVEL_STATUSES["condition"])


@pytest.mark.parametrize(
    "tamper",
    [
        {"k0": "not-a-uuid"},
        {"v0": "drie"},
        {"m0": "x" * 2001},
    ],
)
def test_a_tampered_form_is_refused_in_dutch(tamper: dict[str, str]) -> None:
    form = row(0, str(uuid.uuid4()), original="FULL", chosen="NOT_CONTRACTED") | tamper
    with pytest.raises(InvalidForm):
        changed_rows(form, INSTITUTION)


def test_a_row_without_its_version_is_refused() -> None:
    form = row(0, str(uuid.uuid4()), original="FULL", chosen="NOT_CONTRACTED")
    del form["v0"]
    with pytest.raises(InvalidForm, match="v0"):
        changed_rows(form, INSTITUTION)


def test_more_rows_than_one_save_takes_are_refused() -> None:
    form = {f"k{i}": str(uuid.uuid4()) for i in range(MAX_ROWS + 1)}
    with pytest.raises(InvalidForm, match="Te veel"):
        changed_rows(form, INSTITUTION)
