"""Fault table: runs killed, crowded and fed hostile input, on SQLite and PostgreSQL.

Each scenario is tried several times against a fresh database and checked against a clean run
of the same corpus: a try *survived* when the database is whole (every document's text matches
its size and hash, none without an origin) and a re-run brings it to exactly the clean run's
documents and claims; *lost* counts the tries after which documents or claims were missing or
extra; *crashed* the tries where a command ended in a traceback or a re-run failed.

- kill -9 / Ctrl-C (SIGINT) / SIGTERM in the middle of ``airace ingest``;
- 20 overlapping ``airace ingest`` runs at once into one database;
- 12 processes opening one new database at once;
- a kill at different statements of the schema setup;
- a folder of hostile inputs (a deeply nested JSONL line, files linked to each other, a link
  out of the folder, a line over the size limit, an undecodable file name) beside good files.

Then ``/api/rankings`` under ``wrk``, idle and while an ``airace ingest`` writes to the same
database, and the share of its idle throughput it keeps (the target is at least half).

Usage: python benchmarks/faults.py [--pg postgresql://postgres@127.0.0.1:5432/test] [--quick]
"""

from __future__ import annotations

import argparse
import json
import os
import random
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import sqlalchemy as sa

FILES = 400


@dataclass
class Row:
    scenario: str
    backend: str
    tried: int = 0
    survived: int = 0
    lost: int = 0
    crashed: int = 0


def airace(*arguments: str) -> list[str]:
    return [sys.executable, "-m", "airace", *arguments]


def write_corpus(folder: Path, files: int = FILES) -> None:
    folder.mkdir(parents=True)
    for number in range(files):
        (folder / f"{number:05d}.txt").write_text(
            f"Bài số {number}\n\nCông ty số {number} cho biết đã mua {number * 10 + 10} GPU "
            f"trong năm 2024 để huấn luyện mô hình ngôn ngữ lớn. Japan has {number + 5},000 "
            f"GPUs and Korea {number + 2},000. " * 3
        )


class Databases:
    """Fresh databases: SQLite files in a folder, PostgreSQL schemas on one server."""

    def __init__(self, folder: Path, pg: str | None) -> None:
        self.folder, self.pg = folder, pg
        self.schemas: list[str] = []

    def new(self, backend: str) -> str:
        name = f"f{uuid.uuid4().hex[:10]}"
        if backend == "sqlite":
            return str(self.folder / f"{name}.db")
        assert self.pg is not None
        engine = sa.create_engine(self.pg)
        with engine.begin() as connection:
            connection.execute(sa.text(f'CREATE SCHEMA "{name}"'))
        engine.dispose()
        self.schemas.append(name)
        separator = "&" if "?" in self.pg else "?"
        return f"{self.pg}{separator}options=-csearch_path%3D{name}"

    def drop(self) -> None:
        if not self.schemas or self.pg is None:
            return
        engine = sa.create_engine(self.pg)
        with engine.begin() as connection:
            for name in self.schemas:
                connection.execute(sa.text(f'DROP SCHEMA IF EXISTS "{name}" CASCADE'))
        engine.dispose()


def engine_for(db: str) -> sa.Engine:
    from airace.store.engine import create_engine

    return create_engine(db)


def counts(db: str) -> tuple[int, int]:
    engine = engine_for(db)
    try:
        with engine.connect() as connection:
            if not sa.inspect(connection).has_table("documents"):
                return 0, 0
            docs = connection.execute(sa.text("SELECT count(*) FROM documents")).scalar_one()
            claims = connection.execute(sa.text("SELECT count(*) FROM claims")).scalar_one()
        return int(docs), int(claims)
    finally:
        engine.dispose()


def whole(db: str) -> bool:
    """Every stored document is complete and reachable; every claim's span is in its text."""
    from airace.ingest.clean import content_hash

    engine = engine_for(db)
    try:
        with engine.connect() as connection:
            if not sa.inspect(connection).has_table("documents"):
                return True
            rows = connection.execute(sa.text("SELECT text, size, content_hash FROM documents"))
            if any(len(t) != s or content_hash(t) != h for t, s, h in rows):
                return False
            orphans = connection.execute(
                sa.text(
                    "SELECT count(*) FROM documents d WHERE NOT EXISTS "
                    "(SELECT 1 FROM document_origins o WHERE o.document_id = d.id)"
                )
            ).scalar_one()
            return orphans == 0
    finally:
        engine.dispose()


def ingest(db: str, *sources: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        airace("ingest", "-q", "--db", db, *sources), capture_output=True, text=True, timeout=600
    )


def crashed(stderr: str) -> bool:
    return "Traceback" in stderr


