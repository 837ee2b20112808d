"""The number lexicon: ``lexicons/<lang>/numbers.yaml``, checked on the way in, as lookup tables.

Everything a language contributes to reading numbers is data in this file, whose closed schema is
checked here (the same keys in every language): the decimal and thousands separators, number
words, scales, hedges and what they mean, range frames, rank markers and year words. The code
never tests a language code: ``350.000`` is 350000 in Vietnamese and 350 in English only because
the two files swap their separators.

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
* ``ordinals``: ``markers`` (``marker.rank``, ``marker.top``, optional ``marker.band``: a
  range after it is a rank band), ``words`` (``ordinal.N``),
  ``words_need_marker`` and ``capitalised_is_name`` flags, optional glued ``suffixes``.
* ``ranges``: ``range.span``, ``range.from_to``, ``range.change``, ``range.change_back``, each a
  list of ``[opener, connector]`` pairs around two numbers.
* ``years``: ``before`` words, optional glued ``decade_suffixes``; ``identifiers``: optional
  ``product_names`` (a number after one is a model number: "Ascend 910C"), and
  ``glued_suffixes`` that make digits a name ("5G").

Every table is keyed by lookup keys (NFC, lower case, single spaces), the form the scanner finds
in the lower-cased text; the identifier suffixes alone stay as written, since they are matched on
the original text ("5G" is a name, "5g" five grams).
"""

from __future__ import annotations

import math
import re
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, Literal, cast

from airace.errors import LexiconError
from airace.extract.lexicon import check_keys, concern_path, read_concern

Kind = Literal["cardinal", "ordinal", "percent", "percent_point"]
Bound = Literal["lower", "upper"]
Role = Literal["cardinal", "multiplier", "scale", "fraction", "vague", "ordinal", "filler"]

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


@dataclass(frozen=True)
class Word:
    """What a number word stands for: its role in a number and its value."""

    role: Role
    value: float


@dataclass(frozen=True)
class Hedge:
    """What a hedge means: the gold's approx flag and the bound it sets, if any."""

    approx: bool
    bound: Bound | None


@dataclass(frozen=True)
class NumberLexicon:
    """One language's ``numbers.yaml``, checked, as tables keyed by lookup keys."""

    decimal: str
    thousands: str
    words: Mapping[str, Word]  # number words of sequences, by lookup key
    ambiguous: Mapping[str, str]  # number word -> before_number | after_number
    compounds: Mapping[str, tuple[str, ...]]  # scale word -> words after it that make another word
    marker_words: Mapping[str, float]  # words that are ordinals only after a marker
    tails: Mapping[str, Word]  # scale and multiplier words after a numeral, glued ones too
    glued: tuple[str, ...]  # scale words only straight after digits ("10k")
    render_scales: tuple[tuple[float, str], ...]
    percent: Mapping[str, Kind]
    before: Mapping[str, Hedge]
    after: Mapping[str, Hedge]
    comparatives: tuple[str, ...]
    markers: Mapping[str, bool]  # True for a "top" marker
    bands: tuple[str, ...]  # words that make a range after them a rank band ("nhóm 761-770")
    ordinal_suffixes: tuple[str, ...]
    frames: Mapping[tuple[str, str], str]  # (opener, connector) -> range concept
    year_words: tuple[str, ...]
    decade_suffixes: tuple[str, ...]
    identifier_suffixes: tuple[str, ...]  # as written: matched on the original text
    product_names: tuple[str, ...]  # as written: a number right after one is a model number
    capitalised_is_name: bool
    entries: Mapping[str, tuple[str, ...]]


def lookup_key(matched: str) -> str:
    """Return the lookup key of text a pattern matched in the lower-cased text."""
    return " ".join(matched.split())


def _norm(surface: str) -> str:
    """Return the lookup key of a lexicon entry: NFC, lower case, single spaces."""
    return " ".join(unicodedata.normalize("NFC", surface).lower().split())


def _words(value: Any, path: str, key: str) -> tuple[str, ...]:
    """Check a list of surface words and return it."""
    if not isinstance(value, list) or not value:
        raise LexiconError("expected a non-empty list of words", path=path, key=key)
    for item in value:
        if not isinstance(item, str) or not item.strip():
            raise LexiconError("expected a non-empty string", path=path, key=key)
    return tuple(value)


