"""Language knowledge as data: reading and validating the lexicon files.

Each language has a folder ``lexicons/<lang>/`` with the same files (one per concern:
``numbers.yaml``, ``money.yaml``, ``entities.yaml``...); ``lexicons/base.yaml`` holds what is
language-neutral. Each concern's module declares the closed schema of its file and compiles what
it needs once per process; this module reads files, checks schemas and computes the digest that
goes into the extractor version, so a lexicon change is visible on every claim.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

from airace.errors import LexiconError
from airace.extract.scan import PhraseSet

LEXICON_DIR = Path(__file__).parent / "lexicons"


@cache
def languages() -> tuple[str, ...]:
    """Return the languages that have a lexicon folder."""
    return tuple(sorted(p.name for p in LEXICON_DIR.iterdir() if p.is_dir()))


def read_mapping(path: Path, what: str = "lexicon file") -> Mapping[str, Any]:
    """Read a YAML file whose top level is a mapping.

    Raises:
        LexiconError: the file is missing, not YAML, or not a mapping.
    """
    import yaml

    if not path.is_file():
        raise LexiconError(f"{what} missing", path=str(path))
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except yaml.YAMLError as error:
        raise LexiconError(f"invalid YAML: {error}", path=str(path)) from error
    if not isinstance(data, dict):
        raise LexiconError("expected a mapping at the top level", path=str(path))
    return data


@cache
def read_concern(lang: str | None, concern: str) -> Mapping[str, Any]:
    """Read ``lexicons/<lang>/<concern>.yaml`` (``lang`` None: ``lexicons/<concern>.yaml``).

    Raises:
        LexiconError: the file is missing, not YAML, or not a mapping.
    """
    return read_mapping(Path(concern_path(lang, concern)))


def check_keys(
    data: Mapping[str, Any],
    *,
    required: Iterable[str],
    optional: Iterable[str] = (),
    path: str,
    where: str = "",
) -> None:
    """Check a mapping against a closed schema: every required key, no unknown key.

    Raises:
        LexiconError: naming the file and the key path.
    """
    required = set(required)
    allowed = required | set(optional)
    for key in data:
        if key not in allowed:
            raise LexiconError("unknown key", path=path, key=f"{where}{key}")
    for key in required:
        if key not in data:
            raise LexiconError("missing key", path=path, key=f"{where}{key}")
        value = data[key]
        if isinstance(value, list | dict) and not value:
            raise LexiconError("empty list or mapping", path=path, key=f"{where}{key}")


def read_word_lists(lang: str, concern: str, keys: Iterable[str]) -> dict[str, list[str]]:
    """Read a concern whose every key holds a list of words (``roles.yaml``, ``ranks.yaml``).

    Raises:
        LexiconError: the file is missing, a key is missing or unknown, or not a word list.
    """
    path = concern_path(lang, concern)
    data = read_concern(lang, concern)
    keys = list(keys)
    check_keys(data, required=keys, path=path)
    for key in keys:
        words = data[key]
        if not isinstance(words, list) or not all(isinstance(w, str) for w in words):
            raise LexiconError("expected a list of strings", path=path, key=key)
    return {key: list(data[key]) for key in keys}


def concern_path(lang: str | None, concern: str) -> str:
    """Return the path of a concern's file, for error messages."""
    base = LEXICON_DIR if lang is None else LEXICON_DIR / lang
    return str(base / f"{concern}.yaml")


