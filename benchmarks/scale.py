"""Ingest scale-out: documents/s with 1, 2 and N Dask workers, and peak memory.

Generates a JSONL corpus of ~3 KB articles (the sentences of ``benchmarks/ingest.py``, Vietnamese
and English), then ingests it into a fresh database with ``airace ingest --workers W`` for each
W, and once without Dask, in child processes, printing documents/s, the speed-up over one worker
and the peak resident memory of the run (the writer process and its workers). Two corpus sizes
show whether memory stays flat as the corpus grows.

Usage: python benchmarks/scale.py [--count 50000] [--workers 1,2] [--pg postgresql+psycopg://...]
                                  [--no-baseline]
"""

from __future__ import annotations

import argparse
import json
import random
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from ingest import article  # the corpus generator of benchmarks/ingest.py


def generate(path: Path, count: int, seed: int = 7) -> None:
    rng = random.Random(seed)
    with path.open("w", encoding="utf-8") as out:
        for number in range(count):
            title, paragraphs = article(rng, number)
            text = "\n\n".join(paragraphs)
            record = {"url": f"https://bench.example/{number}", "title": title, "text": text}
            out.write(json.dumps(record, ensure_ascii=False) + "\n")


def run(corpus: Path, db: str, workers: int | None) -> tuple[float, float]:
    """Ingest ``corpus`` in a child; return (seconds, peak RSS in MiB of the whole tree)."""
    command = [sys.executable, "-m", "airace", "ingest", str(corpus), "--db", db, "--quiet"]
    if workers is not None:
        command += ["--workers", str(workers)]
    script = (
        "import resource, subprocess, sys, time\n"
        "start = time.perf_counter()\n"
        "done = subprocess.run(sys.argv[1:], capture_output=True, text=True)\n"
        "took = time.perf_counter() - start\n"
        "peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024\n"
        "print(took, peak, done.returncode)\n"
        "sys.stderr.write(done.stderr[-2000:])\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", script, *command], capture_output=True, text=True, check=True
    )
    took, peak, code = done.stdout.split()
    if code != "0":
        raise SystemExit(f"ingest failed: {done.stderr}")
    return float(took), float(peak)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=50_000)
    parser.add_argument("--workers", default="1,2")
    parser.add_argument("--pg", default=None, help="Also on this PostgreSQL URL (emptied).")
    parser.add_argument("--workdir", type=Path, default=None)
    parser.add_argument(
        "--no-baseline", action="store_true", help="Skip the run without Dask (saves time)."
    )
    args = parser.parse_args()
    workdir = args.workdir or Path(tempfile.mkdtemp(prefix="airace-scale-"))
    workdir.mkdir(parents=True, exist_ok=True)
    plans: list[int | None] = [None, *(int(w) for w in args.workers.split(","))]
    if args.no_baseline:
        plans = plans[1:]
    try:
        for count in (args.count // 5, args.count):
            corpus = workdir / f"corpus-{count}.jsonl"
            generate(corpus, count)
            base: float | None = None
            for workers in plans:
                db = f"sqlite:///{workdir}/scale-{count}-{workers}.db"
                took, peak = run(corpus, db, workers)
                rate = count / took
                if workers == 1:
                    base = rate
                label = "no Dask" if workers is None else f"{workers} worker(s)"
                speedup = f"  x{rate / base:.2f} of 1 worker" if base and workers else ""
                print(
                    f"sqlite {count:>7} docs  {label:<12} {rate:8.1f} docs/s  "
                    f"peak {peak:6.0f} MiB{speedup}",
                    flush=True,
                )
            if args.pg:
                for workers in [w for w in plans if w is not None]:
                    _empty(args.pg)
                    took, peak = run(corpus, args.pg, workers)
                    print(f"postgres {count:>7} docs  {workers} worker(s) {count / took:8.1f} "
                          f"docs/s  peak {peak:6.0f} MiB", flush=True)  # fmt: skip
    finally:
        if args.workdir is None:
            shutil.rmtree(workdir, ignore_errors=True)


def _empty(url: str) -> None:
    import sqlalchemy as sa

    engine = sa.create_engine(url)
    with engine.begin() as connection:
        connection.execute(sa.text("DROP SCHEMA public CASCADE; CREATE SCHEMA public"))
    engine.dispose()


if __name__ == "__main__":
    started = time.perf_counter()
    main()
    print(f"total {time.perf_counter() - started:.0f} s")
