"""Ingest throughput and memory: synthetic corpora through the real ``airace ingest`` command.

Generates ~3 KB articles (Vietnamese and English, plain text and HTML), ingests them into a
fresh SQLite file in a child process pinned to one core, with and without claim extraction
(``--no-extract``), and prints documents/s and the child's peak resident memory. Running two
corpus sizes shows whether memory stays flat as the corpus grows (it should: ingest streams).

Usage: python benchmarks/ingest.py [--count 20000] [--html 2000] [--workdir .bench/ingest]
"""

from __future__ import annotations

import argparse
import os
import random
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

VI_SENTENCES = [
    "Theo báo cáo của {org}, {who} đã mua khoảng {n:,} GPU trong năm {year}.",
    "{who} dự kiến đầu tư {m},{d} tỷ USD vào các trung tâm dữ liệu mới đến năm {target}.",
    "Số chuyên gia trí tuệ nhân tạo tại {who} tăng lên hơn {n:,} người, {org} cho biết.",
    "Trong bảng xếp hạng năm {year}, {who} đứng ở vị trí thứ {rank} về hạ tầng tính toán.",
    "Các doanh nghiệp khởi nghiệp AI ở {who} đã huy động được {m} triệu USD trong quý vừa qua.",
    "Giới phân tích cho rằng nhu cầu về chip tăng tốc sẽ còn vượt nguồn cung trong nhiều quý tới.",
    "Chính phủ {who} công bố gói hỗ trợ {m} nghìn tỷ đồng cho nghiên cứu và đào tạo nhân lực.",
]
EN_SENTENCES = [
    "According to {org}, {who} bought about {n:,} GPUs in {year}.",
    "{who} plans to invest ${m}.{d} billion in new data centres by {target}.",
    "The number of AI specialists in {who} rose to more than {n:,}, {org} said.",
    "In the {year} ranking, {who} placed {rank}th for computing infrastructure.",
    "AI start-ups in {who} raised ${m} million in the last quarter.",
    "Analysts expect demand for accelerators to outstrip supply for several more quarters.",
    "The government of {who} announced a ${m} billion programme for research and skills.",
]
WHO = ["Meta", "Hàn Quốc", "Việt Nam", "Nhật Bản", "Pháp", "Microsoft", "Singapore", "India"]
ORG = ["Stanford HAI", "Tortoise Media", "IDC", "Gartner", "McKinsey", "Epoch AI"]
HTML = """<!DOCTYPE html><html><head><title>{title}</title>
<meta property="article:published_time" content="{year}-0{month}-1{day}T08:00:00Z"></head>
<body><nav><a href="/">Home</a> <a href="/login">Log in</a></nav><article><h1>{title}</h1>
{paragraphs}</article><footer>Related stories · Subscribe</footer></body></html>"""


def article(rng: random.Random, number: int) -> tuple[str, str]:
    """Return a title and ~3 KB of paragraphs in one language, distinct per number."""
    sentences = VI_SENTENCES if number % 2 == 0 else EN_SENTENCES
    paragraphs = []
    size = 0
    while size < 3000:
        fields = {
            "org": rng.choice(ORG),
            "who": rng.choice(WHO),
            "n": rng.randrange(100, 500_000),
            "m": rng.randrange(1, 900),
            "d": rng.randrange(0, 9),
            "year": rng.randrange(2019, 2026),
            "target": rng.randrange(2026, 2035),
            "rank": rng.randrange(4, 60),
        }
        paragraph = " ".join(rng.choice(sentences).format(**fields) for _ in range(4))
        paragraphs.append(paragraph)
        size += len(paragraph)
    return f"Article {number}: {rng.choice(WHO)} and the AI race", paragraphs


def generate(folder: Path, count: int, *, html: bool, seed: int) -> None:
    """Write ``count`` articles into ``folder`` (text files or HTML pages)."""
    rng = random.Random(seed)
    folder.mkdir(parents=True, exist_ok=True)
    for number in range(count):
        title, paragraphs = article(rng, seed * 1_000_000 + number)
        if html:
            body = "".join(f"<p>{p}</p>\n" for p in paragraphs)
            page = HTML.format(
                title=title,
                paragraphs=body,
                year=2024,
                month=rng.randrange(1, 9),
                day=rng.randrange(0, 9),
            )
            (folder / f"{number:06d}.html").write_text(page)
        else:
            stamp = f"{rng.randrange(10, 28)}/0{rng.randrange(1, 9)}/2024"
            text = f"{title}\n\n{stamp}\n\n" + "\n\n".join(paragraphs) + "\n"
            (folder / f"{number:06d}.txt").write_text(text)


def run_ingest(folder: Path, db: Path, *, extract: bool) -> tuple[float, int, float]:
    """Ingest a folder in a fresh child process on one core; return seconds, docs, peak MiB."""
    db.unlink(missing_ok=True)
    command = [sys.executable, "-m", "airace", "ingest", "-q", "--db", str(db), str(folder)]
    if not extract:
        command.append("--no-extract")
    if shutil.which("taskset"):
        command = ["taskset", "-c", "0", *command]
    with tempfile.TemporaryFile("w+") as out, tempfile.TemporaryFile("w+") as err:
        started = time.perf_counter()
        child = subprocess.Popen(command, stdout=out, stderr=err, text=True)
        # wait4 reaps the child and reports its own peak resident set size (KiB on Linux).
        _pid, status, usage = os.wait4(child.pid, 0)
        seconds = time.perf_counter() - started
        child.returncode = os.waitstatus_to_exitcode(status)
        out.seek(0)
        err.seek(0)
        stdout, stderr = out.read(), err.read()
    if child.returncode != 0:
        raise SystemExit(f"ingest failed:\n{stdout}\n{stderr}")
    stored = int(stdout.split(" new,")[0].split()[-1])
    return seconds, stored, usage.ru_maxrss / 1024


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=20_000, help="plain-text articles")
    parser.add_argument("--html", type=int, default=2_000, help="HTML articles")
    parser.add_argument("--workdir", type=Path, default=Path(".bench/ingest"))
    args = parser.parse_args()

    work = args.workdir
    small = max(args.count // 4, 1)
    corpora = [
        ("text", work / f"text-{small}", small, False),
        ("text", work / f"text-{args.count}", args.count, False),
    ]
    if args.html:
        corpora.append(("html", work / f"html-{args.html}", args.html, True))
    for _kind, folder, count, html in corpora:
        if not folder.exists() or sum(1 for _ in folder.iterdir()) != count:
            shutil.rmtree(folder, ignore_errors=True)
            generate(folder, count, html=html, seed=count + html)
    print(
        f"{'corpus':<14}{'claims':>8}{'docs':>8}{'MB':>8}{'seconds':>9}{'docs/s':>9}{'MB/s':>7}"
        f"{'peak MiB':>10}"
    )
    for kind, folder, count, _html in corpora:
        megabytes = sum(path.stat().st_size for path in folder.iterdir()) / 1e6
        for extract in (False, True):
            seconds, stored, peak = run_ingest(folder, work / "bench.db", extract=extract)
            assert stored == count, f"stored {stored} of {count}"
            print(
                f"{kind + ' ' + str(count):<14}{'yes' if extract else 'no':>8}{stored:>8}"
                f"{megabytes:>8.1f}{seconds:>9.1f}{stored / seconds:>9.0f}"
                f"{megabytes / seconds:>7.2f}{peak:>10.0f}"
            )


if __name__ == "__main__":
    main()