def _mapping(value: Any, path: str, key: str) -> Mapping[str, Any]:
    """Check a non-empty mapping and return it."""
    if not isinstance(value, dict) or not value:
        raise LexiconError("expected a non-empty mapping", path=path, key=key)
    return value


def _positive(value: Any, path: str, key: str) -> float:
    """Check a positive number and return it as a float."""
    if isinstance(value, bool) or not isinstance(value, int | float) or value <= 0:
        raise LexiconError("expected a positive number", path=path, key=key)
    return float(value)


def _flag(value: Any, path: str, key: str) -> bool:
    """Check a true or false flag and return it."""
    if not isinstance(value, bool):
        raise LexiconError("expected true or false", path=path, key=key)
    return value


@dataclass
class _Reader:
    """Checks a file's entries on the way in and keeps them by key path (for the tests).

    It also gathers the number words of sequences, refusing a word given two meanings.
    """

    path: str
    entries: dict[str, tuple[str, ...]] = field(default_factory=dict)
    number_words: dict[str, Word] = field(default_factory=dict)

    def words(self, value: Any, key: str) -> tuple[str, ...]:
        """Check a list of surface words, keep it under its key path and return it."""
        self.entries[key] = _words(value, self.path, key)
        return self.entries[key]

    def section(
        self, data: Mapping[str, Any], key: str, where: str = "", **schema: Any
    ) -> Mapping[str, Any]:
        """Check a non-empty mapping under ``key``, against a closed schema when one is given."""
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

    def add(self, surface: str, word: Word, key: str) -> None:
        """Add a number word of sequences, refusing one that already means something else."""
        norm = _norm(surface)
        if self.number_words.get(norm, word) != word:
            raise LexiconError(f"{surface!r} has two meanings", path=self.path, key=key)
        self.number_words[norm] = word


@dataclass
class _Scales:
    """The scale words of a file, gathered scale by scale."""

    tails: dict[str, Word]
    glued: list[str] = field(default_factory=list)
    render: list[tuple[float, str]] = field(default_factory=list)
    compounds: dict[str, list[str]] = field(default_factory=dict)


def read_number_lexicon(lang: str) -> NumberLexicon:
    """Read and check a language's ``numbers.yaml`` into its lookup tables.

    Raises:
        LexiconError: the file is missing or breaks its schema; the message names file and key.
    """
    data = read_concern(lang, "numbers")
    r = _Reader(concern_path(lang, "numbers"))
    check_keys(data, required=_TOP_KEYS, path=r.path)
    decimal, thousands = _read_separators(r, data)
    multipliers = _read_number_words(r, data)
    scales = _read_scales(r, data, multipliers)
    _read_fractions_and_vague(r, data)
    percent = _read_percent(r, data)
    before, after = _read_hedges(r, data)
    comparatives = tuple(_norm(w) for w in r.words(data["comparatives"], "comparatives"))
    ambiguous = _read_ambiguous(r, data)
    markers, bands, marker_words, ordinal_suffixes = _read_ordinals(r, data)
    frames = _read_ranges(r, data)
    year_words, decade_suffixes = _read_years(r, data)
    identifiers = r.section(
        data, "identifiers", required=("glued_suffixes",), optional=("product_names",)
    )
    identifier_suffixes = r.words(identifiers["glued_suffixes"], "identifiers.glued_suffixes")
    products = identifiers.get("product_names")
    product_names = (
        tuple(r.words(products, "identifiers.product_names")) if products is not None else ()
    )
    return NumberLexicon(
        decimal=decimal,
        thousands=thousands,
        words=r.number_words,
        ambiguous=ambiguous,
        compounds={head: tuple(rests) for head, rests in scales.compounds.items()},
        marker_words=marker_words,
        tails=scales.tails,
        glued=tuple(scales.glued),
        render_scales=tuple(sorted(scales.render, reverse=True)),
        percent=percent,
        before=before,
        after=after,
        comparatives=comparatives,
        markers=markers,
        bands=bands,
        ordinal_suffixes=ordinal_suffixes,
        frames=frames,
        year_words=year_words,
        decade_suffixes=decade_suffixes,
        identifier_suffixes=identifier_suffixes,
        product_names=product_names,
        capitalised_is_name=_flag(
            data["ordinals"]["capitalised_is_name"], r.path, "ordinals.capitalised_is_name"
        ),
        entries=r.entries,
    )


