"""What the catalogue's events ask contracting to do (R16), as typed commands. Plain data.

``integration/inbound.py`` turns each event into one of these; ``service_layer/catalogue.py``
carries them out. Every command about a catalogue entity carries the entity's full state and its
revision: a revision not newer than the stored one changes nothing. Specialisms and conditions are
the commands every consumer shares (``servicekit.published.catalogue``); the institution commands
extend the shared ones with what contracting keeps besides (type, place, group, dates).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from servicekit.published import catalogue


@dataclass(frozen=True)
class RecordInstitution(catalogue.RecordInstitution):
    """Registered or changed: store its state; a live institution appears in the open years."""

    type: str
    country: str
    city: str | None
    group_id: str | None
    opened_on: date | None


@dataclass(frozen=True)
class CloseInstitution(catalogue.CloseInstitution):
    """Closed or merged into another: it leaves the open years, stays in closed ones."""

    closed_on: date
    merged_into_id: str | None


@dataclass(frozen=True)
class ReplaceOffering:
    """An institution's whole offering: new departments and conditions appear, dropped ones leave."""

    institution_id: str
    revision: int
    specialism_ids: tuple[str, ...]
    condition_ids: tuple[str, ...]


@dataclass(frozen=True)
class RecordGroup:
    group_id: str
    revision: int
    name: str
    kind: str | None


@dataclass(frozen=True)
class RetireGroup:
    group_id: str
    revision: int


@dataclass(frozen=True)
class ProductLink:
    """A product and a collection it links, as the products service reports them."""

    product_id: str
    collection_id: str


@dataclass(frozen=True)
class LinkCollection(ProductLink):
    """Products report that a product links a collection (deleting it is then refused)."""


@dataclass(frozen=True)
class UnlinkCollection(ProductLink):
    """Products report that a product no longer links the collection."""
