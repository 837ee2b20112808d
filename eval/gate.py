"""Extraction quality gate: fail when F1 on a gold set drops below its pinned floor.

Floors live in ``eval/baseline.json`` per gold set and language, with the SHA-256 of the gold
file they were pinned against. The seeds and dev sets are the team's (``../shared/eval``); the
fresh, holdout, unseen and blind sets are the project's own (``eval/fresh``, ``eval/holdout``,
``eval/unseen``, ``eval/blind``: texts written for issue 10; holdout, unseen and the blind
set's part a are judged only by their aggregate F1), checked always.
The gate refuses to judge a gold file that changed since it was pinned (re-pin with
``--pin``), ignores drops smaller than ``EPSILON``, and ``--pin`` raises floors to the current
scores but never lowers one unless ``--allow-lower`` is given.

Usage: python eval/gate.py [--shared ../shared] [--pin] [--allow-lower]
"""

from __future__ import annotations

import argparse
import hashlib
import json
import sys
from pathlib import Path

from airace.config import get_settings
from airace.service.extraction import evaluate_gold

HERE = Path(__file__).resolve().parent
BASELINE = HERE / "baseline.json"
EPSILON = 0.005  # scores are ratios of small counts; below this a change is noise
REPO = HERE.parent
# name -> (gold file, documents folder, whether the paths are under ../shared or the repository)
GOLD_SETS = {
    "seeds": ("eval/seeds.gold.jsonl", "seeds", True),
    "dev": ("eval/dev.gold.jsonl", "eval/dev/articles", True),
    "fresh": ("eval/fresh/gold.jsonl", "eval/fresh/articles", False),
    "holdout": ("eval/holdout/gold.jsonl", "eval/holdout/articles", False),
    "unseen": ("eval/unseen/gold.jsonl", "eval/unseen/articles", False),
    "blind": ("eval/blind/gold.jsonl", "eval/blind/articles", False),
}


def scores(shared: Path, name: str) -> tuple[str, dict[str, float]]:
    """Return a gold set's digest and its F1 overall and per language."""
    gold, docs, in_shared = GOLD_SETS[name]
    base = shared if in_shared else REPO
    gold_path = base / gold
    digest = hashlib.sha256(gold_path.read_bytes()).hexdigest()
    report = evaluate_gold(gold_path, base / docs, get_settings())
    result = {"overall": round(report.overall.f1, 4)}
    result.update({lang: round(t.f1, 4) for lang, t in sorted(report.by_language.items())})
    return digest, result


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--shared", type=Path, default=HERE.parent.parent / "shared")
    parser.add_argument("--pin", action="store_true", help="raise floors to current scores")
    parser.add_argument("--allow-lower", action="store_true", help="let --pin lower floors")
    args = parser.parse_args()
    shared_here = (args.shared / "eval").is_dir()
    if not shared_here:
        print(f"gate: no shared gold sets at {args.shared}/eval; checking the project's own")
    baseline = json.loads(BASELINE.read_text()) if BASELINE.exists() else {}
    failures = []
    for name, (_, _, in_shared) in GOLD_SETS.items():
        if in_shared and not shared_here:
            continue
        digest, current = scores(args.shared, name)
        pinned = baseline.get(name, {})
        print(f"gate: {name}: " + ", ".join(f"{k} F1 {v:.3f}" for k, v in current.items()))
        if args.pin:
            floors = dict(pinned.get("floors", {})) if pinned.get("gold_sha256") == digest else {}
            for key, value in current.items():
                if args.allow_lower or value > floors.get(key, 0.0):
                    floors[key] = value
            baseline[name] = {"gold_sha256": digest, "floors": floors}
            continue
        if pinned.get("gold_sha256") != digest:
            failures.append(f"{name}: gold file changed since the floors were pinned; run --pin")
            continue
        for key, floor in pinned["floors"].items():
            if current.get(key, 0.0) < floor - EPSILON:
                failures.append(f"{name}/{key}: F1 {current.get(key, 0.0):.3f} < floor {floor:.3f}")
    if args.pin:
        BASELINE.write_text(json.dumps(baseline, indent=2, sort_keys=True) + "\n")
        print(f"gate: floors pinned in {BASELINE}")
        return 0
    for failure in failures:
        print(f"gate: FAILED {failure}")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
