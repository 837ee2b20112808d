"""The regular expressions a number lexicon is scanned with, composed from its tables.

Per language the lexicon is compiled into a handful of regular expressions whose word lists are
tries, so that the engine skips a failing branch on its first character. One pattern finds the
anchors (digit runs, number-word sequences, rank markers before a word that is a number only
after a marker); the others are matched at fixed positions around an anchor: forward ones after
it, and reversed ones against the reversed text before it, so that a hedge or an opener ending
right before a number is a match at position 0. No pattern nests unbounded quantifiers and word
sequences are capped at a dozen words, so time stays linear whatever the text holds.

All patterns run on the lower-cased text except those that read letter case: currency codes
("USD", "US$") and identifier suffixes ("5G" is a name, "5g" five grams).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from functools import cache
from typing import Any

from airace.extract.number_lexicon import NumberLexicon

# A number written in words is never longer; the cap keeps a text of repeated number words linear.
_MAX_WORDS = 12
_NUMERAL = r"\d+(?:[.,]\d+)*"
# A word or a year that may stand between a number and its connector or postfix hedge.
_GAP_TOKEN = r"(?:[^\W\d_][^\s\d,.;:!?()\[\]\"“”]*|(?:19|20)\d\d(?!\d))"


@dataclass(frozen=True)
class Patterns:
    """One lexicon's compiled patterns (``_reversed`` ones run on reversed text)."""

    master: re.Pattern[str]
    core: re.Pattern[str]
    token: re.Pattern[str]
    scale_tail: re.Pattern[str]
    ordinal_suffix: re.Pattern[str]
    identifier_suffix: re.Pattern[str]
    product_before: re.Pattern[str] | None
    percent_tail: re.Pattern[str]
    postfix: re.Pattern[str]
    connector: re.Pattern[str]
    connector_after_gap: re.Pattern[str]
    hedge_forward: re.Pattern[str]
    currency_forward: re.Pattern[str]
    marker_forward: re.Pattern[str]
    decade_suffix: re.Pattern[str]
    gap_reversed: re.Pattern[str]
    any_reversed: re.Pattern[str]
    marker_reversed: re.Pattern[str]
    band_reversed: re.Pattern[str] | None
    band_forward: re.Pattern[str] | None
    hedge_reversed: re.Pattern[str]
    opener_reversed: re.Pattern[str]
    year_reversed: re.Pattern[str]
    comparative_reversed: re.Pattern[str]


def compose_patterns(lex: NumberLexicon) -> Patterns:
    """Compose a lexicon's patterns; all but the currency and identifier ones run lower-cased."""
    guards = {
        head: r"(?!\s+" + _alternation(rests, head=False) + ")"
        for head, rests in lex.compounds.items()
    }
    sequence = _sequence(lex, guards)
    marker = _marker(lex)
    connector = _connector(lex)
    return Patterns(
        master=re.compile(_master(lex, marker, sequence)),
        core=re.compile(rf"(?P<num>[-−+]?{_NUMERAL})|(?P<words>{sequence})"),
        token=re.compile(
            _alternation([*_plain(lex), *lex.ambiguous, *_fillers(lex)], head=False) + "|-"
        ),
        scale_tail=re.compile(_scale_tail(lex, guards)),
        ordinal_suffix=re.compile(_alternation(lex.ordinal_suffixes, head=False)),
        identifier_suffix=re.compile(  # on the original text: "5G" is a name, "5g" five grams
            "(?:" + "|".join(re.escape(s) for s in lex.identifier_suffixes) + r")(?!\w)"
        ),
        product_before=re.compile(  # on the original text: "Ascend 910C", "Llama 3.1"
            "(?<![\\w-])(?:" + "|".join(re.escape(s) for s in lex.product_names) + r") ?$"
        )
        if lex.product_names
        else None,
        percent_tail=re.compile(rf"\s*(?P<p>{_alternation(lex.percent, head=False)})"),
        postfix=re.compile(_postfix(lex)),
        connector=re.compile(connector),
        connector_after_gap=re.compile(rf"(?:\s+{_GAP_TOKEN}){{1,2}}?{connector}"),
        hedge_forward=re.compile(_hedge_forward(lex)),
        currency_forward=re.compile(  # on the original text: codes are upper case
            rf"(?:[A-Z]{{0,3}}[{_currency_chars()}]\s*|[A-Z]{{3}}\s+)"
        ),
        marker_forward=re.compile(marker),
        decade_suffix=re.compile(_alternation(lex.decade_suffixes, head=False)),
        gap_reversed=re.compile(  # on the original text, reversed: "$", "US$", "USD "
            rf"\s*[{_currency_chars()}](?:[A-Z]{{1,3}}(?!\w))?|\s+[A-Z]{{3}}(?!\w)"
        ),
        any_reversed=re.compile(_any_reversed(lex)),
        marker_reversed=_reversed_words(lex.markers),
        band_reversed=_reversed_words(lex.bands) if lex.bands else None,
        band_forward=re.compile(rf"\s+{_alternation(lex.bands)}") if lex.bands else None,
        hedge_reversed=_reversed_words(lex.before),
        opener_reversed=re.compile(rf"\s+(?P<w>{_alternation(_openers(lex), backward=True)})"),
        year_reversed=re.compile(rf"\s+{_alternation(lex.year_words, backward=True)}"),
        comparative_reversed=re.compile(  # "cao hơn 8%", "thứ 33 trên 38": not a bound
            rf"\s+{_alternation(lex.comparatives, backward=True)}|\s*(?:%|\d+(?!\w))"
        ),
    )


