"""Accent- and case-insensitive "(part of) name" search, the same on PostgreSQL and SQLite.

Dutch users type without accents: "Maxima" must find "Máxima MC", "Munster" must find "Münster".
One folding rule — lower case, then each letter of :data:`FOLDS` replaced — in two forms, which
``shared/tests/integration/test_search_folding.py`` checks on the same table of cases:

- :func:`fold` in Python: for the text a user types, and for a search column a service maintains
  itself (catalogue's ``institution.name_folded``: written with every name, indexed with trigrams
  on PostgreSQL — the fastest "contains" search, and the same on both databases);
- :class:`folded` in SQL, for a name a service does not keep folded (small, already narrowed sets,
  such as the institutions of one collection): ``replace(…replace(lower(x), 'á', 'a')…)`` on
  PostgreSQL (``replace`` is fast; ``translate`` with a long table was 50 times slower), and the
  ``zcp_fold`` function on SQLite (registered by :func:`servicekit.db.create_db_engine`; SQLite's
  own ``lower`` knows only ASCII).

The table covers the letters of Dutch, Belgian and German names and of the languages around them.
PostgreSQL's ``lower`` folds non-ASCII capitals only with a UTF-8 ``LC_CTYPE`` (the default of the
official images and of Debian's clusters).
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import String
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.sql.elements import ColumnElement
from sqlalchemy.sql.functions import FunctionElement

SQLITE_FUNCTION = "zcp_fold"
#: (letter, replacement) after lower-casing, applied in this order.
FOLDS: tuple[tuple[str, str], ...] = (
    *((letter, "a") for letter in "àáâãäåāăą"),
    *((letter, "c") for letter in "çćč"),
    *((letter, "e") for letter in "èéêëēėęě"),
    *((letter, "i") for letter in "ìíîïīį"),
    *((letter, "n") for letter in "ñńň"),
    *((letter, "o") for letter in "òóôõöøōő"),
    *((letter, "u") for letter in "ùúûüūůű"),
    *((letter, "y") for letter in "ýÿ"),
    *((letter, "s") for letter in "śšş"),
    *((letter, "z") for letter in "źżž"),
    ("ď", "d"),
    ("đ", "d"),
    ("ğ", "g"),
    ("ł", "l"),
    ("ř", "r"),
    ("ť", "t"),
    ("ß", "ss"),
    ("æ", "ae"),
    ("œ", "oe"),
)


def fold(text: str) -> str:
    """Lower case, diacritics removed: ``"Máxima MC"`` -> ``"maxima mc"``."""
    folded_text = text.lower()
    for letter, replacement in FOLDS:
        folded_text = folded_text.replace(letter, replacement)
    return folded_text


def contains_pattern(text: str) -> str:
    """The folded search text; use with ``column.contains(..., autoescape=True)`` on a folded column."""
    return fold(text.strip())


class folded(FunctionElement[str]):
    """``fold(column)`` in SQL (see the module docstring)."""

    type = String()
    inherit_cache = True
    name = "folded"


@compiles(folded)
def _folded_sql(element: folded, compiler: Any, **kw: Any) -> str:
    # Literals, not bound parameters: the same SQL text every time (plan cache, expression indexes).
    expression = f"lower({compiler.process(element.clauses, **kw)})"
    for letter, replacement in FOLDS:
        expression = f"replace({expression}, '{letter}', '{replacement}')"
    return expression


@compiles(folded, "sqlite")
def _folded_sqlite(element: folded, compiler: Any, **kw: Any) -> str:
    return f"{SQLITE_FUNCTION}({compiler.process(element.clauses, **kw)})"


def folded_contains(column: Any, text: str) -> ColumnElement[bool]:
    """``column`` contains ``text``, ignoring case and accents (``LIKE`` with its wildcards escaped)."""
    return folded(column).contains(contains_pattern(text), autoescape=True)
