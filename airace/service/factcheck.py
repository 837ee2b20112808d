"""Fact-checks of the press: a claimed rank or score on a published index against its table.

A claim of metric ``rank`` or ``score`` is checked when its sentence, paragraph or headline names
an index of ``comparisons.yaml`` (``indices:``, names per language in
``extract/lexicons/<lang>/indices.yaml``). The edition is the year written beside the index's
name, else the claim's own time, else the latest edition up to the article's year (and, when that
one disagrees, the edition before it: articles early in a year cite last year's table). A rank
said of a pillar ("đứng thứ 3 về nhân tài") is checked against that pillar's table when the data
holds one. Verdicts:

- ``agrees``: the claimed figure is the published one (a score at the claim's precision);
- ``disagrees``: it is not; ``official`` holds the published figure;
- ``unchecked``: no table for that index, edition, pillar or country; ``reason`` says which.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from functools import cache
from typing import TYPE_CHECKING

from airace.errors import AiraceError, LexiconError

if TYPE_CHECKING:
    from airace.model import Claim, Document
    from airace.store.repository import Store

AGREES, DISAGREES, UNCHECKED = "agrees", "disagrees", "unchecked"
CHECKED_METRICS = ("rank", "score")
REGIONAL = "regional"  # the lexicon key of words that make a rank a region's or group's
# How far from the index's name a year may stand to name its edition (characters).
EDITION_REACH = 40
_YEAR = re.compile(r"(?<!\d)(20[12]\d)(?!\d)")


@dataclass(frozen=True, slots=True)
class IndexTables:
    """A published index: the indicators of its overall and pillar scores and ranks."""

    id: str
    name: str
    score: str | None
    rank: str | None
    pillars: Mapping[str, tuple[str | None, str | None]]  # pillar -> (score, rank) indicators


@dataclass(frozen=True, slots=True)
class FactCheck:
    """The verdict on one claimed rank or score."""

    claim_id: int | None
    document_id: int | None
    subject: str
    metric: str
    value: float
    quote: str
    verdict: str
    index: str | None = None
    index_name: str | None = None
    pillar: str | None = None
    edition: str | None = None
    official: float | None = None
    reason: str = ""


@cache
def index_tables() -> dict[str, IndexTables]:
    """Read the ``indices:`` of ``comparisons.yaml``.

    Raises:
        LexiconError: a malformed entry; the message names the file and key.
    """
    from airace.extract.lexicon import check_keys, read_mapping
    from airace.service.compare import COMPARISONS_FILE

    where = str(COMPARISONS_FILE)
    data = read_mapping(COMPARISONS_FILE, "comparisons file")
    found = {}
    for key, item in (data.get("indices") or {}).items():
        at = f"indices.{key}."
        if not isinstance(item, dict):
            raise LexiconError("expected a mapping", path=where, key=f"indices.{key}")
        check_keys(
            item, required=["name", "score", "rank"], optional=["pillars"], path=where, where=at
        )
        pillars = {}
        for pillar, tables in (item.get("pillars") or {}).items():
            if not isinstance(tables, dict):
                raise LexiconError("expected a mapping", path=where, key=f"{at}pillars.{pillar}")
            check_keys(tables, required=[], optional=["score", "rank"], path=where, where=at)
            pillars[str(pillar)] = (tables.get("score"), tables.get("rank"))
        found[str(key)] = IndexTables(
            str(key), str(item["name"]), item["score"], item["rank"], pillars
        )
    return found


@cache
def _names(lang: str) -> dict[str, tuple[re.Pattern[str], ...]]:
    """Index and pillar id -> patterns of its names in ``lang`` (longest first)."""
    from airace.extract.lexicon import languages, read_word_lists

    if lang not in languages():
        return {}
    tables = index_tables()
    keys = [*tables, *sorted({p for t in tables.values() for p in t.pillars}), REGIONAL]
    lists = read_word_lists(lang, "indices", keys)
    return {
        key: tuple(
            re.compile(r"(?<!\w)" + re.escape(word) + r"(?!\w)", re.IGNORECASE)
            for word in sorted(words, key=len, reverse=True)
        )
        for key, words in lists.items()
    }


@cache
def _table(indicator: str) -> dict[str, dict[str, float]]:
    """Edition (year) -> country -> published figure, from the reference data."""
    from airace.reconcile.reference import load_reference

    editions: dict[str, dict[str, float]] = {}
    for figure in load_reference().figures:
        if figure.indicator == indicator:
            editions.setdefault(figure.evidence.period, {})[figure.entity] = figure.evidence.value
    return editions


def check_claim(claim: Claim, document: Document) -> FactCheck | None:
    """Fact-check one claim against the published tables; None when it is not a rank or a
    score."""
    if claim.metric not in CHECKED_METRICS:
        return None
    names = _names(document.language or "")
    base = FactCheck(
        claim_id=claim.id,
        document_id=document.id,
        subject=claim.subject,
        metric=claim.metric,
        value=claim.value,
        quote=claim.quote,
        verdict=UNCHECKED,
    )
    named = _index_named(document, claim, names)
    if named is None:
        return replace(base, reason="no known index is named near it")
    tables, mention = named
    if claim.metric == "rank" and _regional(document.text, claim, names):
        return replace(
            base, index=tables.id, index_name=tables.name, reason="a rank within a region or group"
        )
    pillar = _pillar_named(document.text, claim, mention, tables, names)
    score, rank = tables.pillars[pillar] if pillar else (tables.score, tables.rank)
    indicator = score if claim.metric == "score" else (rank or score)
    base = replace(base, index=tables.id, index_name=tables.name, pillar=pillar)
    if indicator is None:
        what = f"{pillar} pillar" if pillar else "index"
        reason = f"no table of the {what}'s {claim.metric}s"
        return replace(base, reason=reason)
    editions = _table(indicator)
    candidates = _editions(document, claim, tables, names, sorted(editions))
    if not candidates:
        return replace(base, reason="no edition of that year in the data")
    first: FactCheck | None = None
    for edition in candidates:
        published = editions[edition]
        official = _official(claim, published, ranked=claim.metric == "rank" and rank is None)
        if official is None:
            verdict = replace(
                base, edition=edition, reason=f"{claim.subject} is not in the {edition} table"
            )
        elif _same(claim.metric, claim.value, official):
            return replace(base, verdict=AGREES, edition=edition, official=official)
        else:
            verdict = replace(base, verdict=DISAGREES, edition=edition, official=official)
        first = first or verdict
    assert first is not None
    return first


def factcheck_documents(
    documents: Iterable[tuple[Document, Sequence[Claim]]],
) -> list[FactCheck]:
    """Fact-check every rank and score claim of the documents."""
    checks = []
    for document, claims in documents:
        for claim in claims:
            check = check_claim(claim, document)
            if check is not None:
                checks.append(check)
    return checks


def factcheck_store(store: Store, *, claim_id: int | None = None) -> list[FactCheck]:
    """Fact-check the stored rank and score claims (or one claim).

    Raises:
        AiraceError: an unknown claim id.
    """
    if claim_id is not None:
        claim = store.get_claim(claim_id)
        if claim is None:
            raise AiraceError(f"no claim {claim_id}", hint="`airace claims` lists them")
        document = store.get_document(claim.document_id) if claim.document_id else None
        if document is None:
            raise AiraceError(f"claim {claim_id} has no document")
        check = check_claim(claim, document)
        return [check] if check is not None else []
    grouped: dict[int, list[Claim]] = {}
    for stored, _ in store.iter_claims(metrics=list(CHECKED_METRICS)):
        if stored.document_id is not None:
            grouped.setdefault(stored.document_id, []).append(stored)
    pairs = []
    for document_id, claims in sorted(grouped.items()):
        document = store.get_document(document_id)
        if document is not None:
            pairs.append((document, claims))
    return factcheck_documents(pairs)


def factcheck_files(paths: Sequence[str]) -> tuple[list[FactCheck], list[AiraceError]]:
    """Read files or folders, extract their claims and fact-check them (nothing is stored).

    Returns:
        The checks, and the error of each file that could not be read (the rest go on).
    """
    from airace.config import get_settings
    from airace.service.extraction import extract_sources

    pairs: list[tuple[Document, Sequence[Claim]]] = []
    errors: list[AiraceError] = []
    for result in extract_sources(paths, get_settings()):
        if isinstance(result, AiraceError):
            errors.append(result)
        else:
            pairs.append((result.document, result.claims))
    return factcheck_documents(pairs), errors


def _index_named(
    document: Document, claim: Claim, names: Mapping[str, Sequence[re.Pattern[str]]]
) -> tuple[IndexTables, tuple[int, int]] | None:
    """The index named nearest the claim: in its sentence, else its paragraph, else the
    headline; with the span of the name (in the document's text)."""
    text = document.text
    for start, end in _windows(text, claim):
        best: tuple[int, IndexTables, tuple[int, int]] | None = None
        for tables in index_tables().values():
            for pattern in names.get(tables.id, ()):
                for match in pattern.finditer(text, start, end):
                    distance = min(abs(match.start() - claim.start), abs(match.end() - claim.end))
                    if best is None or distance < best[0]:
                        best = (distance, tables, match.span())
        if best is not None:
            return best[1], best[2]
    return None


def _pillar_named(
    text: str,
    claim: Claim,
    mention: tuple[int, int],
    tables: IndexTables,
    names: Mapping[str, Sequence[re.Pattern[str]]],
) -> str | None:
    """A pillar of ``tables`` named in the claim's clause (between the claim and its sentence's
    end, or between the index's name and the claim), so the rank is the pillar's."""
    start, end = _sentence(text, claim)
    windows = [(claim.start, min(end, claim.end + EDITION_REACH))]
    if start <= mention[0] < claim.start:
        windows.append((mention[1], claim.start))
    for pillar in tables.pillars:
        for pattern in names.get(pillar, ()):
            if any(pattern.search(text, low, high) for low, high in windows if low < high):
                return pillar
    return None


def _regional(text: str, claim: Claim, names: Mapping[str, Sequence[re.Pattern[str]]]) -> bool:
    """Whether the claim's rank is said within a region or group: a regional word right after
    the rank (within its sentence) or inside the quote after the number."""
    _, end = _sentence(text, claim)
    low, high = max(claim.start, claim.end - 12), min(end, claim.end + EDITION_REACH)
    return any(pattern.search(text, low, high) for pattern in names.get(REGIONAL, ()))


def _editions(
    document: Document,
    claim: Claim,
    tables: IndexTables,
    names: Mapping[str, Sequence[re.Pattern[str]]],
    known: Sequence[str],
) -> list[str]:
    """The editions to check against, most likely first: the claim's own time, else a year
    written beside a mention of the index (in the claim's sentence, paragraph or headline),
    else the latest edition up to the article's year and the one before it."""
    if claim.as_of and claim.as_of[:4] in known:
        return [claim.as_of[:4]]
    text = document.text
    for start, end in _windows(text, claim):
        for pattern in names.get(tables.id, ()):
            for match in pattern.finditer(text, start, end):
                low = max(start, match.start() - EDITION_REACH)
                high = min(end, match.end() + EDITION_REACH)
                for written in _YEAR.finditer(text, low, high):
                    return [written.group(1)] if written.group(1) in known else []
    if document.published is None:
        return list(reversed(known))[:1]
    year = str(document.published.year)
    before = [edition for edition in known if edition <= year]
    return list(reversed(before))[:2]


def _official(claim: Claim, published: Mapping[str, float], *, ranked: bool) -> float | None:
    """The published figure for the claim's subject; ``ranked``: its place in the order of the
    published scores (1 = highest, ties share the better place)."""
    value = published.get(claim.subject)
    if value is None or not ranked:
        return value
    return float(1 + sum(other > value for other in published.values()))


def _same(metric: str, claimed: float, official: float) -> bool:
    """Whether a claimed figure is the official one: a rank exactly, a score at the precision
    the claim is written with (54.5 for 54.48)."""
    if metric == "rank":
        return round(claimed) == round(official)
    digits = _decimals(claimed)
    return bool(abs(claimed - official) <= 0.5 * 10.0**-digits + 1e-9)


def _decimals(value: float) -> int:
    """How many decimals the claim's number is written with (at most 3)."""
    for digits in range(4):
        if abs(round(value, digits) - value) < 1e-9:
            return digits
    return 3


def _windows(text: str, claim: Claim) -> tuple[tuple[int, int], ...]:
    """Where an index's name is looked for, nearest first: the sentence, the paragraph, the
    headline."""
    return _sentence(text, claim), _paragraph(text, claim), (0, _title_end(text))


def _sentence(text: str, claim: Claim) -> tuple[int, int]:
    start = max(text.rfind(mark, 0, claim.start) for mark in (". ", "\n", "! ", "? ")) + 1
    ends = [text.find(mark, claim.end) for mark in (". ", "\n", "! ", "? ")]
    end = min((e for e in ends if e >= 0), default=len(text))
    return start, end


def _paragraph(text: str, claim: Claim) -> tuple[int, int]:
    start = text.rfind("\n", 0, claim.start) + 1
    end = text.find("\n", claim.end)
    return start, len(text) if end < 0 else end


def _title_end(text: str) -> int:
    end = text.find("\n")
    return len(text) if end < 0 else end
