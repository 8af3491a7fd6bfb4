"""The institutions CSV: the format of export and bulk import, and the import plan.

Format (UTF-8, a BOM is accepted; comma or semicolon separated - the one that splits the header
into the most columns, ``servicekit.spreadsheets.detect_delimiter`` -, the header row is required):
``agb_code,name,type,country,address,postcode,city,email,phone,group,opened_on,closed_on``.
``group`` is the group's exact name (groups are kept through the API); dates are JJJJ-MM-DD;
empty cells mean "none". Export writes rows sorted by AGB code.

Import semantics (defined here, tested in ``tests/api/test_import_export.py``):
- a row whose AGB code is new registers the institution (and closes it too when ``closed_on`` is set);
- a row whose AGB code exists updates the attributes when they differ (one ``changed`` event) and is a
  no-op when they are equal, so importing an export changes nothing and emits nothing;
- ``closed_on`` on an open institution closes it; an institution that is already closed keeps its
  date: a different date or an empty cell is a row error (reopening has no event in the contract);
- merges are not expressed in the file; institutions missing from the file are left alone;
- every row is checked first; one bad row rejects the whole file with a report of all bad rows.
"""

from __future__ import annotations

import csv
import io
import itertools
import uuid
from collections.abc import Callable, Collection, Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from catalogue.domain import events
from catalogue.domain.exceptions import DomainError, ImportRejected, InvalidInput
from catalogue.domain.model import Institution, InstitutionData, build_institution_data, parse_date
from servicekit import spreadsheets

COLUMNS: tuple[str, ...] = (
    "agb_code",
    "name",
    "type",
    "country",
    "address",
    "postcode",
    "city",
    "email",
    "phone",
    "group",
    "opened_on",
    "closed_on",
)
REQUIRED_COLUMNS = ("agb_code", "name", "type", "country")
MAX_ROWS = 50_000
#: How often (in rows) the import reports its progress while it checks and writes.
PROGRESS_EVERY = 500
#: The phases an import reports while it runs (Dutch: the portal shows them as they are).
CHECKING, SAVING = "controleren", "opslaan"


@dataclass(frozen=True)
class CsvRow:
    line: int
    values: dict[str, str]


def _reject(rows: list[dict[str, Any]]) -> ImportRejected:
    return ImportRejected(
        f"Import geweigerd: {len(rows)} fout(en) gevonden; er is niets ingelezen.",
        sorted(rows, key=lambda r: (int(str(r["line"])), str(r["field"]))),
    )


def read_rows(text: str) -> list[CsvRow]:
    """Split the file into rows keyed by column; header problems reject the file at line 1."""
    text = text.lstrip("\ufeff")
    if not text.strip():
        raise _reject([{"line": 1, "field": "bestand", "reason": "Het bestand is leeg."}])
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=spreadsheets.detect_delimiter(text.splitlines()[0]))
    header = [h.strip().lower() for h in next(reader)]
    problems = []
    unknown = [h for h in header if h not in COLUMNS]
    if unknown:
        problems.append({"line": 1, "field": "kopregel", "reason": f"Onbekende kolom(men): {', '.join(unknown)}."})
    missing = [c for c in REQUIRED_COLUMNS if c not in header]
    if missing:
        problems.append(
            {"line": 1, "field": "kopregel", "reason": f"Verplichte kolom(men) ontbreken: {', '.join(missing)}."}
        )
    duplicates = sorted({h for h in header if header.count(h) > 1})
    if duplicates:
        problems.append({"line": 1, "field": "kopregel", "reason": f"Dubbele kolom(men): {', '.join(duplicates)}."})
    if problems:
        raise _reject(problems)
    rows: list[CsvRow] = []
    line = reader.line_num
    for cells in reader:
        start, line = line + 1, reader.line_num
        if not any(c.strip() for c in cells):
            continue
        if len(cells) != len(header):
            rows.append(CsvRow(start, {"__width__": f"{len(cells)} cellen, verwacht {len(header)}."}))
            continue
        rows.append(CsvRow(start, {name: spreadsheets.restore(cell) for name, cell in zip(header, cells, strict=True)}))
        if len(rows) > MAX_ROWS:
            raise _reject([{"line": start, "field": "bestand", "reason": f"Meer dan {MAX_ROWS} regels."}])
    if not rows:
        raise _reject([{"line": 2, "field": "bestand", "reason": "Het bestand bevat geen instellingen."}])
    return rows


@dataclass(frozen=True)
class ValidRow:
    line: int
    data: InstitutionData
    closed_on: date | None


def _group_problem(line: int, name: str, group_id: str | None, retired: bool, closing: bool) -> list[dict[str, Any]]:
    """An unknown group, or a retired one for an institution that stays open (a closed one keeps it)."""
    if group_id is None:
        return [{"line": line, "field": "group", "reason": f"Onbekende groep {name!r}."}]
    if retired and not closing:
        return [{"line": line, "field": "group", "reason": f"Groep {name!r} is vervallen; kies een andere."}]
    return []


