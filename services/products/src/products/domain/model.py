"""Companies, products and links (R13), and when a year is published (R17). Pure Python, no I/O."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

from servicekit.exceptions import InvalidInput

UZOVI_PATTERN = re.compile(r"^[0-9]{4}$")
PRODUCT_KINDS: dict[str, str] = {"natura": "Natura", "restitutie": "Restitutie", "combinatie": "Combinatie"}
#: Statuses that are published (R17): IN_NEGOTIATION is left out, PARTIAL is not a condition status.
PUBLISHED_STATUSES = ("NOT_CONTRACTED", "PARTIAL", "FULL")
CONTRACTED = frozenset({"FULL", "PARTIAL"})
MIN_YEAR, MAX_YEAR = 2000, 2999


def check_uzovi(code: str) -> str:
    code = code.strip()
    if not UZOVI_PATTERN.match(code):
        raise InvalidInput("Een UZOVI-code bestaat uit precies 4 cijfers.", field="uzovi_code")
    return code


def check_name(name: str, field: str = "name") -> str:
    name = name.strip()
    if not 1 <= len(name) <= 200:
        raise InvalidInput("Vul een naam in van 1 tot 200 tekens.", field=field)
    return name


def check_kind(kind: str) -> str:
    if kind not in PRODUCT_KINDS:
        raise InvalidInput(f"Kies als soort een van: {', '.join(PRODUCT_KINDS)}.", field="kind")
    return kind


def check_year(year: int, field: str = "year") -> int:
    if not MIN_YEAR <= year <= MAX_YEAR:
        raise InvalidInput(f"Een contractjaar ligt tussen {MIN_YEAR} en {MAX_YEAR}.", field=field)
    return year


def default_publication_date(year: int) -> date:
    """R17: insurers publish their contracted providers from 12 November of the year before."""
    return date(year - 1, 11, 12)


def is_published(publish_from: date, today: date) -> bool:
    return today >= publish_from


@dataclass(frozen=True)
class YearRef:
    """Something an insurer has for one contract year, as R13 checks it: its id, the insurer and the year."""

    id: str
    insurer_id: str
    year: int


class ProductRef(YearRef):
    """A product (of one of the insurer's companies)."""


class CollectionRef(YearRef):
    """A collection (the local copy of contracting's)."""


def link_refusal(
    insurer_id: str, year: int, product: ProductRef | None, collection: CollectionRef | None, collection_given: bool
) -> tuple[str, str] | None:
    """R13: why one row of a "Koppel producten" batch is refused, as (field, Dutch reason), or None.

    Only the insurer's own companies' products of the login year, and only its own collections of
    that year. Another insurer's product or collection is reported as unknown: an insurer cannot
    even learn that it exists.
    """
    if product is None or product.insurer_id != insurer_id:
        return "product_id", "Onbekend product (niet van een maatschappij van uw verzekeraar)."
    if product.year != year:
        return "product_id", f"Dit product hoort bij {product.year}; u bent ingelogd voor {year}."
    if not collection_given:
        return None
    if collection is None or collection.insurer_id != insurer_id:
        return "collection_id", "Onbekende collectie (niet van uw verzekeraar)."
    if collection.year != product.year:
        return (
            "collection_id",
            f"Deze collectie hoort bij {collection.year}; het product bij {product.year}. Kies een collectie van "
            "hetzelfde jaar.",
        )
    return None
