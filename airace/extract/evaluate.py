"""Scoring extracted claims against a gold set, by the rules of the gold format's README.

A predicted claim matches a gold claim when the document and metric are equal, the subject is
the same after case-folding and dropping punctuation and company suffixes (or equals one of the
gold's ``subject_alts``), the value is within 0.5 % (``value_max`` too where the gold has one)
and, for money and rates, the currency is the same; a gold claim's ``alt`` renderings count as
the claim. Matching is one-to-one (a maximum bipartite matching per document). Precision counts
every prediction on the scored documents, a prediction matching an ``optional`` gold claim
being neither a hit for recall nor an error; recall counts the non-optional gold claims.
Secondary fields are reported as accuracy over the matched pairs.

``errors_by_cause`` explains the errors: each missed gold claim is paired, where it can be, with
a spurious prediction of the same document that is the same claim but for one field (subject,
metric, unit or value), so a wrong subject shows once as a subject error, not as a miss and a
false alarm; the rest are claims not found and predictions that are not claims.
"""

from __future__ import annotations

import json
import re
import unicodedata
from collections import defaultdict
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

from airace.errors import SourceError

Record = Mapping[str, Any]

VALUE_TOLERANCE = 0.005  # the gold format's 0.5 %
SECONDARY_FIELDS = ("qualifier", "approx", "as_of", "source", "modality")
# The gold format's modalities are estimate, plan and forecast (absent: a fact). The finer
# ones the extractor reads compare as the gold format's: a target or an order is not yet
# held (plan); what is held or delivered is a fact.
_GOLD_MODALITY = {"target": "plan", "order": "plan", "holds": None, "delivered": None}
_COMPANY_SUFFIXES = {
    "inc", "incorporated", "corp", "corporation", "co", "company", "ltd", "limited", "llc",
    "plc", "ag", "sa", "se", "nv", "bv", "gmbh", "holdings", "group", "platforms",
}  # fmt: skip
_MONEY = re.compile(r"^[A-Z]{3}(?:/[a-z]+)?$")


def read_gold(path: Path) -> list[dict[str, Any]]:
    """Read a gold (or prediction) JSONL file.

    Raises:
        SourceError: a line is not a JSON object with doc, subject, metric, value and unit.
    """
    records = []
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if not line.strip():
            continue
        try:
            record = json.loads(line)
        except json.JSONDecodeError as error:
            raise SourceError(f"invalid JSON: {error}", path=str(path), line=number) from error
        if not isinstance(record, dict):
            raise SourceError("expected a JSON object", path=str(path), line=number)
        for key in ("doc", "subject", "metric", "value", "unit"):
            if key not in record:
                raise SourceError("missing", path=str(path), line=number, key=key)
        records.append(record)
    return records


def normalise_name(name: str) -> str:
    """Case-fold, drop punctuation, accents' joiners and company suffixes."""
    text = unicodedata.normalize("NFKC", name).casefold()
    words = re.findall(r"\w+", text)
    while len(words) > 1 and words[-1] in _COMPANY_SUFFIXES:
        words.pop()
    return " ".join(words)


def _close(predicted: float | None, gold: float) -> bool:
    """Tell whether a value is within the tolerance of the gold value."""
    if predicted is None:
        return False
    if gold == 0:
        return predicted == 0
    return abs(predicted - gold) <= VALUE_TOLERANCE * abs(gold)


@cache
def _currency(unit: str) -> str | None:
    """Return the ISO 4217 currency of a money or rate unit (``USD``, ``USD/hour``), else None."""
    import pycountry

    if not _MONEY.match(unit):
        return None
    code = unit.split("/")[0]
    return code if pycountry.currencies.get(alpha_3=code) is not None else None


def _renderings(gold: Record) -> Iterator[tuple[float, float | None, str]]:
    """Yield the gold's own (value, value_max, unit) and each ``alt`` rendering."""
    yield float(gold["value"]), gold.get("value_max"), str(gold["unit"])
    for alt in gold.get("alt") or ():
        yield float(alt["value"]), alt.get("value_max"), str(alt.get("unit", gold["unit"]))


