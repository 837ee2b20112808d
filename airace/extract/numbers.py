"""Numbers in news text: numerals, number words, scales, percentages, hedges, ranges and ranks.

``find_quantities(text, lang)`` returns every number expression of a text as a ``Quantity``:
its character span (hedges, range openers and scale words included: ``khoảng 1,46 nghìn tỷ``),
the value fully scaled, an upper end for ranges, an earlier value for changes (``từ 31% lên
57%``), the kind (cardinal, ordinal, percent, percentage points) and the approx/bound flags of
the gold format (``shared/eval/README.md``). Currency symbols and units are left to the money
and unit readers: ``$1.5bn`` gives the span ``1.5bn``; a currency symbol lies inside a span only
when a hedge or a range stands on both sides of it (``about $15 billion``, ``$2.00–$2.50``).

Everything a language contributes is data in ``lexicons/<lang>/numbers.yaml``, whose closed
schema is checked here (the same keys in every language): the decimal and thousands separators,
number words, scales, hedges and what they mean, range frames, rank markers and year words. The
code never tests a language code: ``350.000`` is 350000 in Vietnamese and 350 in English only
because the two files swap their separators.

The file's schema (closed; every key below is required unless marked optional):

* ``separators``: ``decimal`` and ``thousands``, one of ``.`` and ``,`` each.
* ``cardinals`` (``number.N``), ``multipliers`` (``multiplier.N``: "mươi", "hundred"), ``fillers``
  ("linh", "and"): the words of numbers written out.
* ``scales``: ``scale.thousand`` ... ``scale.crore``, each ``multiplier``, ``words``, optional
  ``glued`` (only straight after digits: "10k", "$20m") and ``compounds`` (words that start with
  the scale word and are not one: "tỷ lệ").
* ``fractions`` (``fraction.half``: ``value``, ``words``) and ``vague`` (``vague.few`` ...
  ``vague.billion``: ``unit``, ``words``: "hàng trăm" is at least 2 × 100).
* ``percent``: ``percent.percent`` and ``percent.point`` word lists.
* ``hedges``: ``hedge.approx``, ``hedge.lower_bound``, ``hedge.upper_bound``, ``hedge.up_to``,
  each ``approx`` (the gold's flag), ``bound`` (``lower``, ``upper`` or null), ``before`` and
  optional ``after`` words; ``comparatives``: words after which a hedge is a comparison.
* ``ambiguous``: number words that count only ``before_number`` (another number word follows:
  "năm triệu", "a million") or ``after_number`` (one precedes: "hai mươi tư").
* ``ordinals``: ``markers`` (``marker.rank``, ``marker.top``), ``words`` (``ordinal.N``),
  ``words_need_marker`` and ``capitalised_is_name`` flags, optional glued ``suffixes``.
* ``ranges``: ``range.span``, ``range.from_to``, ``range.change``, ``range.change_back``, each a
  list of ``[opener, connector]`` pairs around two numbers.
* ``years``: ``before`` words, optional glued ``decade_suffixes``; ``identifiers``:
  ``glued_suffixes`` that make digits a name ("5G").

Design. Per language the file is compiled once (``functools.cache``, never at import time) into
a handful of regular expressions whose word lists are tries, so that the engine skips a failing
branch on its first character. Scanning lower-cases the text once (offsets unchanged) and runs
one ``search`` loop for anchors: digit runs, number-word sequences, and rank markers before a
word that is a number only after a marker (``thứ tư``). Everything else is read outward from an
anchor with anchored ``match`` calls: scale words, percent signs, a range's connector and second
number, postfix hedges after it; hedges, rank markers, range openers and year words before it,
by matching reversed patterns against the reversed 64 characters before the anchor. No pattern
nests unbounded quantifiers, word sequences are capped at a dozen words and digit runs at thirty
digits, so time stays linear whatever the text holds.

What is not a quantity is decided by mechanisms rather than lists. Digits glued after letters,
or after a letter and a hyphen, are names (``H100``, ``GB200``, ``GPT-4``, ``GPT-3.5``,
``COVID-19``, ``H-1B``, ``Llama-3-70B``), as are digits glued to a suffix listed under
``identifiers`` (``5G``, ``3nm``) or to letters and digits again (``3B2``). Digits joined by ``/``
or ``:`` are dates, times, fractions or decree numbers (``29/06/2023``, ``16:00``,
``127/QĐ-TTg``); three hyphenated digit groups are a date (``2023-06-29``); a leading zero, or a
``+`` before digit groups, is a telephone number; a numeral with an impossible grouping
(``1.2.3``) is a version or an address. A model version after a name with a space between
(``Claude 3.5``) is a number here: the entity reader, which knows model names, drops it.

Years are skipped, not returned (``time.py`` reads them): a bare four-digit 1900–2100 with no
separator, sign, scale, percent or hedge is a year when a year word precedes it (``năm 2023``,
``in 2024``), a decade suffix follows it (``2020s``), punctuation or the end of the text follows
it, it closes a year range (``2024–2026``, ``2019 to 2023``) or it follows another year in a list.
News writes counts of a thousand and more with a separator, so a bare ``2000`` followed by a word
and no year word stays a number.

The module is longer than the house's usual size because reading the file, composing its
patterns and scanning with them share private structures (``_Lexicon``, ``_Patterns``); split,
those would become an interface between modules that nothing else needs.
"""

from __future__ import annotations

import math
import re
import unicodedata
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from functools import cache
from typing import Any, Literal, cast

from airace.errors import LexiconError
from airace.extract.lexicon import check_keys, concern_path, read_concern

__all__ = ["Quantity", "find_quantities", "number_entries", "parse_number", "render_number"]

Kind = Literal["cardinal", "ordinal", "percent", "percent_point"]
Bound = Literal["lower", "upper"]
_Role = Literal["cardinal", "multiplier", "scale", "fraction", "vague", "ordinal", "filler"]