def kills(dbs: Databases, backend: str, corpus: Path, clean: tuple[int, int], tries: int) -> Row:
    row = Row("kill mid-ingest (KILL, INT, TERM)", backend)
    signals = [signal.SIGKILL, signal.SIGINT, signal.SIGTERM]
    for attempt in range(tries):
        db = dbs.new(backend)
        subprocess.run(airace("db", "upgrade", "--db", db), capture_output=True, check=True)
        process = subprocess.Popen(
            airace("ingest", "-q", "--db", db, str(corpus)),
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
            text=True,
        )
        wanted = random.Random(attempt).randint(20, FILES // 2)
        deadline = time.monotonic() + 120
        while counts(db)[0] < wanted and process.poll() is None and time.monotonic() < deadline:
            time.sleep(0.02)
        process.send_signal(signals[attempt % len(signals)])
        _, stderr = process.communicate(timeout=60)
        row.tried += 1
        intact = whole(db)
        rerun = ingest(db, str(corpus))
        lost = counts(db) != clean or not intact
        broke = crashed(stderr) or rerun.returncode != 0
        row.lost += lost
        row.crashed += broke
        row.survived += not (lost or broke)
    return row


def crowd(dbs: Databases, backend: str, corpus: Path, runs: int) -> Row:
    """Overlapping ingests at once: each takes a random half of the corpus."""
    row = Row(f"{runs} overlapping ingests at once", backend)
    db = dbs.new(backend)
    subprocess.run(airace("db", "upgrade", "--db", db), capture_output=True, check=True)
    files = sorted(corpus.iterdir())
    lists, union = [], set()
    for number in range(runs):
        chosen = random.Random(number).sample(files, len(files) // 2)
        union.update(chosen)
        lists.append(chosen)
    processes = [
        subprocess.Popen(
            airace("ingest", "-q", "--db", db, *map(str, chosen)),
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
            text=True,
        )
        for chosen in lists
    ]
    outcomes = [(p.wait(timeout=900), p.stderr.read() if p.stderr else "") for p in processes]
    stored = counts(db)[0]
    for code, stderr in outcomes:
        row.tried += 1
        broke = code != 0 or crashed(stderr)
        row.crashed += broke
        row.survived += not broke
    row.lost = abs(len(union) - stored)
    return row


OPENER = """
import sys
from airace.store.repository import open_store
from airace.service.pipeline import ingest_text
store = open_store(sys.argv[1])
text = f"Report {sys.argv[2]}: Việt Nam có {int(sys.argv[2]) + 1}.000 GPU H100 vào năm 2024."
print(ingest_text(text, store, origin=f"p{sys.argv[2]}").status.value)
"""


def openers(dbs: Databases, backend: str, processes: int, tries: int) -> Row:
    row = Row(f"{processes} processes open a new database", backend)
    for _ in range(tries):
        db = dbs.new(backend)
        started = [
            subprocess.Popen(
                [sys.executable, "-c", OPENER, db, str(n)],
                stdout=subprocess.PIPE,
                stderr=subprocess.PIPE,
                text=True,
            )
            for n in range(processes)
        ]
        for process in started:
            out, _ = process.communicate(timeout=300)
            row.tried += 1
            ok = process.returncode == 0 and out.strip() == "stored"
            row.crashed += not ok
            row.survived += ok
        row.lost += abs(processes - counts(db)[0])
    return row


KILLER = """
import os, sys
import sqlalchemy as sa
from airace.store.engine import create_engine
from airace.store import migrate
count, real = [0], sa.engine.Connection.execute
def execute(self, *args, **kwargs):
    count[0] += 1
    if count[0] == int(sys.argv[2]):
        os._exit(9)
    return real(self, *args, **kwargs)
sa.engine.Connection.execute = execute
migrate.upgrade(create_engine(sys.argv[1]))
"""


def schema_kills(dbs: Databases, backend: str, tries: int) -> Row:
    row = Row("kill during schema setup", backend)
    for attempt in range(tries):
        db = dbs.new(backend)
        subprocess.run([sys.executable, "-c", KILLER, db, str(2 + 2 * attempt)], timeout=120)
        row.tried += 1
        done = subprocess.run(
            [sys.executable, "-c", OPENER, db, "1"], capture_output=True, text=True, timeout=120
        )
        ok = done.returncode == 0 and done.stdout.strip() == "stored"
        row.crashed += not ok
        row.lost += counts(db)[0] != 1
        row.survived += ok and counts(db)[0] == 1
    return row


def hostile(dbs: Databases, backend: str, folder: Path) -> Row:
    """One run over a folder of hostile inputs beside good files: the good ones are stored."""
    row = Row("hostile inputs in one run", backend)
    folder.mkdir(parents=True, exist_ok=True)
    good = 5
    for number in range(good):
        (folder / f"good{number}.txt").write_text(f"Japan has {number + 1},000 GPUs for AI.")
    lines = ["[" * 200_000 + "]" * 200_000, '{"text": "' + "x" * 3_000_000 + '"}']
    (folder / "bad.jsonl").write_text("\n".join(lines) + "\n")
    (folder / "a.txt").symlink_to(folder / "b.txt")
    (folder / "b.txt").symlink_to(folder / "a.txt")
    (folder / "loop").symlink_to(folder)
    (folder / "passwd.txt").symlink_to("/etc/passwd")
    name = Path(os.fsdecode(bytes(folder) + b"/odd\xff.txt"))
    name.write_text("Korea has 2,000 GPUs in a file with an odd name.")
    db = dbs.new(backend)
    done = subprocess.run(
        airace("ingest", "-q", "--max-bytes", "1000000", "--db", db, str(folder)),
        capture_output=True,
        text=True,
        timeout=300,
    )
    failed = set(re.findall(r"^failed: (\S+):", done.stderr, re.M))
    jsonl = str(folder / "bad.jsonl")
    handled = [  # each hostile input failed alone (or, for the loop, was not read again)
        f"{jsonl}:1" in failed,
        f"{jsonl}:2" in failed,
        str(folder / "a.txt") in failed,
        str(folder / "b.txt") in failed,
        str(folder / "passwd.txt") in failed,
        counts(db)[0] == good + 1,  # the folder that contains itself was read once
        counts(db)[0] == good + 1,  # the odd name was stored with the good files
    ]
    row.tried = len(handled)
    broke = crashed(done.stderr) or done.returncode not in (0, 1)
    row.crashed = row.tried if broke else 0
    row.survived = 0 if broke else sum(handled)
    row.lost = abs(good + 1 - counts(db)[0])
    return row


def rankings_under_ingest(folder: Path, seconds: int) -> str:
    """``/api/rankings`` req/s under wrk, idle and while an ingest writes to its database."""
    if shutil.which("wrk") is None:
        return "wrk is not installed: no serving figures"
    sys.path.insert(0, str(Path(__file__).resolve().parent))
    from api import free_port, start_server  # the server starter of benchmarks/api.py

    db = folder / "serve.db"
    subprocess.run(airace("demo", "--db", str(db)), capture_output=True, check=True)
    corpus = folder / "writes.jsonl"
    with corpus.open("w") as out:
        for number in range(20_000):
            text = f"Report {number}: Japan has {number + 5},000 GPUs and Korea {number},000."
            out.write(json.dumps({"text": text, "url": f"https://w.example/{number}"}) + "\n")
    port = free_port()
    server = start_server(db, port, 1, folder / "serve.log")
    base = f"http://127.0.0.1:{port}"
    try:
        url = f"{base}/api/rankings"
        subprocess.run(["curl", "-s", "-o", "/dev/null", url], check=False)  # warm
        idle = _wrk(url, seconds)
        writer = subprocess.Popen(
            airace("ingest", "-q", "--db", str(db), str(corpus)),
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        time.sleep(1)
        busy = _wrk(url, seconds)
        written = counts(str(db))[0]
        writer.terminate()
        writer.wait()
    finally:
        server.terminate()
        server.wait()
    return (
        f"/api/rankings idle {idle:.0f} req/s, under ingest {busy:.0f} req/s "
        f"({busy / idle:.0%} of idle; {written} documents in the database by then)"
    )


def _wrk(url: str, seconds: int) -> float:
    command = ["wrk", "--threads", "2", "--connections", "16", "--duration", f"{seconds}s", url]
    output = subprocess.run(command, capture_output=True, text=True, check=True).stdout
    found = re.search(r"Requests/sec:\s+([\d.]+)", output)
    return float(found.group(1)) if found else float("nan")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pg", default=None, help="Also on this PostgreSQL URL (new schemas).")
    parser.add_argument("--quick", action="store_true", help="Fewer tries of each scenario.")
    parser.add_argument("--seconds", type=int, default=8, help="Each wrk run's duration.")
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="airace-faults-"))
    dbs = Databases(work, args.pg)
    try:
        corpus = work / "corpus"
        write_corpus(corpus)
        backends = ["sqlite", *(["postgresql"] if args.pg else [])]
        rows: list[Row] = []
        for backend in backends:
            clean_db = dbs.new(backend)
            ingest(clean_db, str(corpus))
            clean = counts(clean_db)
            kill_tries = 3 if args.quick else (8 if backend == "sqlite" else 4)
            plans: list[Callable[[], Row]] = [
                lambda b=backend, k=kill_tries, c=clean: kills(dbs, b, corpus, c, k),
                lambda b=backend: crowd(dbs, b, corpus, 20),
                lambda b=backend: openers(dbs, b, 12, 1 if args.quick else 3),
                lambda b=backend: schema_kills(dbs, b, 5 if args.quick else 10),
                lambda b=backend: hostile(dbs, b, work / f"hostile-{b}"),
            ]
            for plan in plans:
                started = time.perf_counter()
                row = plan()
                rows.append(row)
                print(_line(row, time.perf_counter() - started), flush=True)
        print()
        print(f"{'scenario':<40} {'backend':<11} tried survived lost crashed")
        for row in rows:
            print(_line(row))
        total = Row("all", "both", *(sum(getattr(r, f) for r in rows) for f in
                                       ("tried", "survived", "lost", "crashed")))  # fmt: skip
        print(_line(total))
        print()
        print(rankings_under_ingest(work, args.seconds), flush=True)
    finally:
        dbs.drop()
        shutil.rmtree(work, ignore_errors=True)


def _line(row: Row, took: float | None = None) -> str:
    line = (
        f"{row.scenario:<40} {row.backend:<11} {row.tried:>5} {row.survived:>8} "
        f"{row.lost:>4} {row.crashed:>7}"
    )
    return line if took is None else f"{line}   ({took:.0f} s)"


if __name__ == "__main__":
    main()
