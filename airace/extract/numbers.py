"""Numbers in news text: numerals, number words, scales, percentages, hedges, ranges and ranks.

``find_quantities(text, lang)`` returns every number expression of a text as a ``Quantity``:
its character span (hedges, range openers and scale words included: ``khoảng 1,46 nghìn tỷ``),
the value fully scaled, an upper end for ranges, an earlier value for changes (``từ 31% lên
57%``), the kind (cardinal, ordinal, percent, percentage points) and the approx/bound flags of
the gold format (``shared/eval/README.md``). Currency symbols and units are left to the money
and unit readers: ``$1.5bn`` gives the span ``1.5bn``; a currency symbol lies inside a span only
when a hedge or a range stands on both sides of it (``about $15 billion``, ``$2.00–$2.50``).
``parse_number`` reads one numeral, ``render_number`` writes one as the language's news does.

Everything a language contributes is data in ``lexicons/<lang>/numbers.yaml``, compiled once per
process (``functools.cache``, never at import time). The work is split by concern:

* ``number_lexicon``: the file's closed schema, checked on the way in, and its lookup tables;
* ``number_patterns``: the regular expressions composed from those tables;
* ``numerals``: the number at one position, in digits or words, and digits that are no number
  (dates, product names, telephone and decree numbers);
* ``quantities``: the scan, which reads hedges, rank markers, ranges and years around each number.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from decimal import Decimal
from functools import cache

from airace.extract.number_lexicon import NumberLexicon, read_number_lexicon
from airace.extract.number_patterns import Patterns, compose_patterns
from airace.extract.numerals import Number, NumberReader
from airace.extract.quantities import Quantity, Scanner

__all__ = ["Quantity", "find_quantities", "number_entries", "parse_number", "render_number"]


@cache
def _compiled(lang: str) -> tuple[NumberLexicon, Patterns]:
    """Read, check and compile ``lexicons/<lang>/numbers.yaml`` (once per process)."""
    lex = read_number_lexicon(lang)
    return lex, compose_patterns(lex)


def find_quantities(text: str, lang: str) -> list[Quantity]:
    """Find the number expressions of a text, in order, without overlaps, longest first.

    Args:
        text: the document text (NFC, as ``ingest.clean`` leaves it).
        lang: the language whose ``numbers.yaml`` applies (``vi``, ``en``).

    Returns:
        One ``Quantity`` per expression. Years, dates, times, product codes, telephone and
        decree numbers are not quantities (see ``numerals`` and ``quantities``).

    Raises:
        LexiconError: the language's number lexicon is missing or malformed.
    """
    return Scanner(text, *_compiled(lang)).scan()


def parse_number(token: str, lang: str) -> float | None:
    """Return the value of one numeral with its separators and scale words, or None.

    ``parse_number("1,46 nghìn tỷ", "vi")`` is ``1.46e12``; ``parse_number("350.000", "en")``
    is ``350.0``; number words count too (``"hai triệu"``). A token that holds anything else
    (a hedge, a percent sign, a range, an ordinal, a second number) gives None.

    Raises:
        LexiconError: the language's number lexicon is missing or malformed.
    """
    token = token.strip()
    reader = NumberReader(token, *_compiled(lang))
    number = reader.number_at(0) if token else None
    if (
        not isinstance(number, Number)
        or number.outer != len(token)
        or number.percent
        or number.ordinal
        or number.vague
        or number.fraction_alone
    ):
        return None
    return number.value


def render_number(value: float, lang: str, *, scale: bool = False) -> str:
    """Write a number the way the language's news does: ``1.234,5`` in Vietnamese.

    Args:
        value: a finite number.
        lang: the language whose separators and scale words to use.
        scale: write the largest power-of-thousand scale word that fits (``1,46 nghìn tỷ``).

    Raises:
        ValueError: the value is not finite.
        LexiconError: the language's number lexicon is missing or malformed.
    """
    if not math.isfinite(value):
        raise ValueError(f"cannot write {value!r} as a number")
    lex, _ = _compiled(lang)
    magnitude, word = abs(value), ""
    for multiplier, surface in lex.render_scales if scale else ():
        if magnitude >= multiplier:
            magnitude, word = magnitude / multiplier, surface
            break
    head, _, fraction = format(Decimal(repr(magnitude)), "f").partition(".")
    groups = [head[max(0, i - 3) : i] for i in range(len(head), 0, -3)][::-1]
    fraction = fraction.rstrip("0")
    number = lex.thousands.join(groups) + (lex.decimal + fraction if fraction else "")
    sign = "-" if value < 0 and number.strip("0.,") else ""
    return f"{sign}{number} {word}" if word else f"{sign}{number}"


def number_entries(lang: str) -> Mapping[str, tuple[str, ...]]:
    """Return every surface entry of a language's ``numbers.yaml`` by key path.

    The tests use it to show that each entry is exercised by at least one case.

    Raises:
        LexiconError: the language's number lexicon is missing or malformed.
    """
    lex, _ = _compiled(lang)
    return lex.entries
