"""Commands: what a maintainer asks the catalogue to do. Imperative names, plain data."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any


@dataclass(frozen=True)
class RegisterInstitution:
    attributes: dict[str, Any]


@dataclass(frozen=True)
class ChangeInstitution:
    """``attributes`` holds only the fields the caller sends; the rest keeps its value."""

    institution_id: str
    attributes: dict[str, Any]


@dataclass(frozen=True)
class CloseInstitution:
    institution_id: str
    closed_on: date


@dataclass(frozen=True)
class MergeInstitution:
    institution_id: str
    into_institution_id: str
    closed_on: date


@dataclass(frozen=True)
class SetOffering:
    institution_id: str
    specialism_ids: list[str] = field(default_factory=list)
    condition_ids: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class CreateGroup:
    name: str
    kind: str


@dataclass(frozen=True)
class ChangeGroup:
    group_id: str
    name: str | None = None
    kind: str | None = None


@dataclass(frozen=True)
class RetireGroup:
    group_id: str


@dataclass(frozen=True)
class AddSpecialism:
    code: str
    name: str


@dataclass(frozen=True)
class RenameSpecialism:
    specialism_id: str
    name: str


@dataclass(frozen=True)
class RetireSpecialism:
    specialism_id: str


@dataclass(frozen=True)
class AddCondition:
    specialism_id: str
    name: str


@dataclass(frozen=True)
class RenameCondition:
    condition_id: str
    name: str


@dataclass(frozen=True)
class RetireCondition:
    condition_id: str


@dataclass(frozen=True)
class ImportInstitutions:
    """A CSV file (text) of institutions; ``dry_run`` validates and reports without writing."""

    csv_text: str
    dry_run: bool = False