def validate_rows(
    rows: Iterable[CsvRow],
    group_ids_by_name: Mapping[str, str],
    retired_groups: Collection[str] = frozenset(),
    progress: Callable[[int], None] | None = None,
) -> list[ValidRow]:
    """Every row checked; all problems of all rows raised together as :class:`ImportRejected`.

    ``progress`` (if given) hears how many rows are checked, every :data:`PROGRESS_EVERY` rows."""
    problems: list[dict[str, Any]] = []
    valid: list[ValidRow] = []
    first_line_of: dict[str, int] = {}
    for count, row in enumerate(rows, 1):
        if progress is not None and count % PROGRESS_EVERY == 0:
            progress(count)
        if "__width__" in row.values:
            problems.append(
                {"line": row.line, "field": "regel", "reason": "Verkeerd aantal cellen: " + row.values["__width__"]}
            )
            continue
        values = dict(row.values)
        group_name = " ".join((values.pop("group", "") or "").split())
        raw: dict[str, Any] = {k: v for k, v in values.items() if k != "closed_on"}
        row_problems: list[dict[str, Any]] = []
        if group_name:
            group_id = group_ids_by_name.get(group_name)
            closing = bool((values.get("closed_on") or "").strip())
            row_problems += _group_problem(row.line, group_name, group_id, group_name in retired_groups, closing)
            raw["group_id"] = group_id
        data: InstitutionData | None = None
        try:
            data = build_institution_data(raw)
        except InvalidInput as exc:
            row_problems.extend(_problems(row.line, exc))
        closed_on = None
        try:
            closed_on = parse_date(values.get("closed_on"), "closed_on")
        except InvalidInput as exc:
            row_problems.append({"line": row.line, "field": "closed_on", "reason": exc.message})
        if data is not None and closed_on and data.opened_on and closed_on < data.opened_on:
            row_problems.append(
                {"line": row.line, "field": "closed_on", "reason": "Sluitingsdatum ligt vóór de openingsdatum."}
            )
        if data is not None:
            earlier = first_line_of.setdefault(data.agb_code, row.line)
            if earlier != row.line:
                row_problems.append(
                    {
                        "line": row.line,
                        "field": "agb_code",
                        "reason": f"AGB-code {data.agb_code} staat ook op regel {earlier}.",
                    }
                )
        if row_problems or data is None:
            problems.extend(row_problems)
            continue
        valid.append(ValidRow(row.line, data, closed_on))
    if problems:
        raise _reject(problems)
    return valid


@dataclass
class ImportPlan:
    inserts: list[Institution] = field(default_factory=list)
    updates: list[Institution] = field(default_factory=list)
    events: list[tuple[str, dict[str, Any]]] = field(default_factory=list)
    unchanged: int = 0

    def summary(self) -> dict[str, int]:
        closed = sum(1 for event_type, _ in self.events if event_type == events.INSTITUTION_CLOSED)
        return {
            "created": len(self.inserts),
            "updated": len(self.updates),
            "closed": closed,
            "unchanged": self.unchanged,
            "events": len(self.events),
        }


def plan_import(
    rows: list[ValidRow],
    existing_by_agb: Mapping[str, Institution],
    has_offering: Callable[[str], bool],
    new_id: Callable[[], str] = lambda: str(uuid.uuid4()),
) -> ImportPlan:
    """What the import will write, with its events in order; row errors (closing rules, R11) reject all."""
    plan = ImportPlan()
    problems: list[dict[str, Any]] = []
    for row in rows:
        current = existing_by_agb.get(row.data.agb_code)
        if current is None:
            institution = Institution(id=new_id(), data=row.data, revision=1)
            row_events = [(events.INSTITUTION_REGISTERED, events.institution_state(institution))]
            if row.closed_on:
                institution = institution.close(row.closed_on)
                row_events.append((events.INSTITUTION_CLOSED, events.institution_closed(institution)))
            plan.inserts.append(institution)
            plan.events.extend(row_events)
            continue
        if current.is_closed and row.closed_on != current.closed_on:
            reason = (
                f"Instelling is gesloten op {current.closed_on.isoformat()}; "  # type: ignore[union-attr]
                "een andere sluitingsdatum of heropenen kan niet via import."
            )
            problems.append({"line": row.line, "field": "closed_on", "reason": reason})
            continue
        updated = current
        row_events = []
        try:
            changed = current.change(row.data, has_offering=has_offering(current.id))
            if changed is not None:
                updated = changed
                row_events.append((events.INSTITUTION_CHANGED, events.institution_state(updated)))
            if row.closed_on and not current.is_closed:
                updated = updated.close(row.closed_on)
                row_events.append((events.INSTITUTION_CLOSED, events.institution_closed(updated)))
        except DomainError as exc:  # invalid dates, R11 (type becomes foreign while offered)
            problems.extend(_problems(row.line, exc))
            continue
        if updated is current:
            plan.unchanged += 1
        else:
            plan.updates.append(updated)
            plan.events.extend(row_events)
    if problems:
        raise _reject(problems)
    return plan


def _problems(line: int, exc: DomainError) -> list[dict[str, Any]]:
    errors = exc.errors or {"regel": [exc.message]}
    return [{"line": line, "field": name, "reason": reason} for name, reasons in errors.items() for reason in reasons]


def write_csv(rows: Iterable[Mapping[str, Any]]) -> str:
    """Rows (dicts with the column names; dates as ``date`` or None) as CSV text with a header.

    Text that a spreadsheet would run as a formula (``=``, ``+``, ``-``, ``@``, tab, CR first) is
    quoted with ``'`` (``servicekit.spreadsheets``); :func:`read_rows` takes the quote off again.
    """
    cells = (
        ["" if row.get(c) is None else (row[c].isoformat() if isinstance(row[c], date) else row[c]) for c in COLUMNS]
        for row in rows
    )
    return "".join(spreadsheets.csv_lines(itertools.chain([list(COLUMNS)], cells), delimiter=",", lineterminator="\n"))