def _read_separators(r: _Reader, data: Mapping[str, Any]) -> tuple[str, str]:
    """Read the decimal and the thousands separator, one of ``.`` and ``,`` each."""
    seps = r.section(data, "separators", required=("decimal", "thousands"))
    decimal, thousands = seps["decimal"], seps["thousands"]
    if {decimal, thousands} != {".", ","}:
        raise LexiconError(
            "separators must be '.' and ',', one each", path=r.path, key="separators"
        )
    return decimal, thousands


def _read_number_words(r: _Reader, data: Mapping[str, Any]) -> dict[str, float]:
    """Add the cardinals, multipliers and fillers; return the multipliers by lookup key."""
    for surface, value in r.valued(data, "cardinals", "number").items():
        r.add(surface, Word("cardinal", value), "cardinals")
    multipliers = r.valued(data, "multipliers", "multiplier")
    for surface, value in multipliers.items():
        r.add(surface, Word("multiplier", value), "multipliers")
    for surface in r.words(data["fillers"], "fillers"):
        r.add(surface, Word("filler", 0.0), "fillers")
    return multipliers


def _read_scales(r: _Reader, data: Mapping[str, Any], multipliers: Mapping[str, float]) -> _Scales:
    """Read the scale words with their glued forms, compounds and the ones numbers render with."""
    scales = _Scales({s: Word("multiplier", v) for s, v in multipliers.items()})  # "5 trăm"
    r.section(data, "scales", required=_SCALES)
    for concept, multiplier, entry in r.weighted(
        data, "scales", _SCALES, "multiplier", ("glued", "compounds")
    ):
        for surface in entry["words"]:
            r.add(surface, Word("scale", multiplier), f"scales.{concept}")
            scales.tails[_norm(surface)] = Word("scale", multiplier)
        key = f"scales.{concept}.compounds"
        for compound in r.words(entry["compounds"], key) if "compounds" in entry else ():
            head, _, rest = _norm(compound).partition(" ")
            if head not in (_norm(w) for w in entry["words"]) or not rest:
                raise LexiconError(
                    f"{compound!r} does not start with a scale word", path=r.path, key=key
                )
            scales.compounds.setdefault(head, []).append(rest)
        for surface in (
            r.words(entry["glued"], f"scales.{concept}.glued") if "glued" in entry else ()
        ):
            scales.glued.append(_norm(surface))
            scales.tails[_norm(surface)] = Word("scale", multiplier)
        exponent = math.log(multiplier, 1000)
        if abs(exponent - round(exponent)) < 1e-9:  # written as "1,46 nghìn tỷ", not "lakh"
            scales.render.append((multiplier, entry["words"][0]))
    return scales


def _read_fractions_and_vague(r: _Reader, data: Mapping[str, Any]) -> None:
    """Add the fraction words ("nửa") and the vague plurals ("hàng trăm", "dozens of")."""
    r.section(data, "fractions", required=("fraction.half",))
    for concept, value, entry in r.weighted(data, "fractions", ("fraction.half",), "value"):
        for surface in entry["words"]:
            r.add(surface, Word("fraction", value), f"fractions.{concept}")
    r.section(data, "vague", required=_VAGUE)
    for concept, unit, entry in r.weighted(data, "vague", _VAGUE, "unit"):
        for surface in entry["words"]:
            r.add(surface, Word("vague", unit), f"vague.{concept}")


def _read_percent(r: _Reader, data: Mapping[str, Any]) -> dict[str, Kind]:
    """Read the percent and percentage-point words."""
    percent: dict[str, Kind] = {}
    section = r.section(data, "percent", required=tuple(_PERCENT))
    for concept, kind in _PERCENT.items():
        for surface in r.words(section[concept], f"percent.{concept}"):
            percent[_norm(surface)] = kind
    return percent