@dataclass(frozen=True)
class Quantity:
    """A number expression found in a text.

    ``text == source[start:end]`` always. ``number_span`` covers the numerals and scale words
    (no hedge, percent sign or currency before the first number): for a range both numbers,
    for a change the current one. ``kind`` is ``percent_point`` for "percentage points" and
    "điểm phần trăm". ``bound`` says the value is a floor or a ceiling ("more than", "up to");
    ``approx`` follows the gold format (true for "khoảng", "hơn", "about", "more than"; false
    for "up to", "lên đến"). ``from_to`` marks "from X to Y"/"từ X đến Y", held as a range
    (value X, value_max Y) that the sentence may show to be a change. ``vague`` marks a plural
    with no count ("hàng trăm", "dozens of"): the value is the least it can mean (200, 24).
    """

    start: int
    end: int
    value: float
    value_max: float | None
    kind: Kind
    approx: bool
    bound: Bound | None
    change_from: float | None
    number_span: tuple[int, int]
    text: str
    from_to: bool = False
    vague: bool = False


# Longer digit runs are hashes, identifiers or hostile input, never a reported figure; the cap
# also keeps float() away from absurd strings.
_MAX_DIGITS = 30
# Characters before an anchor searched for hedges, markers and openers; the longest real prefix
# ("từ khoảng hơn vị trí thứ") is under half of it.
_WINDOW = 64
# A number written in words is never longer; the cap keeps a text of repeated number words linear.
_MAX_WORDS = 12
# Bare four-digit integers in this range may be years.
_YEAR_MIN, _YEAR_MAX = 1900, 2100
# A year this close after another one (", ", " và ", " and ") continues a list of years.
_YEAR_LIST_GAP = 6

_TOP_KEYS = (
    "separators",
    "cardinals",
    "multipliers",
    "fillers",
    "scales",
    "fractions",
    "vague",
    "percent",
    "hedges",
    "comparatives",
    "ambiguous",
    "ordinals",
    "ranges",
    "years",
    "identifiers",
)
_SCALES = tuple(
    f"scale.{name}"
    for name in ("thousand", "million", "billion", "trillion", "quadrillion", "lakh", "crore")
)
_VAGUE = tuple(
    f"vague.{name}" for name in ("few", "ten", "dozen", "hundred", "thousand", "million", "billion")
)
_HEDGES = ("hedge.approx", "hedge.lower_bound", "hedge.upper_bound", "hedge.up_to")
_RANGES = ("range.span", "range.from_to", "range.change", "range.change_back")
_PERCENT: Mapping[str, Kind] = {"percent.percent": "percent", "percent.point": "percent_point"}
_RULES = ("before_number", "after_number")
_VALUED_ID = re.compile(r"(number|multiplier|ordinal)\.([1-9][0-9]{0,3})")


# ---------------------------------------------------------------------------------------------
# Reading and compiling numbers.yaml


@dataclass(frozen=True)
class _Word:
    role: _Role
    value: float


@dataclass(frozen=True)
class _Hedge:
    approx: bool
    bound: Bound | None


@dataclass(frozen=True)
class _Patterns:
    master: re.Pattern[str]
    core: re.Pattern[str]
    token: re.Pattern[str]
    scale_tail: re.Pattern[str]
    ordinal_suffix: re.Pattern[str]
    identifier_suffix: re.Pattern[str]
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
    hedge_reversed: re.Pattern[str]
    opener_reversed: re.Pattern[str]
    year_reversed: re.Pattern[str]
    comparative_reversed: re.Pattern[str]


@dataclass(frozen=True)
class _Lexicon:
    decimal: str
    thousands: str
    words: Mapping[str, _Word]  # number words of sequences, by lookup key
    marker_words: Mapping[str, float]  # words that are ordinals only after a marker
    tails: Mapping[str, _Word]  # scale and multiplier words after a numeral, glued ones too
    render_scales: tuple[tuple[float, str], ...]
    percent: Mapping[str, Kind]
    before: Mapping[str, _Hedge]
    after: Mapping[str, _Hedge]
    markers: Mapping[str, bool]  # True for a "top" marker
    frames: Mapping[tuple[str, str], str]  # (opener, connector) -> range concept
    capitalised_is_name: bool
    patterns: _Patterns
    entries: Mapping[str, tuple[str, ...]]


def _norm(surface: str) -> str:
    """Return the lookup key of a lexicon entry: NFC, lower case, single spaces."""
    return " ".join(unicodedata.normalize("NFC", surface).lower().split())


def _key(matched: str) -> str:
    """Return the lookup key of text a pattern matched in the lower-cased text."""
    return " ".join(matched.split())


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
    root: dict[str, Any] = {}
    for literal, tail in items:
        node = root
        for char in literal:
            node = node.setdefault(char, {})
        node.setdefault("", set()).add(tail)
    return _emit(root)


def _emit(node: Mapping[str, Any]) -> str:
    branches = [
        (r"\s+" if char == " " else re.escape(char)) + _emit(child)
        for char, child in sorted(node.items())
        if char
    ]
    branches += sorted(node.get("", ()), key=len, reverse=True)  # an entry ends here: last
    return branches[0] if len(branches) == 1 else "(?:" + "|".join(branches) + ")"


def _words(value: Any, path: str, key: str) -> tuple[str, ...]:
    """Check a list of surface words and return it."""
    if not isinstance(value, list) or not value:
        raise LexiconError("expected a non-empty list of words", path=path, key=key)
    for item in value:
        if not isinstance(item, str) or not item.strip():
            raise LexiconError("expected a non-empty string", path=path, key=key)
    return tuple(value)


def _mapping(value: Any, path: str, key: str) -> Mapping[str, Any]:
    if not isinstance(value, dict) or not value:
        raise LexiconError("expected a non-empty mapping", path=path, key=key)
    return value


def _positive(value: Any, path: str, key: str) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float) or value <= 0:
        raise LexiconError("expected a positive number", path=path, key=key)
    return float(value)


def _flag(value: Any, path: str, key: str) -> bool:
    if not isinstance(value, bool):
        raise LexiconError("expected true or false", path=path, key=key)
    return value


