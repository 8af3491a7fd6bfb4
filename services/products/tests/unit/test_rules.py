"""R13 and R17 as pure rules, in milliseconds."""

from __future__ import annotations

from datetime import date

import pytest

from products.domain.model import (
    CollectionRef,
    ProductRef,
    check_uzovi,
    default_publication_date,
    is_published,
    link_refusal,
)
from servicekit.exceptions import InvalidInput

A, B = "insurer-a", "insurer-b"
PRODUCT = ProductRef("p", A, 2026)


@pytest.mark.parametrize(
    ("product", "collection", "field", "words"),
    [
        (None, CollectionRef("c", A, 2026), "product_id", "Onbekend product"),
        (ProductRef("p", B, 2026), CollectionRef("c", A, 2026), "product_id", "Onbekend product"),
        (ProductRef("p", A, 2027), CollectionRef("c", A, 2027), "product_id", "hoort bij 2027"),
        (PRODUCT, None, "collection_id", "Onbekende collectie"),
        (PRODUCT, CollectionRef("c", B, 2026), "collection_id", "Onbekende collectie"),
        (PRODUCT, CollectionRef("c", A, 2025), "collection_id", "hoort bij 2025"),
    ],
)
def test_r13_every_refusal(product, collection, field, words) -> None:
    refusal = link_refusal(A, 2026, product, collection, collection_given=True)
    assert refusal is not None and refusal[0] == field and words in refusal[1]


def test_r13_own_product_and_collection_of_the_year_or_unlinking_pass() -> None:
    assert link_refusal(A, 2026, PRODUCT, CollectionRef("c", A, 2026), collection_given=True) is None
    assert link_refusal(A, 2026, PRODUCT, None, collection_given=False) is None


def test_r17_default_publication_date_is_12_november_of_the_year_before() -> None:
    assert default_publication_date(2027) == date(2026, 11, 12)
    assert not is_published(date(2026, 11, 12), date(2026, 11, 11))
    assert is_published(date(2026, 11, 12), date(2026, 11, 12))


@pytest.mark.parametrize("code", ["123", "12345", "12a4", ""])
def test_uzovi_codes_are_four_digits(code: str) -> None:
    with pytest.raises(InvalidInput):
        check_uzovi(code)
