"""Fit the weights of the subject cues on the annotated sets by coordinate search.

The subject of a claim is the best-scoring candidate (``airace/extract/subjects.py``); each cue's
weight lives in ``airace/data/subject_weights.yaml``. This script reads the gold sets' documents
once, then for every cue tries a few steps up and down, keeps a step when the mean F1 over the
sets rises by more than ``EPSILON``, and repeats until no step helps. It prints the F1 per set
before and after and the weights that changed; it writes nothing (copy what you accept into the
YAML file, with a note). Fit on some sets and judge on another: ``--fit seeds,dev`` and
``--judge fresh`` print the judge set's F1 but never let it choose a step.

Usage: python eval/fit_subjects.py [--shared ../shared] [--fit seeds,dev] [--judge fresh]
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import airace.extract.subjects as subjects
from airace.config import get_settings
from airace.errors import AiraceError
from airace.extract import claim_record, extract_claims
from airace.extract.evaluate import evaluate, read_gold
from airace.extract.roles import CUES, subject_weights
from airace.service.extraction import extract_sources

HERE = Path(__file__).resolve().parent
STEPS = (-20.0, -8.0, -3.0, 3.0, 8.0, 20.0)
EPSILON = 0.002  # a smaller rise is noise on sets of a few hundred claims
FIXED = frozenset({"distance", "minimum_score"})  # tie-breaker and floor, not cues


@dataclass(frozen=True)
class GoldSet:
    """A gold set's claims and its documents' cleaned texts."""

    name: str
    gold: list[dict[str, Any]]
    documents: list[tuple[str, str, str | None, Any]]  # doc id, text, language, published


def load_set(name: str, gold_path: Path, docs: Path) -> GoldSet:
    """Read a gold file and clean its documents once."""
    documents = []
    for result in extract_sources([str(docs)], get_settings()):
        if isinstance(result, AiraceError):
            raise result
        doc = result.document
        documents.append((result.doc, doc.text, doc.language, doc.published))
    return GoldSet(name, read_gold(gold_path), documents)


def f1(gold_set: GoldSet, weights: Mapping[str, float]) -> float:
    """Score the extractor on a set with the given weights."""
    subjects.subject_weights = lambda: weights  # type: ignore[assignment,misc]
    predicted = []
    languages = {}
    for doc, text, lang, published in gold_set.documents:
        languages[doc] = lang or "?"
        claims = extract_claims(text, lang, published=published)
        predicted.extend(claim_record(claim, doc) for claim in claims)
    return evaluate(predicted, gold_set.gold, languages).overall.f1


def fit(sets: list[GoldSet], start: Mapping[str, float]) -> dict[str, float]:
    """Coordinate search from ``start``: keep each step that raises the mean F1."""
    weights = dict(start)
    best = sum(f1(s, weights) for s in sets) / len(sets)
    improved = True
    while improved:
        improved = False
        for cue in CUES:
            if cue in FIXED:
                continue
            for step in STEPS:
                trial = {**weights, cue: weights[cue] + step}
                score = sum(f1(s, trial) for s in sets) / len(sets)
                if score > best + EPSILON:
                    weights, best, improved = trial, score, True
                    print(f"  {cue} {start[cue]:+.0f} -> {trial[cue]:+.0f}: mean F1 {best:.3f}")
    return weights


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--shared", type=Path, default=HERE.parent.parent / "shared")
    parser.add_argument("--fit", default="seeds,dev")
    parser.add_argument("--judge", default="fresh")
    args = parser.parse_args()
    paths = {
        "seeds": (args.shared / "eval/seeds.gold.jsonl", args.shared / "seeds"),
        "dev": (args.shared / "eval/dev.gold.jsonl", args.shared / "eval/dev/articles"),
        "fresh": (HERE / "fresh/gold.jsonl", HERE / "fresh/articles"),
        "holdout": (HERE / "holdout/gold.jsonl", HERE / "holdout/articles"),
    }
    fit_names = [n for n in args.fit.split(",") if n]
    judge_names = [n for n in args.judge.split(",") if n]
    sets = {n: load_set(n, *paths[n]) for n in {*fit_names, *judge_names}}
    start = dict(subject_weights())
    before = {n: f1(s, start) for n, s in sets.items()}
    fitted = fit([sets[n] for n in fit_names], start)
    for name, gold_set in sets.items():
        role = "fit" if name in fit_names else "judge"
        print(f"{name:<6} ({role}): F1 {before[name]:.3f} -> {f1(gold_set, fitted):.3f}")
    for cue in CUES:
        if fitted[cue] != start[cue]:
            print(f"  {cue}: {start[cue]:g} -> {fitted[cue]:g}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