@dataclass
class _Reader:
    """Checks a file's entries on the way in and keeps them by key path (for the tests)."""

    path: str
    entries: dict[str, tuple[str, ...]] = field(default_factory=dict)

    def words(self, value: Any, key: str) -> tuple[str, ...]:
        self.entries[key] = _words(value, self.path, key)
        return self.entries[key]

    def section(
        self, data: Mapping[str, Any], key: str, where: str = "", **schema: Any
    ) -> Mapping[str, Any]:
        section = _mapping(data[key], self.path, where + key)
        if schema:
            check_keys(section, path=self.path, where=f"{where}{key}.", **schema)
        return section

    def valued(
        self, data: Mapping[str, Any], key: str, prefix: str, where: str = ""
    ) -> dict[str, float]:
        """Read a ``<prefix>.N: [words]`` section into lookup key -> N."""
        out: dict[str, float] = {}
        for concept, words in self.section(data, key, where).items():
            here = f"{where}{key}.{concept}"
            match = _VALUED_ID.fullmatch(str(concept))
            if match is None or match.group(1) != prefix:
                raise LexiconError(f"unknown key; expected {prefix}.N", path=self.path, key=here)
            for word in self.words(words, here):
                out[_norm(word)] = float(match.group(2))
        return out

    def weighted(
        self,
        data: Mapping[str, Any],
        key: str,
        concepts: tuple[str, ...],
        number: str,
        optional: tuple[str, ...] = (),
    ) -> list[tuple[str, float, Mapping[str, Any]]]:
        """Read ``concept: {<number>: N, words: [...]}`` entries as (concept, N, entry)."""
        out = []
        for concept in concepts:
            entry = self.section(
                data[key], concept, f"{key}.", required=(number, "words"), optional=optional
            )
            value = _positive(entry[number], self.path, f"{key}.{concept}.{number}")
            self.words(entry["words"], f"{key}.{concept}.words")
            out.append((concept, value, entry))
        return out


