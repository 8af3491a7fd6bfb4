"""Spreadsheets: no text cell runs as a formula, no control character breaks an XLSX, and both read back exactly."""

from __future__ import annotations

import io
import zipfile

import pytest
from openpyxl import load_workbook

from servicekit.spreadsheets import (
    UnreadableFile,
    csv_lines,
    detect_delimiter,
    neutralise,
    read_table,
    restore,
    xlsx_bytes,
)

# OWASP CSV injection: the characters that make a cell a formula, each with a live example.
FORMULAS = {
    "=": '=HYPERLINK("http://evil.example";"klik")',
    "+": "+31 20 566 9111",
    "-": "-2+3+cmd|' /C calc'!A0",
    "@": "@SUM(1+1)*cmd|' /C calc'!A0",
    "\t": "\t=1+1",
    "\r": "\r=1+1",
}
TRICKY = ["", "'", "''", "'=1", "''=1", "'x", "gewoon", "a=b", "x-y", "Sint-Maartenskliniek", "_x0041_", "a\nb"]
CONTROL = [chr(c) for c in range(0x20) if chr(c) not in "\t\n\r"]


@pytest.mark.parametrize("first", sorted(FORMULAS))
def test_each_formula_character_is_quoted_in_csv_and_restored(first: str) -> None:
    value = FORMULAS[first]
    assert neutralise(value) == "'" + value
    assert restore(neutralise(value)) == value


@pytest.mark.parametrize("value", TRICKY + list(FORMULAS.values()))
def test_restore_undoes_neutralise_exactly(value: str) -> None:
    assert restore(neutralise(value)) == value
    assert neutralise(value)[:1] not in set("=+-@\t\r")


def test_plain_text_is_left_alone() -> None:
    for value in ("gewoon", "x-y", "'x", "Sint-Maartenskliniek", ""):
        assert neutralise(value) == value == restore(value)


def test_csv_round_trip_with_formulas_and_numbers() -> None:
    rows = [["kop", "getal"], *[[value, 7] for value in TRICKY + list(FORMULAS.values())]]
    text = "".join(csv_lines(rows))
    assert "\n=" not in text and ";=" not in text and '"=' not in text
    back = read_table(text.encode("utf-8-sig"), "x.csv")
    assert back == [[str(cell) for cell in row] for row in rows]


@pytest.mark.parametrize("first", sorted(FORMULAS))
def test_each_formula_character_is_a_text_cell_in_xlsx(first: str) -> None:
    value = FORMULAS[first]
    content = xlsx_bytes([["opmerking"], [value]], "Blad")
    cell = load_workbook(io.BytesIO(content)).active["A2"]
    assert cell.data_type == "s" and cell.value.replace("_x000D_", "\r") == value
    assert cell.quotePrefix is True  # Excel keeps it text when the cell is edited
    sheet = zipfile.ZipFile(io.BytesIO(content)).read("xl/worksheets/sheet1.xml").decode()
    assert "<f>" not in sheet
    assert read_table(content, "x.xlsx")[1] == [value]


@pytest.mark.parametrize("char", CONTROL, ids=[f"U+{ord(c):04X}" for c in CONTROL])
def test_each_control_character_exports_to_xlsx_and_reads_back(char: str) -> None:
    value = f"Ziekenhuis{char}Noord"
    content = xlsx_bytes([["naam", "versie"], [value, 3]], "Blad")
    assert read_table(content, "x.xlsx") == [["naam", "versie"], [value, "3"]]


def test_a_literal_ooxml_escape_in_text_survives_xlsx() -> None:
    values = ["_x0041_", "_x0007_", "_x005F_", "a_x00zz_b"]
    content = xlsx_bytes([values], "Blad")
    assert read_table(content, "x.xlsx") == [values]


def test_the_delimiter_is_the_one_that_splits_the_header_most() -> None:
    assert detect_delimiter("agb_code,name,type") == ","
    assert detect_delimiter("niveau;instelling_id;status") == ";"
    assert detect_delimiter('"naam;lang",type,land') == ","  # quoted cells do not count
    assert detect_delimiter("alleen") == ";"  # a tie goes to the first candidate
    assert detect_delimiter("a;b,c") == ";"
    assert detect_delimiter("a,b", candidates=(",", ";")) == ","


def test_bytes_that_are_no_spreadsheet_are_refused() -> None:
    with pytest.raises(UnreadableFile):
        read_table(b"PK\x03\x04 geen zip", "x.xlsx")
    with pytest.raises(UnreadableFile):
        read_table("é".encode("latin-1"), "x.csv")
