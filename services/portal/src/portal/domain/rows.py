"""The rows of a status form: what the user changed, as the API's batch save expects it (R6).

Each row of a listing is sent back with its key, the version it was read at, its original status and
remark (hidden) and the status and remark now chosen. Only rows whose status or remark differ are
saved, so a save of a list of 400 institutions where three were changed sends three rows, each with
the version it was shown at: a colleague's change to any of them in the meantime refuses the save
(409) instead of being overwritten.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

MAX_ROWS = 2000
MAX_REMARK = 2000
_UUID = re.compile(r"^[0-9a-fA-F-]{36}$")


class InvalidForm(ValueError):
    """The form was not made by the portal's page (tampered or truncated)."""


@dataclass(frozen=True)
class RowEdit:
    key: str
    version: int
    status: str
    remark: str
    status_changed: bool
    remark_changed: bool

    def payload(self, key_field: str) -> dict[str, Any]:
        row: dict[str, Any] = {key_field: self.key, "status": self.status, "version": self.version}
        if self.remark_changed:
            row["remark"] = self.remark or None
        return row


def _field(form: Mapping[str, str], name: str) -> str:
    value = form.get(name)
    if value is None:
        raise InvalidForm(f"Het formulier mist het veld {name}; laad de pagina opnieuw.")
    return value


def row_indexes(form: Mapping[str, str]) -> list[int]:
    """The rows sent: the page numbers its rows 0..n-1; the page's script leaves unchanged rows out."""
    indexes = sorted(int(name[1:]) for name in form if name[:1] == "k" and name[1:].isdigit())
    if len(indexes) > MAX_ROWS:
        raise InvalidForm(f"Te veel rijen in één keer (maximaal {MAX_ROWS}).")
    return indexes


def changed_rows(form: Mapping[str, str], allowed: tuple[str, ...]) -> list[RowEdit]:
    """The rows whose status or remark the user changed, in the order shown."""
    edits = []
    for i in row_indexes(form):
        key = _field(form, f"k{i}")
        if not _UUID.match(key):
            raise InvalidForm("Het formulier is onvolledig; laad de pagina opnieuw.")
        original = _field(form, f"o{i}")
        status = form.get(f"s{i}") or original
        if status not in allowed:
            raise InvalidForm(f"Onbekende status {status!r}; kies uit de kolommen van de tabel.")
        remark = (form.get(f"m{i}") or "").strip()
        if len(remark) > MAX_REMARK:
            raise InvalidForm(f"Een opmerking is te lang (maximaal {MAX_REMARK} tekens).")
        raw_version = _field(form, f"v{i}")
        try:
            version = int(raw_version)
        except ValueError as exc:
            raise InvalidForm("Het formulier is onvolledig; laad de pagina opnieuw.") from exc
        status_changed = status != original
        remark_changed = remark != (form.get(f"p{i}") or "").strip()
        if status_changed or remark_changed:
            edits.append(RowEdit(key, version, status, remark, status_changed, remark_changed))
    return edits