def _plain(lex: NumberLexicon) -> list[str]:
    """Return the number words that count wherever they stand."""
    return [w for w, m in lex.words.items() if w not in lex.ambiguous and m.role != "filler"]


def _fillers(lex: NumberLexicon) -> list[str]:
    """Return the words that may join number words ("linh", "and")."""
    return [w for w, m in lex.words.items() if m.role == "filler"]


def _ambiguous(lex: NumberLexicon, rule: str) -> list[str]:
    """Return the ambiguous number words that count only under ``rule``."""
    return [w for w, found in lex.ambiguous.items() if found == rule]


def _openers(lex: NumberLexicon) -> list[str]:
    """Return the words that open a range ("từ", "from")."""
    return [o for o, _ in lex.frames if o]


def _sequence(lex: NumberLexicon, guards: Mapping[str, str]) -> str:
    """Return the pattern of a sequence of number words ("hai mươi lăm", "two hundred and six")."""
    word, amb_before, amb_after = (
        _alternation(_plain(lex), head=False, guards=guards),
        _alternation(_ambiguous(lex, "before_number"), head=False),
        _alternation(_ambiguous(lex, "after_number"), head=False),
    )
    sep = r"(?:-|\s+(?:" + _alternation(_fillers(lex)) + r"\s+)?)"
    item = rf"(?:{word}|{amb_before}(?={sep}(?:{amb_before}{sep})?{word}))"
    return rf"(?<!\w){item}(?:{sep}(?:{item}|{amb_after})){{0,{_MAX_WORDS - 1}}}"


def _marker(lex: NumberLexicon) -> str:
    """Return the pattern of a rank marker with the space after it ("thứ ", "top ", "#")."""
    marker_alnum, marker_symbol = _split(lex.markers)
    return rf"(?:{_alternation(marker_alnum)}\s+|{_alternation(marker_symbol)}\s*)"


def _master(lex: NumberLexicon, marker: str, sequence: str) -> str:
    """Return the anchor pattern: a digit run, a marker before a marker word, or number words."""
    # Each branch starts with the character test that rules most positions out.
    return (
        rf"(?P<num>\d(?<![\w.,/:]\d)(?<!\w-\d)\d*(?:[.,]\d+)*"
        rf"|[-−+](?<![^\s(\[][-−+])\d+(?:[.,]\d+)*)"
        rf"|(?P<ordw>{marker}(?P<word>{_alternation(lex.marker_words)}))"
        rf"|(?P<words>{sequence})"
    )


def _scale_tail(lex: NumberLexicon, guards: Mapping[str, str]) -> str:
    """Return the pattern of a scale or multiplier word after a numeral: spaced, hyphenated
    as an adjective ("a $10-billion deal", "C$725-million") or glued."""
    tails = [t for t in lex.tails if t not in lex.glued]
    return (
        rf"(?:\s*|-)(?P<w>{_alternation(tails, head=False, guards=guards)})"
        rf"|(?P<g>{_alternation(lex.glued, head=False)})"
    )