@cache
def _compiled(lang: str) -> _Lexicon:
    """Read, check and compile ``lexicons/<lang>/numbers.yaml`` (once per process)."""
    data = read_concern(lang, "numbers")
    r = _Reader(concern_path(lang, "numbers"))
    path = r.path
    check_keys(data, required=_TOP_KEYS, path=path)

    seps = r.section(data, "separators", required=("decimal", "thousands"))
    decimal, thousands = seps["decimal"], seps["thousands"]
    if {decimal, thousands} != {".", ","}:
        raise LexiconError("separators must be '.' and ',', one each", path=path, key="separators")

    words: dict[str, _Word] = {}

    def add(surface: str, word: _Word, key: str) -> None:
        norm = _norm(surface)
        if words.get(norm, word) != word:
            raise LexiconError(f"{surface!r} has two meanings", path=path, key=key)
        words[norm] = word

    for surface, value in r.valued(data, "cardinals", "number").items():
        add(surface, _Word("cardinal", value), "cardinals")
    multipliers = r.valued(data, "multipliers", "multiplier")
    for surface, value in multipliers.items():
        add(surface, _Word("multiplier", value), "multipliers")
    for surface in r.words(data["fillers"], "fillers"):
        add(surface, _Word("filler", 0.0), "fillers")

    tails = {s: _Word("multiplier", v) for s, v in multipliers.items()}  # "5 trăm", "2 dozen"
    glued: list[str] = []
    render_scales: list[tuple[float, str]] = []
    compounds: dict[str, list[str]] = {}  # scale word -> words after it that make another word
    r.section(data, "scales", required=_SCALES)
    scales = r.weighted(data, "scales", _SCALES, "multiplier", ("glued", "compounds"))
    for concept, multiplier, entry in scales:
        for surface in entry["words"]:
            add(surface, _Word("scale", multiplier), f"scales.{concept}")
            tails[_norm(surface)] = _Word("scale", multiplier)
        key = f"scales.{concept}.compounds"
        for compound in r.words(entry["compounds"], key) if "compounds" in entry else ():
            head, _, rest = _norm(compound).partition(" ")
            if head not in (_norm(w) for w in entry["words"]) or not rest:
                raise LexiconError(
                    f"{compound!r} does not start with a scale word", path=path, key=key
                )
            compounds.setdefault(head, []).append(rest)
        for surface in (
            r.words(entry["glued"], f"scales.{concept}.glued") if "glued" in entry else ()
        ):
            glued.append(_norm(surface))
            tails[_norm(surface)] = _Word("scale", multiplier)
        exponent = math.log(multiplier, 1000)
        if abs(exponent - round(exponent)) < 1e-9:  # written as "1,46 nghìn tỷ", not "lakh"
            render_scales.append((multiplier, entry["words"][0]))
    r.section(data, "fractions", required=("fraction.half",))
    for concept, value, entry in r.weighted(data, "fractions", ("fraction.half",), "value"):
        for surface in entry["words"]:
            add(surface, _Word("fraction", value), f"fractions.{concept}")
    r.section(data, "vague", required=_VAGUE)
    for concept, unit, entry in r.weighted(data, "vague", _VAGUE, "unit"):
        for surface in entry["words"]:
            add(surface, _Word("vague", unit), f"vague.{concept}")

    percent: dict[str, Kind] = {}
    section = r.section(data, "percent", required=tuple(_PERCENT))
    for concept, kind in _PERCENT.items():
        for surface in r.words(section[concept], f"percent.{concept}"):
            percent[_norm(surface)] = kind

    before: dict[str, _Hedge] = {}
    after: dict[str, _Hedge] = {}
    r.section(data, "hedges", required=_HEDGES)
    for concept in _HEDGES:
        key = f"hedges.{concept}"
        entry = r.section(
            data["hedges"],
            concept,
            "hedges.",
            required=("approx", "bound", "before"),
            optional=("after",),
        )
        if entry["bound"] not in ("lower", "upper", None):
            raise LexiconError("bound must be lower, upper or null", path=path, key=key)
        hedge = _Hedge(_flag(entry["approx"], path, key), cast(Bound | None, entry["bound"]))
        for surface in r.words(entry["before"], f"{key}.before"):
            before[_norm(surface)] = hedge
        for surface in r.words(entry["after"], f"{key}.after") if "after" in entry else ():
            after[_norm(surface)] = hedge
    comparatives = [_norm(w) for w in r.words(data["comparatives"], "comparatives")]

    rules: dict[str, str] = {}
    for surface, rule in r.section(data, "ambiguous").items():
        key = f"ambiguous.{surface}"
        norm = _norm(str(surface))
        if rule not in _RULES:
            raise LexiconError(f"rule must be one of {', '.join(_RULES)}", path=path, key=key)
        if norm not in words or words[norm].role not in ("cardinal", "fraction"):
            raise LexiconError("not a number word of this file", path=path, key=key)
        rules[norm] = rule
        r.entries[key] = (str(surface),)

    ordinals = r.section(
        data,
        "ordinals",
        required=("markers", "words", "words_need_marker", "capitalised_is_name"),
        optional=("suffixes",),
    )
    markers: dict[str, bool] = {}
    marker_section = r.section(
        ordinals, "markers", "ordinals.", required=("marker.rank", "marker.top")
    )
    for concept in ("marker.rank", "marker.top"):
        for surface in r.words(marker_section[concept], f"ordinals.markers.{concept}"):
            markers[_norm(surface)] = concept == "marker.top"
    ordinal_words = r.valued(ordinals, "words", "ordinal", "ordinals.")
    marker_words: dict[str, float] = {}
    if _flag(ordinals["words_need_marker"], path, "ordinals.words_need_marker"):
        marker_words.update(ordinal_words)
    else:
        for surface, value in ordinal_words.items():
            add(surface, _Word("ordinal", value), "ordinals.words")
    suffixes = r.words(ordinals["suffixes"], "ordinals.suffixes") if "suffixes" in ordinals else ()

    frames: dict[tuple[str, str], str] = {}
    r.section(data, "ranges", required=_RANGES)
    for concept in _RANGES:
        key = f"ranges.{concept}"
        pairs = data["ranges"][concept]
        if (
            not isinstance(pairs, list)
            or not pairs
            or not all(
                isinstance(p, list)
                and len(p) == 2
                and all(isinstance(w, str) for w in p)
                and p[1].strip()
                for p in pairs
            )
        ):
            raise LexiconError(
                'expected a list of [opener, connector]; opener may be ""', path=path, key=key
            )
        for opener, connector in pairs:
            if (_norm(opener), _norm(connector)) in frames:
                raise LexiconError(f"[{opener!r}, {connector!r}] listed twice", path=path, key=key)
            frames[(_norm(opener), _norm(connector))] = concept
        if any(p[0].strip() for p in pairs):
            r.entries[f"{key}.openers"] = tuple(p[0] for p in pairs if p[0].strip())
        r.entries[f"{key}.connectors"] = tuple(p[1] for p in pairs)

    years = r.section(data, "years", required=("before",), optional=("decade_suffixes",))
    year_words = [_norm(w) for w in r.words(years["before"], "years.before")]
    decades = (
        r.words(years["decade_suffixes"], "years.decade_suffixes")
        if "decade_suffixes" in years
        else ()
    )
    identifiers = r.section(data, "identifiers", required=("glued_suffixes",))
    identifier_suffixes = r.words(identifiers["glued_suffixes"], "identifiers.glued_suffixes")

    plain = [w for w, m in words.items() if w not in rules and m.role != "filler"]
    patterns = _build_patterns(
        guards={
            head: r"(?!\s+" + _alternation(rests, head=False) + ")"
            for head, rests in compounds.items()
        },
        plain=plain,
        before_number=[w for w, rule in rules.items() if rule == "before_number"],
        after_number=[w for w, rule in rules.items() if rule == "after_number"],
        fillers=[w for w, m in words.items() if m.role == "filler"],
        marker_words=list(marker_words),
        tails=[t for t in tails if t not in glued],
        glued=glued,
        percent=list(percent),
        before=list(before),
        after=list(after),
        markers=list(markers),
        connectors=[c for _, c in frames],
        openers=[o for o, _ in frames if o],
        comparatives=comparatives,
        year_words=year_words,
        decades=[_norm(d) for d in decades],
        suffixes=[_norm(s) for s in suffixes],
        identifier_suffixes=identifier_suffixes,
    )
    return _Lexicon(
        decimal=decimal,
        thousands=thousands,
        words=words,
        marker_words=marker_words,
        tails=tails,
        render_scales=tuple(sorted(render_scales, reverse=True)),
        percent=percent,
        before=before,
        after=after,
        markers=markers,
        frames=frames,
        capitalised_is_name=_flag(
            ordinals["capitalised_is_name"], path, "ordinals.capitalised_is_name"
        ),
        patterns=patterns,
        entries=r.entries,
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


def _build_patterns(
    *,
    guards: Mapping[str, str],
    plain: list[str],
    before_number: list[str],
    after_number: list[str],
    fillers: list[str],
    marker_words: list[str],
    tails: list[str],
    glued: list[str],
    percent: list[str],
    before: list[str],
    after: list[str],
    markers: list[str],
    connectors: list[str],
    openers: list[str],
    comparatives: list[str],
    year_words: list[str],
    decades: list[str],
    suffixes: list[str],
    identifier_suffixes: tuple[str, ...],
) -> _Patterns:
    """Compose the patterns; all but the currency and identifier ones run on lower-cased text."""
    numeral = r"\d+(?:[.,]\d+)*"
    word, amb_before, amb_after = (
        _alternation(plain, head=False, guards=guards),
        _alternation(before_number, head=False),
        _alternation(after_number, head=False),
    )
    sep = r"(?:-|\s+(?:" + _alternation(fillers) + r"\s+)?)"
    item = rf"(?:{word}|{amb_before}(?={sep}(?:{amb_before}{sep})?{word}))"
    sequence = rf"(?<!\w){item}(?:{sep}(?:{item}|{amb_after})){{0,{_MAX_WORDS - 1}}}"
    marker_alnum, marker_symbol = _split(markers)
    marker = rf"(?:{_alternation(marker_alnum)}\s+|{_alternation(marker_symbol)}\s*)"
    # Each branch starts with the character test that rules most positions out.
    master = (
        rf"(?P<num>\d(?<![\w.,/:]\d)(?<!\w-\d)\d*(?:[.,]\d+)*"
        rf"|[-−+](?<![^\s(\[][-−+])\d+(?:[.,]\d+)*)"
        rf"|(?P<ordw>{marker}(?P<word>{_alternation(marker_words)}))"
        rf"|(?P<words>{sequence})"
    )
    currency = rf"(?:[A-Z]{{0,3}}[{_currency_chars()}]\s*|[A-Z]{{3}}\s+)"
    gap_token = r"(?:[^\W\d_][^\s\d,.;:!?()\[\]\"“”]*|(?:19|20)\d\d(?!\d))"
    conn = rf"\s*(?P<comma>,)?\s*(?P<c>{_alternation(connectors)})\s*"
    post_alnum, post_symbol = _split(after)
    hedge_alnum, hedge_symbol = _split(before)

    def reversed_words(entries: list[str]) -> re.Pattern[str]:
        alnum, symbol = _split(entries)
        return re.compile(
            rf"\s+(?P<w>{_alternation(alnum, backward=True)})"
            rf"|\s*(?P<s>{_alternation(symbol, backward=True)})"
        )

    words_before, symbols_before = _split([*before, *markers, *openers, *year_words])

    return _Patterns(
        master=re.compile(master),
        core=re.compile(rf"(?P<num>[-−+]?{numeral})|(?P<words>{sequence})"),
        token=re.compile(
            _alternation([*plain, *before_number, *after_number, *fillers], head=False) + "|-"
        ),
        scale_tail=re.compile(
            rf"\s*(?P<w>{_alternation(tails, head=False, guards=guards)})"
            rf"|(?P<g>{_alternation(glued, head=False)})"
        ),
        ordinal_suffix=re.compile(_alternation(suffixes, head=False)),
        identifier_suffix=re.compile(  # on the original text: "5G" is a name, "5g" five grams
            "(?:" + "|".join(re.escape(s) for s in identifier_suffixes) + r")(?!\w)"
        ),
        percent_tail=re.compile(rf"\s*(?P<p>{_alternation(percent, head=False)})"),
        postfix=re.compile(
            rf"(?:\s+{gap_token}){{0,2}}?(?:(?:\s+|-)(?P<w>{_alternation(post_alnum, head=False)})"
            rf"|(?P<s>{_alternation(post_symbol, head=False)})(?!\d))"
        ),
        connector=re.compile(conn),
        connector_after_gap=re.compile(rf"(?:\s+{gap_token}){{1,2}}?{conn}"),
        hedge_forward=re.compile(
            rf"(?P<w>{_alternation(hedge_alnum)})\s+|(?P<s>{_alternation(hedge_symbol)})\s*"
        ),
        currency_forward=re.compile(currency),  # on the original text: codes are upper case
        marker_forward=re.compile(marker),
        decade_suffix=re.compile(_alternation(decades, head=False)),
        gap_reversed=re.compile(  # on the original text, reversed: "$", "US$", "USD "
            rf"\s*[{_currency_chars()}](?:[A-Z]{{1,3}}(?!\w))?|\s+[A-Z]{{3}}(?!\w)"
        ),
        any_reversed=re.compile(  # anything at all before a number, on the lower-cased text
            rf"\s+{_alternation(words_before, backward=True)}"
            rf"|\s*{_alternation(symbols_before, backward=True)}"
            rf"|\s*[{_currency_chars()}]|\s+[^\W\d_]{{3}}(?!\w)"
        ),
        marker_reversed=reversed_words(markers),
        hedge_reversed=reversed_words(before),
        opener_reversed=re.compile(rf"\s+(?P<w>{_alternation(openers, backward=True)})"),
        year_reversed=re.compile(rf"\s+{_alternation(year_words, backward=True)}"),
        comparative_reversed=re.compile(  # "cao hơn 8%", "thứ 33 trên 38": not a bound
            rf"\s+{_alternation(comparatives, backward=True)}|\s*(?:%|\d+(?!\w))"
        ),
    )


# ---------------------------------------------------------------------------------------------
# Scanning


@dataclass(slots=True)
class _Number:
    """One number read at an anchor, before hedges and ranges are considered."""

    start: int
    end: int  # end of the numerals and scale words
    outer: int  # end including a percent sign or an ordinal suffix
    value: float
    raw: float  # the value before scale words
    factor: float = 1.0  # product of the scale words
    percent: Kind | None = None
    ordinal: bool = False
    vague: bool = False
    fraction_alone: bool = False
    words: bool = False
    bare: bool = False  # digits only: no sign, separator, scale, suffix or percent

    @property
    def year_like(self) -> bool:
        return self.bare and self.end - self.start == 4 and _YEAR_MIN <= self.value <= _YEAR_MAX


@dataclass(frozen=True)
class _Skip:
    """Digits that are not a quantity (a date, a name, a telephone number) ending at ``end``."""

    end: int


@dataclass(slots=True)
class _Prefix:
    start: int  # where the expression starts (the number itself when nothing precedes it)
    hedges: list[_Hedge] = field(default_factory=list)
    marker: bool = False
    top: bool = False
    opener: str = ""
    opener_start: int = 0
    year_word: bool = False


@dataclass(slots=True)
class _Range:
    concept: str
    second: _Number
    hedges: list[_Hedge]
    opener: bool
    skip: bool = False


_DATE_CHAIN = re.compile(r"(?:[-/:.]\d+)+")
_DECREE = re.compile(r"/[^\W\d_]+-(?P<head>[^\W\d_])\w*")
_PHONE = re.compile(r"(?:[ .-]\d{2,4}(?!\d))+")
_HYPHEN_CHAIN = re.compile(r"(?:-\d+){2,}")
_GLUED_NAME = re.compile(r"[^\W\d_]+\d\w*|\.[^\W\d_]\w*")
_WEEKDAY_DATE = re.compile(r"\s*,?\s*\d{1,2}/\d{1,2}")
_COMPOUND = re.compile(r"\s+(?P<n>[1-9]\d{0,2})(?![\d.,])")
_SPACE = re.compile(r"\s")
_WORD_NEXT = re.compile(r"\s*\w")


def _numeral_value(body: str, decimal: str, thousands: str) -> float | None:
    """Return the value of digits with separators by the language's convention, or None."""
    points, commas = body.count("."), body.count(",")
    if not points and not commas:
        return float(body)
    if points and commas:
        last = max(body.rfind("."), body.rfind(","))
        mark = body[last]
        if body.count(mark) != 1:
            return None
        parts = body[:last].split("," if mark == "." else ".")
        return float("".join(parts) + "." + body[last + 1 :]) if _grouped(parts) else None
    parts = body.split("." if points else ",")
    if len(parts) > 2:
        return float("".join(parts)) if _grouped(parts) else None
    if body[len(parts[0])] == thousands and _grouped(parts):
        return float(parts[0] + parts[1])
    # The decimal mark, or a thousands mark that cannot group ("1.5 triệu" in Vietnamese).
    return float(parts[0] + "." + parts[1])


def _grouped(parts: list[str]) -> bool:
    """Whether parts are thousands groups: 1-3 digits (no leading zero), then 3 each."""
    return (
        1 <= len(parts[0]) <= 3
        and not parts[0].startswith("0")
        and all(len(p) == 3 for p in parts[1:])
    )


class _Scanner:
    """One pass over one text; patterns run on ``low``, the lower-cased text (same offsets)."""

    def __init__(self, text: str, lex: _Lexicon) -> None:
        low = text.lower()
        if len(low) != len(text):  # a letter whose lower case is longer ("İ"): keep it
            low = "".join(c if len(c.lower()) != 1 else c.lower() for c in text)
        self.text, self.low, self.lex, self.p = text, low, lex, lex.patterns
        self.floor = 0  # end of the last quantity: the next one may not start before it
        self.year_end = -_YEAR_LIST_GAP - 1  # end of the last year skipped

    def scan(self) -> list[Quantity]:
        found: list[Quantity] = []
        pos = 0
        while (match := self.p.master.search(self.low, pos)) is not None:
            quantity, resume = self.read_at(match)
            if quantity is not None:
                found.append(quantity)
                self.floor = resume = quantity.end
            pos = max(resume, match.start() + 1)
        return found

    # -- the number at an anchor

    def numeral(self, match: re.Match[str]) -> _Number | _Skip:
        text, low, p = self.text, self.low, self.p
        raw = match.group("num")
        start, end = match.start("num"), match.end("num")
        sign = raw[0] if raw[0] in "+-−" else ""
        body = raw[len(sign) :]
        if len(body) - body.count(".") - body.count(",") > _MAX_DIGITS:
            return _Skip(end)
        after = low[end : end + 2]  # the cheap tests on it spare most pattern calls
        if after[:1] in ("/", ":"):
            if after[1:].isdigit():
                chain = _DATE_CHAIN.match(low, end)
                return _Skip(chain.end() if chain else end)  # 29/06/2023, 16:00, 6/2023, 1/3
            decree = _DECREE.match(text, end)
            if decree is not None and decree.group("head").isupper():
                return _Skip(decree.end())  # 127/QĐ-TTg
        elif after[:1] == "-" and (chain := _HYPHEN_CHAIN.match(low, end)) is not None:
            return _Skip(chain.end())  # 2023-06-29
        if (body[0] == "0" and body[1:2].isdigit()) or sign == "+":
            phone = _PHONE.match(low, end)  # 0912 345 678, +84 24 3825 1234
            if phone is not None or sign != "+":
                return _Skip(phone.end() if phone else end)
        value = _numeral_value(body, self.lex.decimal, self.lex.thousands)
        if value is None:
            return _Skip(end)  # 1.2.3: a version or an address, not a number
        value = -value if sign in ("-", "−") else value
        number = _Number(start, end, end, value, value, bare=not sign and body.isdigit())
        glued = after[:1].isalpha()
        if glued and (suffix := p.ordinal_suffix.match(low, end)) is not None:
            number.ordinal, number.outer, number.bare = True, suffix.end(), False
            return number
        if glued and (identifier := p.identifier_suffix.match(text, end)) is not None:
            return _Skip(identifier.end())  # 5G, 3nm
        if glued or after[:1].isspace():
            self.scales(number)
        if number.end == end and (glued or after[:1] == "."):
            name = _GLUED_NAME.match(low, end)
            if name is not None:
                return _Skip(name.end())  # 3B2, 1738814362667.png
        self.percent(number)
        return number

    def scales(self, number: _Number) -> None:
        """Extend a numeral with the scale words after it, "2 tỷ 300 triệu" included."""
        last = 0.0
        while (match := self.p.scale_tail.match(self.low, number.end)) is not None:
            word = self.lex.tails.get(_key(match.group("w") or match.group("g")))
            if word is None or (last and (word.role == "multiplier" or word.value <= last)):
                break
            number.factor *= word.value
            number.value *= word.value
            number.end = number.outer = match.end()
            number.bare = False
            last = word.value if word.role == "scale" else last
        while last and (compound := _COMPOUND.match(self.low, number.end)) is not None:
            match = self.p.scale_tail.match(self.low, compound.end())
            if match is None or not match.group("w"):
                break
            word = self.lex.tails.get(_key(match.group("w")))
            if word is None or word.role != "scale" or word.value >= last:
                break
            number.value += math.copysign(float(compound.group("n")) * word.value, number.value)
            number.end = number.outer = match.end()
            last = word.value

    def percent(self, number: _Number) -> None:
        match = self.p.percent_tail.match(self.low, number.outer)
        if match is not None:
            number.percent = self.lex.percent.get(_key(match.group("p")))
            number.outer = match.end()
            number.bare = False

    def words(self, match: re.Match[str]) -> _Number | None:
        """Evaluate a sequence of number words; None when it does not make a number."""
        total = group = last = largest = vague = 0.0
        fraction = 1.0
        previous: tuple[_Role, float] | None = None
        start = end = match.start("words")
        for token in self.p.token.finditer(self.low, start, match.end("words")):
            word = self.lex.words.get(_key(token.group()))
            if word is None or word.role == "filler":
                continue
            role, value = word.role, word.value
            if vague:
                if role not in ("multiplier", "scale", "vague"):
                    break
                vague *= value  # "hàng chục nghìn", "tens of thousands of"
            elif role in ("fraction", "vague"):
                if previous is not None:
                    break
                fraction, vague = (value, 0.0) if role == "fraction" else (1.0, value)
            elif role in ("cardinal", "ordinal"):
                if role == "ordinal" and value >= 100 and last:
                    group, last = group + last * (value - 1), 0.0  # "one hundredth"
                elif previous is not None and previous[0] in ("cardinal", "ordinal"):
                    if not (previous[1] >= 10 and previous[1] % 10 == 0 and value < 10):
                        break  # "hai ba", "one two": a list, not one number
                    group, last = group + value, last + value  # "twenty five", "mười lăm"
                else:
                    group, last = group + value, value
            elif role == "multiplier":
                if not last:
                    break
                group, last = group + last * (value - 1), 0.0  # "hai mươi", "two hundred"
            else:  # a scale word
                if not group and not total and fraction != 1.0:
                    group = 1.0  # "nửa triệu"
                if not group:
                    break
                total = (total + group) * value if value > largest > 0 else total + group * value
                largest, group, last = max(largest, value), 0.0, 0.0
            previous = (role, value)
            end = token.end()
            if role == "ordinal":
                break
        if previous is None:
            return None
        if vague:
            return _Number(start, end, end, 2 * vague, 2 * vague, vague=True, words=True)
        value = fraction * (total + group)
        if not value:
            if fraction == 1.0:
                return None
            return _Number(start, end, end, fraction, fraction, fraction_alone=True, words=True)
        number = _Number(start, end, end, value, value, ordinal=previous[0] == "ordinal")
        number.words = True
        if largest:
            number.factor, number.raw = largest, value / largest
        return number

    def number_at(self, pos: int) -> _Number | _Skip | None:
        """Read the number that starts exactly at ``pos``."""
        match = self.p.core.match(self.low, pos)
        if match is None:
            return None
        if match.lastgroup == "num":
            return self.numeral(match)
        number = self.words(match)
        if number is not None:
            self.percent(number)
        return number

    # -- around the number

    def prefix(self, start: int) -> _Prefix:
        """Read hedges, a rank marker and a range opener before ``start``, from ``floor`` on."""
        p = self.p
        low = max(0, start - _WINDOW)
        if low > 0:  # start at a space, not inside a cut word
            cut = _SPACE.search(self.low, low, start)
            low = cut.start() if cut else start
        rev = self.low[low:start][::-1]
        if p.any_reversed.match(rev) is None:
            return _Prefix(start)
        prefix = _Prefix(start, year_word=p.year_reversed.match(rev) is not None)
        gap = p.gap_reversed.match(self.text[low:start][::-1])
        pos = gap.end() if gap else 0
        marker = p.marker_reversed.match(rev, pos)
        if marker is not None and start - marker.end() >= self.floor:
            prefix.marker = True
            prefix.top = self.lex.markers.get(
                _key(marker.group("w") or marker.group("s"))[::-1], False
            )
            pos = marker.end()
            prefix.start = start - pos
        for _ in range(3):
            hedge = p.hedge_reversed.match(rev, pos)
            if hedge is None or start - hedge.end() < self.floor:
                break
            if p.comparative_reversed.match(rev, hedge.end()) is not None:
                break  # "cao hơn 8%", "thứ 33 trên 38": a comparison, not a bound
            found = self.lex.before.get(_key(hedge.group("w") or hedge.group("s"))[::-1])
            if found is None:
                break
            prefix.hedges.append(found)
            pos = hedge.end()
            prefix.start = start - pos
        opener = p.opener_reversed.match(rev, pos)
        if opener is not None and start - opener.end() >= self.floor:
            prefix.opener = _key(opener.group("w"))[::-1]
            prefix.opener_start = start - opener.end()
        return prefix

    def range(self, first: _Number, prefix: _Prefix) -> _Range | None:
        """Read a connector and a second number after ``first`` when they make a range."""
        p, low = self.p, self.low
        match = p.connector.match(low, first.outer)
        gap = match is None and bool(prefix.opener)
        if gap:
            match = p.connector_after_gap.match(low, first.outer)
        if match is None:
            return None
        connector = _key(match.group("c"))
        concept = self.lex.frames.get((prefix.opener, connector)) if prefix.opener else None
        opener = concept is not None
        if concept is None and not gap:
            concept = self.lex.frames.get(("", connector))
        if concept is None or (match.group("comma") and concept != "range.change_back"):
            return None
        pos = match.end()
        hedges: list[_Hedge] = []
        for _ in range(2):
            hedge = p.hedge_forward.match(low, pos)
            if hedge is None:
                break
            found = self.lex.before.get(_key(hedge.group("w") or hedge.group("s")))
            if found is None:
                break
            hedges.append(found)
            pos = hedge.end()
        currency = p.currency_forward.match(self.text, pos)
        pos = currency.end() if currency else pos
        if first.ordinal and (marker := p.marker_forward.match(low, pos)) is not None:
            pos = marker.end()  # "từ vị trí thứ 13 lên vị trí thứ 5"
        second = self.number_at(pos)
        if not isinstance(second, _Number) or second.vague or second.fraction_alone:
            return None
        if first.ordinal or second.ordinal:
            if second.percent or second.factor != 1 or not (first.ordinal or first.bare):
                return None
            second.ordinal = True
        spans = concept in ("range.span", "range.from_to")
        if first.percent is None and second.percent is not None:
            if spans and first.value > second.value:
                return None
            first.percent = second.percent  # "8-12,5%"
        elif first.percent != second.percent:
            return None  # "rose 5% to $10 billion"
        inherits = first.factor == 1 and second.factor != 1 and abs(first.raw) < 1000
        if inherits and (not spans or first.raw <= second.raw):
            first.value = first.raw * second.factor  # "10 to 20 million"
        if concept == "range.span" and first.value > second.value:
            if connector[-1].isalnum():
                return None
            return _Range(concept, second, hedges, opener, skip=True)  # 1800-1234, 2024-25
        if second.year_like and not first.year_like:
            return None  # "5 tỷ, đến 2030"
        return _Range(concept, second, hedges, opener)

    def postfix(self, end: int) -> tuple[_Hedge, int] | None:
        match = self.p.postfix.match(self.low, end)
        if match is None:
            return None
        hedge = self.lex.after.get(_key(match.group("w") or match.group("s")))
        return (hedge, match.end()) if hedge is not None else None

    # -- years

    def is_year(self, number: _Number, prefix: _Prefix) -> bool:
        if not number.year_like or prefix.hedges or prefix.marker:
            return False
        return (
            prefix.year_word
            or self.p.decade_suffix.match(self.low, number.end) is not None
            or number.start - self.year_end <= _YEAR_LIST_GAP
            or _WORD_NEXT.match(self.low, number.end) is None
        )

    def skip_year(self, number: _Number) -> int:
        """Return the end of a year and of a year range after it ("2024–2026", "2019 to 2023")."""
        end = number.end
        decade = self.p.decade_suffix.match(self.low, end)
        end = decade.end() if decade else end
        connector = self.p.connector.match(self.low, end)
        if connector is not None and not connector.group("comma"):
            second = self.number_at(connector.end())
            dash = not connector.group("c")[-1].isalnum()
            if isinstance(second, _Number) and (
                second.year_like or (dash and second.bare and second.end - second.start == 2)
            ):
                end = second.end  # "2019 to 2023", "2024-25"
        self.year_end = end
        return end

    # -- one expression

    def read_at(self, match: re.Match[str]) -> tuple[Quantity | None, int]:
        """Read the expression around one anchor: the quantity or None, and where to go on."""
        text = self.text
        number: _Number | _Skip | None
        if match.lastgroup == "num":
            number = self.numeral(match)
        elif match.lastgroup == "ordw":
            number = self.number_at(match.start("word"))  # "thứ năm mươi"
            if not isinstance(number, _Number):
                end = match.end("word")
                value = self.lex.marker_words.get(_key(match.group("word")), 0.0)
                number = _Number(match.start("word"), end, end, value, value, words=True)
            number.ordinal = True
        else:
            number = self.words(match)
            if number is not None:
                self.percent(number)
        if number is None:
            return None, match.end()
        if isinstance(number, _Skip):
            return None, number.end
        prefix = self.prefix(number.start)
        if prefix.marker and (
            (self.lex.capitalised_is_name and number.words and text[number.start].isupper())
            or _WEEKDAY_DATE.match(self.low, number.outer)
        ):
            return None, number.outer  # "thứ Hai", "Thứ 2, 29/06/2023": a weekday
        if self.is_year(number, prefix):
            return None, self.skip_year(number)
        if prefix.marker and not (number.percent or number.factor != 1 or number.vague):
            number.ordinal = True
        elif prefix.marker:  # "top 1%": a share; the marker and what precedes it are not ours
            prefix = _Prefix(number.start)
        found = self.range(number, prefix)
        if found is not None and found.skip:
            return None, found.second.outer
        if found is not None and number.year_like and found.second.year_like:
            self.year_end = found.second.outer
            return None, found.second.outer  # "từ 2019 đến 2023": a period
        end = found.second.outer if found else number.outer
        hedges = list(prefix.hedges) + (found.hedges if found else [])
        postfix = self.postfix(end)
        if postfix is not None:
            hedges.insert(0, postfix[0])
            end = postfix[1]
        start = prefix.opener_start if found is not None and found.opener else prefix.start
        return _quantity(text, start, end, number, found, hedges, prefix.top), end


def _quantity(
    text: str,
    start: int,
    end: int,
    number: _Number,
    found: _Range | None,
    hedges: list[_Hedge],
    top: bool,
) -> Quantity:
    value, value_max, change_from = number.value, None, None
    number_span = (number.start, number.end)
    kind: Kind = "ordinal" if number.ordinal else number.percent or "cardinal"
    if number.fraction_alone:
        value, kind = value * 100, "percent"  # "một nửa": half of a whole
    concept = found.concept if found is not None else ""
    if found is not None:
        second = found.second
        if concept == "range.change":
            value, change_from = second.value, number.value
            number_span = (second.start, second.end)
        elif concept == "range.change_back":
            change_from = second.value
        else:
            value_max = second.value
            number_span = (number.start, second.end)
    bound = next((h.bound for h in hedges if h.bound), None)
    if bound is None and (number.vague or top):
        bound = "upper" if top else "lower"  # "top 10": rank 10 at most
    return Quantity(
        start=start,
        end=end,
        value=value,
        value_max=value_max,
        kind=kind,
        approx=number.vague or any(h.approx for h in hedges),
        bound=bound,
        change_from=change_from,
        number_span=number_span,
        text=text[start:end],
        from_to=concept == "range.from_to",
        vague=number.vague,
    )


# ---------------------------------------------------------------------------------------------
# Public API


def find_quantities(text: str, lang: str) -> list[Quantity]:
    """Find the number expressions of a text, in order, without overlaps, longest first.

    Args:
        text: the document text (NFC, as ``ingest.clean`` leaves it).
        lang: the language whose ``numbers.yaml`` applies (``vi``, ``en``).

    Returns:
        One ``Quantity`` per expression. Years, dates, times, product codes, telephone and
        decree numbers are not quantities (see the module docstring).

    Raises:
        LexiconError: the language's number lexicon is missing or malformed.
    """
    return _Scanner(text, _compiled(lang)).scan()


def parse_number(token: str, lang: str) -> float | None:
    """Return the value of one numeral with its separators and scale words, or None.

    ``parse_number("1,46 nghìn tỷ", "vi")`` is ``1.46e12``; ``parse_number("350.000", "en")``
    is ``350.0``; number words count too (``"hai triệu"``). A token that holds anything else
    (a hedge, a percent sign, a range, an ordinal, a second number) gives None.

    Raises:
        LexiconError: the language's number lexicon is missing or malformed.
    """
    token = token.strip()
    scanner = _Scanner(token, _compiled(lang))
    number = scanner.number_at(0) if token else None
    if (
        not isinstance(number, _Number)
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
    lex = _compiled(lang)
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
    return _compiled(lang).entries
