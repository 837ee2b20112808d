"""Extraction throughput: MB/s and claims/s on one core, beside quantulum3 on the English part.

Builds a ~5 MB mixed Vietnamese/English corpus by repeating the development articles (the
shared seeds and dev set when present, else the bundled samples), runs ``extract_claims`` over
it document by document, and, when quantulum3 is installed (``pip install quantulum3``, kept out
of the project's dependencies), runs its ``parser.parse`` over the English documents for a
side-by-side throughput ratio.

Usage: python benchmarks/extract.py [--megabytes 5]
"""

from __future__ import annotations

import argparse
import time
from pathlib import Path

from airace.extract import extract_claims
from airace.ingest.clean import clean_text
from airace.ingest.language import detect_language

ROOT = Path(__file__).resolve().parent.parent
CANDIDATES = [
    ROOT.parent / "shared" / "seeds",
    ROOT.parent / "shared" / "eval" / "dev" / "articles",
    ROOT / "airace" / "samples" / "articles",
]


def load_documents() -> list[tuple[str, str]]:
    """Return (language, cleaned text) for every development article found."""
    documents = []
    for folder in CANDIDATES:
        for path in sorted(folder.glob("*.txt")) if folder.is_dir() else []:
            text = clean_text(path.read_text(encoding="utf-8"))
            documents.append((detect_language(text) or "en", text))
    return documents


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--megabytes", type=float, default=5.0)
    args = parser.parse_args()
    base = load_documents()
    size = sum(len(text.encode()) for _, text in base)
    corpus = base * max(1, int(args.megabytes * 1e6 / size))
    megabytes = sum(len(text.encode()) for _, text in corpus) / 1e6
    extract_claims("warm-up 1.000 GPU", "vi")
    extract_claims("warm-up 1,000 GPUs", "en")

    started = time.perf_counter()
    claims = sum(len(extract_claims(text, lang)) for lang, text in corpus)
    seconds = time.perf_counter() - started
    print(
        f"airace     {len(corpus):>6} docs {megabytes:6.2f} MB {seconds:6.2f} s "
        f"{megabytes / seconds:6.2f} MB/s {claims / seconds:8.0f} claims/s"
    )

    english = [text for lang, text in corpus if lang == "en"]
    en_mb = sum(len(text.encode()) for text in english) / 1e6
    started = time.perf_counter()
    for text in english:
        extract_claims(text, "en")
    ours = en_mb / (time.perf_counter() - started)
    print(f"airace en  {len(english):>6} docs {en_mb:6.2f} MB {ours:6.2f} MB/s")
    try:
        from quantulum3 import parser as quantulum
    except ImportError:
        print("quantulum3 not installed: pip install quantulum3 to compare")
        return
    sample = english[: max(1, len(english) // 20)]  # quantulum3 is slow: a 5 % sample
    sample_mb = sum(len(text.encode()) for text in sample) / 1e6
    started = time.perf_counter()
    for text in sample:
        quantulum.parse(text)
    theirs = sample_mb / (time.perf_counter() - started)
    print(f"quantulum3 {len(sample):>6} docs {sample_mb:6.2f} MB {theirs:6.3f} MB/s")
    print(f"ratio airace/quantulum3 on English: {ours / theirs:.0f}x")


if __name__ == "__main__":
    main()
