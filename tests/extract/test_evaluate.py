"""Scoring by the gold format's rules: matching, one-to-one, optional claims, secondary fields."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from airace.errors import SourceError
from airace.extract.evaluate import (
    claims_match,
    errors_by_cause,
    evaluate,
    match_document,
    read_gold,
)


def claim(**fields: Any) -> dict[str, Any]:
    base = {"doc": "d1", "subject": "KR", "metric": "gpu_count", "value": 2000, "unit": "GPU"}
    base.update(fields)
    return base


def test_value_within_half_a_percent_matches_and_outside_does_not() -> None:
    assert claims_match(claim(value=2009), claim())
    assert not claims_match(claim(value=2011), claim())


def test_subject_matches_after_casefold_punctuation_and_company_suffix() -> None:
    assert claims_match(claim(subject="meta platforms, inc."), claim(subject="Meta"))
    assert claims_match(
        claim(subject="AWS"), claim(subject="Amazon Web Services", subject_alts=["AWS"])
    )
    assert not claims_match(claim(subject="Amazon"), claim(subject="Amazon Web Services"))


def test_money_needs_the_same_currency_but_counts_do_not_compare_units() -> None:
    gold = claim(metric="ai_investment", value=5e10, unit="USD")
    assert claims_match(claim(metric="ai_investment", value=5e10, unit="USD"), gold)
    assert not claims_match(claim(metric="ai_investment", value=5e10, unit="CNY"), gold)
    assert claims_match(claim(unit="chip"), claim(unit="GPU"))


def test_alt_rendering_counts_as_the_gold_claim() -> None:
    gold = claim(
        metric="market_size", value=5e11, unit="CNY", alt=[{"value": 6.97e10, "unit": "USD"}]
    )
    assert claims_match(claim(metric="market_size", value=6.97e10, unit="USD"), gold)


def test_range_needs_value_max_when_gold_has_one() -> None:
    gold = claim(metric="price", value=7, value_max=8, unit="CNY/hour")
    assert claims_match(claim(metric="price", value=7, value_max=8, unit="CNY/hour"), gold)
    assert not claims_match(claim(metric="price", value=7, unit="CNY/hour"), gold)


def test_matching_is_one_to_one_and_maximal() -> None:
    gold = [claim(value=100), claim(value=100.4)]
    predicted = [claim(value=100.2), claim(value=100)]
    assert len(match_document(predicted, gold)) == 2
    assert len(match_document([claim(value=100)], gold)) == 1


def test_optional_gold_is_neither_required_nor_an_error() -> None:
    gold = [claim(value=1), claim(value=2, optional=True)]
    report = evaluate([claim(value=2)], gold, {"d1": "vi"})
    assert (report.overall.precision, report.overall.recall) == (1.0, 0.0)
    report = evaluate([claim(value=1)], gold, {"d1": "vi"})
    assert (report.overall.precision, report.overall.recall, report.overall.f1) == (1.0, 1.0, 1.0)


def test_scores_per_metric_and_language_and_lists_of_errors() -> None:
    gold = [claim(), claim(doc="d2", metric="rank", value=5, unit="rank")]
    predicted = [claim(), claim(doc="d2", metric="rank", value=6, unit="rank")]
    report = evaluate(predicted, gold, {"d1": "vi", "d2": "en"})
    assert report.overall.f1 == pytest.approx(0.5)
    assert report.by_metric["gpu_count"].f1 == 1.0
    assert report.by_language["en"].f1 == 0.0
    assert [c["value"] for c in report.misses] == [5]
    assert [c["value"] for c in report.spurious] == [6]


def test_secondary_fields_are_accuracy_over_matched_pairs() -> None:
    gold = [claim(approx=True, source="SK Telecom"), claim(value=10, as_of="2024")]
    predicted = [claim(approx=True, source="SK Telecom Co., Ltd."), claim(value=10)]
    accuracy = evaluate(predicted, gold, {"d1": "vi"}).field_accuracy()
    assert accuracy["approx"] == 1.0
    assert accuracy["source"] == 1.0
    assert accuracy["as_of"] == 0.5


def test_predictions_outside_the_scored_documents_are_ignored() -> None:
    report = evaluate([claim(doc="other")], [claim()], {"d1": "vi"})
    assert report.overall.predicted == 0


def test_gold_file_lines_are_validated(tmp_path: Path) -> None:
    path = tmp_path / "gold.jsonl"
    path.write_text(json.dumps(claim()) + "\n" + json.dumps({"doc": "d1"}) + "\n")
    with pytest.raises(SourceError, match="subject"):
        read_gold(path)


def test_errors_are_grouped_by_the_one_field_a_near_prediction_gets_wrong() -> None:
    gold = [
        claim(subject="JP", quote="AMD will ship 40,000 accelerators to Japan"),
        claim(subject="US", metric="funding", value=5e8, unit="USD", quote="raised $500 million"),
        claim(subject="CN", metric="budget", value=1e9, unit="CNY", quote="1 tỷ NDT"),
        claim(subject="VN", value=1000, quote="1.000 GPU"),
        claim(subject="FR", metric="rank", value=5, unit="rank", quote="thứ 5"),
    ]
    predicted = [
        claim(subject="AMD", quote="AMD will ship 40,000"),  # wrong subject
        claim(subject="US", metric="valuation", value=5e8, unit="USD"),  # wrong metric
        claim(subject="CN", metric="budget", value=1e9, unit="USD"),  # wrong currency
        claim(subject="VN", value=100, quote="1.000 GPU"),  # wrong value, same passage
        claim(subject="KR", metric="share", value=3, unit="percent"),  # no such claim
    ]
    report = evaluate(predicted, gold, {"d1": "en"})
    groups = errors_by_cause(report)
    assert [p["subject"] for p, _ in groups["subject"] if p] == ["AMD"]
    assert [g["subject"] for _, g in groups["metric"] if g] == ["US"]
    assert [g["subject"] for _, g in groups["unit"] if g] == ["CN"]
    assert [g["subject"] for _, g in groups["value"] if g] == ["VN"]
    assert [g["subject"] for _, g in groups["not found"] if g] == ["FR"]
    assert [p["subject"] for p, _ in groups["not a claim"] if p] == ["KR"]


def test_a_value_error_needs_the_same_passage() -> None:
    gold = [claim(value=1000, quote="1.000 GPU")]
    report = evaluate([claim(value=5, quote="5 năm")], gold, {"d1": "vi"})
    groups = errors_by_cause(report)
    assert not groups["value"]
    assert len(groups["not found"]) == len(groups["not a claim"]) == 1