def _read_hedges(r: _Reader, data: Mapping[str, Any]) -> tuple[dict[str, Hedge], dict[str, Hedge]]:
    """Read the hedges written before a number and those written after it."""
    before: dict[str, Hedge] = {}
    after: dict[str, Hedge] = {}
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
            raise LexiconError("bound must be lower, upper or null", path=r.path, key=key)
        hedge = Hedge(_flag(entry["approx"], r.path, key), cast(Bound | None, entry["bound"]))
        for surface in r.words(entry["before"], f"{key}.before"):
            before[_norm(surface)] = hedge
        for surface in r.words(entry["after"], f"{key}.after") if "after" in entry else ():
            after[_norm(surface)] = hedge
    return before, after


def _read_ambiguous(r: _Reader, data: Mapping[str, Any]) -> dict[str, str]:
    """Read the number words that count only before or only after another one."""
    rules: dict[str, str] = {}
    for surface, rule in r.section(data, "ambiguous").items():
        key = f"ambiguous.{surface}"
        norm = _norm(str(surface))
        if rule not in _RULES:
            raise LexiconError(f"rule must be one of {', '.join(_RULES)}", path=r.path, key=key)
        known = r.number_words.get(norm)
        if known is None or known.role not in ("cardinal", "fraction"):
            raise LexiconError("not a number word of this file", path=r.path, key=key)
        rules[norm] = rule
        r.entries[key] = (str(surface),)
    return rules


def _read_ordinals(
    r: _Reader, data: Mapping[str, Any]
) -> tuple[dict[str, bool], tuple[str, ...], dict[str, float], tuple[str, ...]]:
    """Read the rank markers, the band words, the ordinal words and the glued suffixes."""
    ordinals = r.section(
        data,
        "ordinals",
        required=("markers", "words", "words_need_marker", "capitalised_is_name"),
        optional=("suffixes",),
    )
    markers: dict[str, bool] = {}
    marker_section = r.section(
        ordinals,
        "markers",
        "ordinals.",
        required=("marker.rank", "marker.top"),
        optional=("marker.band",),
    )
    for concept in ("marker.rank", "marker.top"):
        for surface in r.words(marker_section[concept], f"ordinals.markers.{concept}"):
            markers[_norm(surface)] = concept == "marker.top"
    band = marker_section.get("marker.band")
    bands = () if band is None else r.words(band, "ordinals.markers.marker.band")
    ordinal_words = r.valued(ordinals, "words", "ordinal", "ordinals.")
    marker_words: dict[str, float] = {}
    if _flag(ordinals["words_need_marker"], r.path, "ordinals.words_need_marker"):
        marker_words.update(ordinal_words)
    else:
        for surface, value in ordinal_words.items():
            r.add(surface, Word("ordinal", value), "ordinals.words")
    suffixes = r.words(ordinals["suffixes"], "ordinals.suffixes") if "suffixes" in ordinals else ()
    return markers, tuple(_norm(b) for b in bands), marker_words, tuple(_norm(s) for s in suffixes)


def _read_ranges(r: _Reader, data: Mapping[str, Any]) -> dict[tuple[str, str], str]:
    """Read the range frames: (opener, connector) pairs around two numbers, by concept."""
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
                'expected a list of [opener, connector]; opener may be ""', path=r.path, key=key
            )
        for opener, connector in pairs:
            if (_norm(opener), _norm(connector)) in frames:
                raise LexiconError(
                    f"[{opener!r}, {connector!r}] listed twice", path=r.path, key=key
                )
            frames[(_norm(opener), _norm(connector))] = concept
        if any(p[0].strip() for p in pairs):
            r.entries[f"{key}.openers"] = tuple(p[0] for p in pairs if p[0].strip())
        r.entries[f"{key}.connectors"] = tuple(p[1] for p in pairs)
    return frames


def _read_years(r: _Reader, data: Mapping[str, Any]) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """Read the words before a year and the glued decade suffixes ("2020s")."""
    years = r.section(data, "years", required=("before",), optional=("decade_suffixes",))
    year_words = tuple(_norm(w) for w in r.words(years["before"], "years.before"))
    decades = (
        r.words(years["decade_suffixes"], "years.decade_suffixes")
        if "decade_suffixes" in years
        else ()
    )
    return year_words, tuple(_norm(d) for d in decades)