def _postfix(lex: NumberLexicon) -> str:
    """Return the pattern of a hedge after a number, up to two words on ("5 tỷ USD trở lên")."""
    post_alnum, post_symbol = _split(lex.after)
    return (
        rf"(?:\s+{_GAP_TOKEN}){{0,2}}?(?:(?:\s+|-)(?P<w>{_alternation(post_alnum, head=False)})"
        rf"|(?P<s>{_alternation(post_symbol, head=False)})(?!\d))"
    )


def _connector(lex: NumberLexicon) -> str:
    """Return the pattern of a range's connector after its first number ("đến", "to", "-")."""
    connectors = [c for _, c in lex.frames]
    return rf"\s*(?P<comma>,)?\s*(?P<c>{_alternation(connectors)})\s*"


def _hedge_forward(lex: NumberLexicon) -> str:
    """Return the pattern of a hedge before a range's second number."""
    hedge_alnum, hedge_symbol = _split(lex.before)
    return rf"(?P<w>{_alternation(hedge_alnum)})\s+|(?P<s>{_alternation(hedge_symbol)})\s*"


def _any_reversed(lex: NumberLexicon) -> str:
    """Return the reversed pattern of anything at all before a number (lower-cased text)."""
    words_before, symbols_before = _split(
        [*lex.before, *lex.markers, *lex.bands, *_openers(lex), *lex.year_words]
    )
    return (
        rf"\s+{_alternation(words_before, backward=True)}"
        rf"|\s*{_alternation(symbols_before, backward=True)}"
        rf"|\s*[{_currency_chars()}]|\s+[^\W\d_]{{3}}(?!\w)"
    )


def _reversed_words(entries: Iterable[str]) -> re.Pattern[str]:
    """Compile the reversed pattern of entries before a number, words spaced, symbols not."""
    alnum, symbol = _split(entries)
    return re.compile(
        rf"\s+(?P<w>{_alternation(alnum, backward=True)})"
        rf"|\s*(?P<s>{_alternation(symbol, backward=True)})"
    )


@cache
def _currency_chars() -> str:
    """Return the characters of Unicode category Sc as a character-class body."""
    return "".join(
        re.escape(chr(c)) for c in range(0x20, 0x10000) if unicodedata.category(chr(c)) == "Sc"
    )


def _split(entries: Iterable[str]) -> tuple[list[str], list[str]]:
    """Split entries into those that end in a letter or digit and those that end in a symbol."""
    entries = list(entries)
    return [e for e in entries if e[-1].isalnum()], [e for e in entries if not e[-1].isalnum()]


def _alternation(
    entries: Iterable[str],
    *,
    head: bool = True,
    backward: bool = False,
    guards: Mapping[str, str] | None = None,
) -> str:
    """Return a trie-shaped pattern matching any of the entries, the longest first.

    Entries are lookup keys; a space matches any whitespace. Forward, an entry that starts with
    a letter or digit must start a word (unless ``head`` is false: glued suffixes) and one that
    ends with one must end a word; ``guards`` adds a lookahead after some entries. ``backward``
    builds the pattern for reversed text: the entry's start, now at the end of the match, must
    be a word boundary.
    """
    words: list[tuple[str, str]] = []
    symbols: list[tuple[str, str]] = []
    for entry in set(entries):
        if backward:
            tail = r"(?!\w)" if entry[0].isalnum() else ""
            words.append((entry[::-1], tail))
        else:
            tail = (r"(?!\w)" if entry[-1].isalnum() else "") + (guards or {}).get(entry, "")
            (words if head and entry[0].isalnum() else symbols).append((entry, tail))
    parts = []
    if words:
        parts.append((r"(?<!\w)" if head and not backward else "") + _trie(words))
    if symbols:
        parts.append(_trie(symbols))
    return "(?:" + "|".join(parts) + ")" if parts else "(?!)"


def _trie(items: list[tuple[str, str]]) -> str:
    """Return the pattern of a character trie of (literal, tail) items."""
    root: dict[str, Any] = {}
    for literal, tail in items:
        node = root
        for char in literal:
            node = node.setdefault(char, {})
        node.setdefault("", set()).add(tail)
    return _emit(root)


def _emit(node: Mapping[str, Any]) -> str:
    """Return the pattern of one trie node: its branches, then the tails of entries ending here."""
    branches = [
        (r"\s+" if char == " " else re.escape(char)) + _emit(child)
        for char, child in sorted(node.items())
        if char
    ]
    branches += sorted(node.get("", ()), key=len, reverse=True)  # an entry ends here: last
    return branches[0] if len(branches) == 1 else "(?:" + "|".join(branches) + ")"