@cache
def lexicon_digest() -> str:
    """Return a short digest of every lexicon and domain data file (part of extractor version)."""
    digest = hashlib.sha256()
    data_dir = Path(__file__).parent.parent / "data"
    for path in sorted([*LEXICON_DIR.rglob("*.yaml"), *data_dir.rglob("*.yaml")]):
        digest.update(path.name.encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()[:12]


# The modality cues a language file lists: the values of ``airace.model.Modality``, and
# ``done`` (an act already done: a plain fact, no modality).
MODALITY_KEYS = ("holds", "delivered", "order", "plan", "target", "forecast", "estimate", "done")


@dataclass(frozen=True)
class Lexicon:
    """One language's phrase sets, compiled, with the language-neutral base merged in."""

    lang: str
    currency_words: PhraseSet  # key: ISO code
    currency_symbols: PhraseSet  # key: ISO code
    currencies: frozenset[str]  # every ISO code the language can name
    per: PhraseSet  # key: hour | year | month
    units: PhraseSet  # key: gold unit (GPU, person...)
    anaphoric: PhraseSet
    count_frames: PhraseSet  # "the number of", "số": a counting word after them counts the clause
    not_units: PhraseSet  # words holding a counting word that count nothing: "thí điểm"
    generic_counts: PhraseSet  # "people", "doanh nghiệp": AI counts only where the field is named
    field_words: PhraseSet  # "AI", "trí tuệ nhân tạo", "machine learning": the field named
    power: PhraseSet  # key: GW | MW | kW
    power_factor: Mapping[str, float]
    triggers: PhraseSet  # key: metric id
    year_words: PhraseSet
    target_words: PhraseSet
    since_words: PhraseSet
    relative_years: PhraseSet  # key: year offset as text ("-1")
    attribution_before: PhraseSet
    attribution_after: PhraseSet
    not_attribution: PhraseSet
    self_after: PhraseSet  # "X said it would...": the speaker speaks of itself
    modality: PhraseSet  # key: one of MODALITY_KEYS
    reference: PhraseSet  # key: country | government | organisation
    # a place inside a description of an organisation: "the Toronto company", "hãng ... Osaka này"
    described_before: re.Pattern[str]  # what precedes the place (ends at it)
    described_after: re.Pattern[str]  # what follows it
    figure: PhraseSet  # "con số này", "this figure": the previous claim's number, updated
    comparison: PhraseSet
    change_words: PhraseSet
    public_spending: PhraseSet
    durations: PhraseSet
    calendar: PhraseSet  # words a day, month or quarter follows ("tháng 8", "March 3")
    ratios: PhraseSet
    metric_units: Mapping[str, str]  # count unit -> metric id
    metric_kinds: Mapping[str, str]  # metric id -> kind
    metric_least: Mapping[str, float]  # count metric id -> the least count that is a claim


def _strings(data: Mapping[str, Any], key: str, path: str) -> list[str]:
    """Return a non-empty list of strings under ``key``."""
    value = data[key]
    if not isinstance(value, list) or not value or not all(isinstance(v, str) for v in value):
        raise LexiconError("expected a non-empty list of strings", path=path, key=key)
    return value


def _groups(data: Mapping[str, Any], key: str, path: str) -> dict[str, list[str]]:
    """Return a mapping of concept key -> non-empty list of strings under ``key``."""
    value = data[key]
    if not isinstance(value, dict) or not value:
        raise LexiconError("expected a non-empty mapping", path=path, key=key)
    return {str(k): _strings(value, k, path) for k in value}


# The concern files every language has, with the closed schema of each (all keys required).
_SCHEMA = {
    "money": ["currencies", "per"],
    "units": [
        "units",
        "anaphoric",
        "power",
        "ratios",
        "count_frames",
        "not_units",
        "generic_counts",
        "field_words",
    ],
    "metrics": ["triggers", "change", "level", "public_spending"],
    "time": [
        "year_words",
        "target_words",
        "since_words",
        "relative_years",
        "durations",
        "calendar",
    ],
    "attribution": ["before", "after", "not_before", "self_after"],
    "modality": ["holds", "delivered", "order", "plan", "target", "forecast", "estimate", "done"],
    "reference": [
        "country",
        "government",
        "organisation",
        "comparison",
        "figure",
        "described",
    ],
}
_File = tuple[Mapping[str, Any], str]  # a concern file's data and its path
# How many words a description may hold between its noun and its place ("có trụ sở tại").
_DESCRIBED_WORDS = 5


def _words(phrases: Sequence[str]) -> str:
    return "|".join(re.escape(p) for p in sorted(phrases, key=len, reverse=True))


def _described(data: Mapping[str, Any], path: str) -> dict[str, re.Pattern[str]]:
    """Compile the two sides of a description around its place: "the" before it and a noun
    after it ("the Toronto company"), or a noun before it and "này" after it."""
    described = data["described"]
    if not isinstance(described, Mapping) or not ({"open", "close"} & set(described)):
        raise LexiconError("needs nouns and open or close", path=path, key="described")
    nouns = _words(_strings(described, "nouns", path))
    if "open" in described:
        opening = _strings(described, "open", path)
        return {
            "described_before": re.compile(rf"(?i:\b(?:{_words(opening)})\s+)$"),
            "described_after": re.compile(
                rf"(?:-based|'s|’s)?(?:\s+[a-z][\w-]*){{0,3}}?\s+(?:{nouns})\b(?:'s|’s)?"
                r"(?!\s+[A-Z])"
            ),
        }
    closing = _strings(described, "close", path)
    return {
        "described_before": re.compile(
            rf"(?i:\b(?:{nouns})(?:\s+\S+){{0,{_DESCRIBED_WORDS}}}?\s+)$"
        ),
        "described_after": re.compile(rf"\s+(?:{_words(closing)})\b"),
    }


@cache
def load_lexicon(lang: str) -> Lexicon:
    """Load, validate and compile a language's lexicon (once per process).

    Raises:
        LexiconError: a file is missing or breaks its schema; the message names file and key.
    """
    base = _read_base()
    files = _read_concerns(lang)
    currencies = _currencies(base, files["money"])
    symbols = _currency_symbols(base)
    domain = domain_metrics()
    triggers = _triggers(files["metrics"], domain)
    metric_units = _metric_units(domain, files["units"])
    return _compile(lang, files, base, currencies, symbols, triggers, metric_units, domain)


def _read_base() -> Mapping[str, Any]:
    """Read ``lexicons/base.yaml`` and check its schema."""
    base = read_concern(None, "base")
    check_keys(
        base,
        required=["currency_codes", "currency_aliases", "currency_symbols", "power_units"],
        path=concern_path(None, "base"),
    )
    return base


def _read_concerns(lang: str) -> dict[str, _File]:
    """Read a language's concern files and check each against its schema."""
    files = {name: (read_concern(lang, name), concern_path(lang, name)) for name in _SCHEMA}
    for name, (data, path) in files.items():
        check_keys(data, required=_SCHEMA[name], path=path)
    return files


def _currencies(base: Mapping[str, Any], money_file: _File) -> dict[str, list[str]]:
    """Return the names of each currency: the language's, its ISO code and base's aliases."""
    money, money_path = money_file
    currencies = _groups(money, "currencies", money_path)
    codes = {str(code) for code in base["currency_codes"]}
    for code in currencies:
        if code not in codes:
            raise LexiconError("not a currency code of base.yaml", path=money_path, key=code)
    for code in codes:
        currencies.setdefault(code, []).append(code)
    for alias, code in base["currency_aliases"].items():
        currencies.setdefault(str(code), []).append(str(alias))
    return currencies


def _currency_symbols(base: Mapping[str, Any]) -> dict[str, list[str]]:
    """Return the symbols of each currency, from ``base.yaml``."""
    symbols: dict[str, list[str]] = {}
    for symbol, code in base["currency_symbols"].items():
        symbols.setdefault(str(code), []).append(str(symbol))
    return symbols


def _triggers(metrics_file: _File, domain: Mapping[str, Mapping[str, Any]]) -> dict[str, list[str]]:
    """Return the trigger words of each metric, refusing a metric id ``data/metrics.yaml`` lacks."""
    metrics_data, metrics_path = metrics_file
    triggers = _groups(metrics_data, "triggers", metrics_path)
    for metric in triggers:
        if metric not in domain:
            raise LexiconError("unknown metric id", path=metrics_path, key=f"triggers.{metric}")
    return triggers


def _metric_units(domain: Mapping[str, Mapping[str, Any]], units_file: _File) -> dict[str, str]:
    """Return the count metric of each unit, refusing a unit of the language that has none."""
    metric_units = {
        str(spec["unit"]): metric for metric, spec in domain.items() if spec.get("kind") == "count"
    }
    units, units_path = units_file
    for unit in _groups(units, "units", units_path):
        if unit not in metric_units and unit != "point":
            raise LexiconError("unit has no count metric", path=units_path, key=f"units.{unit}")
    return metric_units


def _compile(
    lang: str,
    files: Mapping[str, _File],
    base: Mapping[str, Any],
    currencies: dict[str, list[str]],
    symbols: dict[str, list[str]],
    triggers: dict[str, list[str]],
    metric_units: dict[str, str],
    domain: Mapping[str, Mapping[str, Any]],
) -> Lexicon:
    """Compile the checked files into the lexicon's phrase sets."""
    money, money_path = files["money"]
    units, units_path = files["units"]
    metrics_data, metrics_path = files["metrics"]
    time, time_path = files["time"]
    attribution, attribution_path = files["attribution"]
    modality, modality_path = files["modality"]
    reference, reference_path = files["reference"]
    return Lexicon(
        lang=lang,
        currency_words=PhraseSet(currencies, case_sensitive=False),
        currency_symbols=PhraseSet(symbols, case_sensitive=True),
        currencies=frozenset(currencies),
        per=PhraseSet(_groups(money, "per", money_path)),
        units=PhraseSet(_groups(units, "units", units_path)),
        anaphoric=PhraseSet({"anaphoric": _strings(units, "anaphoric", units_path)}),
        count_frames=PhraseSet({"frame": _strings(units, "count_frames", units_path)}),
        not_units=PhraseSet({"not": _strings(units, "not_units", units_path)}),
        generic_counts=PhraseSet({"generic": _strings(units, "generic_counts", units_path)}),
        field_words=PhraseSet(
            {"field": _strings(units, "field_words", units_path)}, case_sensitive=True
        ),
        power=PhraseSet(_groups(units, "power", units_path), case_sensitive=False),
        power_factor={str(k): float(v) for k, v in base["power_units"].items()},
        triggers=PhraseSet(triggers),
        year_words=PhraseSet({"year": _strings(time, "year_words", time_path)}),
        target_words=PhraseSet({"target": _strings(time, "target_words", time_path)}),
        since_words=PhraseSet({"since": _strings(time, "since_words", time_path)}),
        relative_years=PhraseSet(_groups(time, "relative_years", time_path)),
        attribution_before=PhraseSet({"before": _strings(attribution, "before", attribution_path)}),
        attribution_after=PhraseSet({"after": _strings(attribution, "after", attribution_path)}),
        not_attribution=PhraseSet({"not": _strings(attribution, "not_before", attribution_path)}),
        self_after=PhraseSet({"self": _strings(attribution, "self_after", attribution_path)}),
        modality=PhraseSet({k: _strings(modality, k, modality_path) for k in MODALITY_KEYS}),
        reference=PhraseSet(
            {
                k: _strings(reference, k, reference_path)
                for k in ("country", "government", "organisation")
            }
        ),
        comparison=PhraseSet({"comparison": _strings(reference, "comparison", reference_path)}),
        **_described(reference, reference_path),
        figure=PhraseSet(
            {"figure": _strings(reference, "figure", reference_path)}, case_sensitive=False
        ),
        change_words=PhraseSet(
            {
                "change": _strings(metrics_data, "change", metrics_path),
                "level": _strings(metrics_data, "level", metrics_path),
            }
        ),
        public_spending=PhraseSet(
            {"public": _strings(metrics_data, "public_spending", metrics_path)}
        ),
        durations=PhraseSet({"duration": _strings(time, "durations", time_path)}),
        calendar=PhraseSet({"calendar": _strings(time, "calendar", time_path)}),
        ratios=PhraseSet({"ratio": _strings(units, "ratios", units_path)}),
        metric_units=metric_units,
        metric_kinds={metric: str(spec["kind"]) for metric, spec in domain.items()},
        metric_least={m: float(spec["least"]) for m, spec in domain.items() if "least" in spec},
    )


@cache
def domain_metrics() -> dict[str, dict[str, Any]]:
    """Read ``data/metrics.yaml``: metric id -> {kind, unit, least}."""
    path = Path(__file__).parent.parent / "data" / "metrics.yaml"
    data = read_mapping(path, "metric file")
    if not isinstance(data.get("metrics"), dict):
        raise LexiconError("expected a 'metrics' mapping", path=str(path))
    metrics: dict[str, dict[str, Any]] = data["metrics"]
    for metric, spec in metrics.items():
        check_keys(
            spec, required=["kind"], optional=["unit", "least"], path=str(path), where=f"{metric}."
        )
        if "least" in spec and not isinstance(spec["least"], int | float):
            raise LexiconError("expected a number", path=str(path), key=f"{metric}.least")
    return metrics
