"""Spreadsheets every service exports and imports: CSV and XLSX, safe to open, and read back unchanged.

Two dangers, one answer for every export:

- **Formula injection** (OWASP "CSV Injection"): a text cell that starts with ``=``, ``+``, ``-``,
  ``@``, a tab or a carriage return can run as a formula when a spreadsheet opens the file. In CSV
  such a cell is written with a leading ``'`` (Excel and LibreOffice then show it as text); a
  cell that itself starts with ``'`` followed by one of those is quoted once more, so that
  :func:`restore` gives back exactly what was exported. In XLSX the cell is written as a text cell
  with Excel's "quote prefix" style: it is shown as text, stays text when edited, and keeps its
  value exactly (no apostrophe is added).
- **Control characters**: XML 1.0 cannot hold most of U+0000-U+001F, so a single one made an XLSX
  export fail. They (and the carriage return, which XML would turn into a line feed) are written
  with OOXML's own escape ``_xHHHH_``, as Excel does (Excel shows the character); a literal
  ``_xHHHH_`` in the text gets its underscore escaped. :func:`read_table` decodes both again.

:func:`read_table` reads both formats into rows of text (CSV: UTF-8 with or without BOM, the
delimiter found by :func:`detect_delimiter`), undoing both measures, so an export imports back
as it was.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterable, Iterator, Sequence
from typing import Any

from openpyxl import Workbook, load_workbook
from openpyxl.cell import WriteOnlyCell

FORMULA_TRIGGERS = frozenset("=+-@\t\r")
QUOTE = "'"
DELIMITERS = (";", ",")
XLSX_MIME = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

# XML 1.0 refuses these; a carriage return it allows, but a parser reads it back as a line feed.
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f]")
# What this module writes as ``_xHHHH_``: control characters, and the underscore of a literal escape.
_ESCAPED = re.compile(r"_x(00[01][0-9A-Fa-f]|005[Ff])_")


class UnreadableFile(ValueError):
    """The bytes are neither a CSV in UTF-8 nor an XLSX workbook."""


def _looks_like_formula(text: str) -> bool:
    return text[:1] in FORMULA_TRIGGERS


def neutralise(text: str) -> str:
    """A CSV cell that no spreadsheet runs as a formula; :func:`restore` undoes it exactly."""
    if _looks_like_formula(text) or (text[:1] == QUOTE and (_looks_like_formula(text[1:]) or text[1:2] == QUOTE)):
        return QUOTE + text
    return text


def restore(text: str) -> str:
    """The text :func:`neutralise` was given (a text without its quote is returned as it is)."""
    if text[:1] == QUOTE and (_looks_like_formula(text[1:]) or text[1:2] == QUOTE):
        return text[1:]
    return text


def detect_delimiter(first_line: str, candidates: Sequence[str] = DELIMITERS) -> str:
    """The candidate that splits the header line into the most cells; a tie goes to the first candidate.

    ``;`` comes first: it is what a Dutch Excel writes (the comma is the decimal separator).
    """

    def cells(delimiter: str) -> int:
        return len(next(csv.reader([first_line], delimiter=delimiter), []))

    return max(candidates, key=lambda d: (cells(d), -candidates.index(d)))


def csv_lines(rows: Iterable[Sequence[Any]], delimiter: str = ";", lineterminator: str = "\r\n") -> Iterator[str]:
    """The rows as CSV text, one line at a time (for streaming), text cells neutralised."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=delimiter, lineterminator=lineterminator)
    for row in rows:
        writer.writerow([neutralise(cell) if isinstance(cell, str) else cell for cell in row])
        yield buffer.getvalue()
        buffer.seek(0)
        buffer.truncate()


def _xlsx_text(text: str) -> str:
    text = _ESCAPED.sub(lambda m: "_x005F" + m.group(0), text)
    return _CONTROL.sub(lambda m: f"_x{ord(m.group(0)):04X}_", text)


def xlsx_bytes(rows: Iterable[Sequence[Any]], sheet_title: str) -> bytes:
    """The rows as an XLSX workbook of one sheet: text cells as text, never as formulas."""
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(sheet_title)
    for row in rows:
        cells: list[Any] = []
        for value in row:
            if isinstance(value, str):
                cell = WriteOnlyCell(sheet, value=_xlsx_text(value))
                cell.data_type = "s"  # openpyxl would make a formula of "=..."
                cell.quotePrefix = _looks_like_formula(value)
                value = cell
            cells.append(value)
        sheet.append(cells)
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def _xlsx_rows(content: bytes) -> list[list[str]]:
    sheet = load_workbook(io.BytesIO(content), read_only=True, data_only=True).worksheets[0]
    return [
        ["" if c is None else _ESCAPED.sub(lambda m: chr(int(m.group(1), 16)), str(c)) for c in row]
        for row in sheet.iter_rows(values_only=True)
    ]


def _csv_rows(content: bytes) -> list[list[str]]:
    text = content.decode("utf-8-sig")
    first_line = text.split("\n", 1)[0]
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=detect_delimiter(first_line))
    return [[restore(cell) for cell in row] for row in reader]


def is_xlsx(content: bytes, filename: str = "") -> bool:
    return filename.lower().endswith(".xlsx") or content[:2] == b"PK"


def read_table(content: bytes, filename: str = "") -> list[list[str]]:
    """The rows of a CSV or XLSX file (its first sheet) as text, as they were exported."""
    try:
        return _xlsx_rows(content) if is_xlsx(content, filename) else _csv_rows(content)
    except Exception as exc:  # openpyxl and the csv module fail in many ways on foreign bytes
        raise UnreadableFile(str(exc)) from exc