def claims_match(predicted: Record, gold: Record) -> bool:
    """Tell whether a predicted claim matches a gold claim (same document assumed)."""
    if predicted["metric"] != gold["metric"]:
        return False
    subject = normalise_name(str(predicted["subject"]))
    names = {normalise_name(str(gold["subject"]))}
    names.update(normalise_name(str(alt)) for alt in gold.get("subject_alts") or ())
    if subject not in names:
        return False
    for value, value_max, unit in _renderings(gold):
        if not _close(_number(predicted.get("value")), value):
            continue
        if value_max is not None and not _close(_number(predicted.get("value_max")), value_max):
            continue
        currency = _currency(unit)
        if currency is not None and _currency(str(predicted.get("unit", ""))) != currency:
            continue
        return True
    return False


def _number(value: Any) -> float | None:
    """Coerce a JSON number to float; None for anything else."""
    return float(value) if isinstance(value, int | float) and not isinstance(value, bool) else None


def match_document(predicted: Sequence[Record], gold: Sequence[Record]) -> list[tuple[int, int]]:
    """Return a maximum one-to-one matching as (predicted index, gold index) pairs.

    Non-optional gold claims are matched first, so an optional claim never takes a
    prediction that a required one could have used.
    """
    edges = [
        [g for g in range(len(gold)) if claims_match(p_claim, gold[g])] for p_claim in predicted
    ]
    owner: dict[int, int] = {}

    def augment(p: int, seen: set[int], allowed: set[int]) -> bool:
        for g in edges[p]:
            if g in seen or g not in allowed:
                continue
            seen.add(g)
            if g not in owner or augment(owner[g], seen, allowed):
                owner[g] = p
                return True
        return False

    required = {g for g in range(len(gold)) if not gold[g].get("optional")}
    for p in range(len(predicted)):
        augment(p, set(), required)
    everything = set(range(len(gold)))
    matched_p = set(owner.values())
    for p in range(len(predicted)):
        if p not in matched_p and augment(p, set(), everything):
            matched_p = set(owner.values())
    return sorted((p, g) for g, p in owner.items())


@dataclass
class Tally:
    """Counts behind precision, recall and F1."""

    predicted: int = 0
    correct: int = 0  # predictions that matched any gold claim
    required: int = 0  # non-optional gold claims
    found: int = 0  # non-optional gold claims matched

    @property
    def precision(self) -> float:
        return self.correct / self.predicted if self.predicted else 1.0

    @property
    def recall(self) -> float:
        return self.found / self.required if self.required else 1.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0


@dataclass
class EvalReport:
    """Scores overall, per metric and per language, secondary-field accuracy, and errors."""

    overall: Tally = field(default_factory=Tally)
    by_metric: dict[str, Tally] = field(default_factory=lambda: defaultdict(Tally))
    by_language: dict[str, Tally] = field(default_factory=lambda: defaultdict(Tally))
    fields: dict[str, list[bool]] = field(default_factory=lambda: defaultdict(list))
    misses: list[Record] = field(default_factory=list)
    spurious: list[Record] = field(default_factory=list)
    wrong_fields: list[tuple[str, Record, Record]] = field(default_factory=list)

    def tallies(self, metric: str, lang: str) -> tuple[Tally, Tally, Tally]:
        """Return the tallies a claim counts in: overall, its metric's, its language's."""
        return self.overall, self.by_metric[metric], self.by_language[lang]

    def field_accuracy(self) -> dict[str, float]:
        """Return the share of matched pairs whose secondary field agrees, per field."""
        return {name: sum(v) / len(v) for name, v in self.fields.items() if v}


# Why a gold claim was missed or a prediction is wrong, in the order they are tried.
ERROR_CAUSES = ("subject", "metric", "unit", "value", "not found", "not a claim")


