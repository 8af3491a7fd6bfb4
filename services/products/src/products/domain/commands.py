"""Commands of the products service: what a route or an inbound event asks for, as plain values."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date


@dataclass(frozen=True)
class Actor:
    """Who acts: an insurer's user (tenant and login year) or the platform admin (no tenant)."""

    user_name: str
    insurer_id: str | None = None
    year: int | None = None


@dataclass(frozen=True)
class RegisterCompany:
    insurer_id: str
    name: str
    uzovi_code: str


@dataclass(frozen=True)
class ChangeCompany:
    company_id: str
    insurer_id: str | None = None
    name: str | None = None


@dataclass(frozen=True)
class AddProduct:
    company_id: str
    year: int
    name: str
    code: str
    kind: str


@dataclass(frozen=True)
class LinkRow:
    product_id: str
    collection_id: str | None  # None: unlink


@dataclass(frozen=True)
class LinkProducts:
    """R13 "Koppel producten": all rows or none."""

    rows: tuple[LinkRow, ...]


@dataclass(frozen=True)
class SetPublicationDate:
    insurer_id: str
    year: int
    publish_from: date