def _differs_only_in(predicted: Record, gold: Record) -> str | None:
    """Name the one field in which a prediction differs from a gold claim, if only one does."""
    same_subject = claims_match({**predicted, "subject": gold["subject"]}, gold)
    if same_subject:
        return "subject"
    if claims_match({**predicted, "metric": gold["metric"]}, gold):
        return "metric"
    if claims_match({**predicted, "unit": gold["unit"]}, gold):
        return "unit"
    relabelled = {**predicted, "value": gold["value"], "value_max": gold.get("value_max")}
    if claims_match(relabelled, gold) and _quotes_overlap(predicted, gold):
        return "value"
    return None


def _quotes_overlap(predicted: Record, gold: Record) -> bool:
    """Tell whether two claims quote the same passage (one quote holds the other)."""
    a, b = str(predicted.get("quote", "")), str(gold.get("quote", ""))
    return bool(a and b) and (a in b or b in a)


def errors_by_cause(report: EvalReport) -> dict[str, list[tuple[Record | None, Record | None]]]:
    """Group a report's errors by cause: (prediction, gold) pairs, either side may be None."""
    groups: dict[str, list[tuple[Record | None, Record | None]]] = {c: [] for c in ERROR_CAUSES}
    spurious = list(report.spurious)
    for gold in report.misses:
        candidates = [p for p in spurious if p["doc"] == gold["doc"]]
        for cause in ERROR_CAUSES[:4]:
            near = next((p for p in candidates if _differs_only_in(p, gold) == cause), None)
            if near is not None:
                groups[cause].append((near, gold))
                spurious.remove(near)
                break
        else:
            groups["not found"].append((None, gold))
    groups["not a claim"] = [(p, None) for p in spurious]
    return groups


def _field_value(record: Record, name: str) -> Any:
    """Return a secondary field in comparable form (absent approx is False)."""
    value = record.get(name)
    if name == "approx":
        return bool(value)
    if name == "modality":
        return _GOLD_MODALITY.get(str(value), value) if value else None
    if value is None:
        return None
    if name in ("source", "qualifier"):
        return normalise_name(str(value))
    return str(value)


def evaluate(
    predicted: Iterable[Record],
    gold: Iterable[Record],
    languages: Mapping[str, str],
) -> EvalReport:
    """Score predictions against gold over the documents named in ``languages``.

    Args:
        predicted: predicted claims with gold-format field names.
        gold: gold claims.
        languages: document id -> language, for every scored document.
    """
    by_doc_pred: dict[str, list[Record]] = defaultdict(list)
    by_doc_gold: dict[str, list[Record]] = defaultdict(list)
    for record in predicted:
        if record["doc"] in languages:
            by_doc_pred[record["doc"]].append(record)
    for record in gold:
        if record["doc"] in languages:
            by_doc_gold[record["doc"]].append(record)
    report = EvalReport()
    for doc, lang in sorted(languages.items()):
        preds, golds = by_doc_pred.get(doc, []), by_doc_gold.get(doc, [])
        pairs = match_document(preds, golds)
        matched_p = {p for p, _ in pairs}
        matched_g = {g for _, g in pairs}
        for p, claim in enumerate(preds):
            hit = p in matched_p
            for tally in report.tallies(claim["metric"], lang):
                tally.predicted += 1
                tally.correct += hit
            if not hit:
                report.spurious.append(claim)
        for g, claim in enumerate(golds):
            if claim.get("optional"):
                continue
            hit = g in matched_g
            for tally in report.tallies(claim["metric"], lang):
                tally.required += 1
                tally.found += hit
            if not hit:
                report.misses.append(claim)
        for p, g in pairs:
            for name in SECONDARY_FIELDS:
                agree = _field_value(preds[p], name) == _field_value(golds[g], name)
                report.fields[name].append(agree)
                if not agree:
                    report.wrong_fields.append((name, preds[p], golds[g]))
    return report
