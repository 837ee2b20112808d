"""``airace observations``, ``conflicts`` and ``review`` end to end on both databases."""

from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner

from airace.cli import app

runner = CliRunner()


def ingest_two_reports(tmp_path: Path, db: str) -> None:
    folder = tmp_path / "articles"
    folder.mkdir()
    (folder / "a.txt").write_text("Seoul, 3/5/2024. Hàn Quốc hiện có 2.000 GPU H100.\n", "utf-8")
    (folder / "b.txt").write_text("Seoul, 9/5/2024. Hàn Quốc có khoảng 10.000 GPU.\n", "utf-8")
    done = runner.invoke(app, ["ingest", "--db", db, str(folder), "-q"])
    assert done.exit_code == 0, done.output


def test_conflicts_list_both_figures_with_their_quotes(tmp_path: Path, db_url: str) -> None:
    ingest_two_reports(tmp_path, db_url)
    done = runner.invoke(app, ["conflicts", "--db", db_url, "--entity", "KR"])
    assert done.exit_code == 0, done.output
    assert "KR gpu_count year unknown" in done.output  # undated: never the publication year
    assert "Hàn Quốc hiện có 2.000 GPU" in done.output
    assert "Hàn Quốc có khoảng 10.000 GPU" in done.output


def test_review_reject_resolves_the_conflict_and_is_idempotent(tmp_path: Path, db_url: str) -> None:
    ingest_two_reports(tmp_path, db_url)
    listed = runner.invoke(app, ["claims", "--db", db_url, "--format", "jsonl"])
    records = [json.loads(line) for line in listed.stdout.splitlines()]
    wrong = next(r["id"] for r in records if r["value"] == 10000)
    first = runner.invoke(app, ["review", str(wrong), "--db", db_url, "--reject"])
    again = runner.invoke(app, ["review", str(wrong), "--db", db_url, "--reject"])
    assert first.exit_code == 0 and "rejected recorded" in first.output
    assert again.exit_code == 0 and "unchanged" in again.output
    shown = runner.invoke(app, ["observations", "--db", db_url, "-e", "KR", "-f", "jsonl"])
    [observation] = [json.loads(line) for line in shown.stdout.splitlines()
                     if json.loads(line)["indicator"] == "gpu_count"]  # fmt: skip
    assert observation["value"] == 2000 and observation["conflict"] is False
    none_left = runner.invoke(app, ["conflicts", "--db", db_url, "--entity", "KR"])
    assert "no conflicts" in none_left.output


def test_review_needs_exactly_one_decision(tmp_path: Path) -> None:
    db = str(tmp_path / "x.db")
    both = runner.invoke(app, ["review", "1", "--db", db, "--accept", "--reject"])
    assert both.exit_code == 2 and "exactly one" in both.output
    missing = runner.invoke(app, ["review", "7", "--db", db, "--accept"])
    assert missing.exit_code == 2 and "no claim 7" in missing.output


def test_correction_through_the_cli(tmp_path: Path) -> None:
    db = str(tmp_path / "x.db")
    ingest_two_reports(tmp_path, db)
    listed = runner.invoke(app, ["claims", "--db", db, "--format", "jsonl"])
    approx = next(json.loads(x)["id"] for x in listed.stdout.splitlines()
                  if json.loads(x)["value"] == 10000)  # fmt: skip
    done = runner.invoke(app, ["review", str(approx), "--db", db, "--value", "2000"])
    assert done.exit_code == 0 and "corrected" in done.output
    table = runner.invoke(app, ["observations", "--db", db, "--entity", "Korea"])
    assert "gpu_count" in table.output and "conflict" not in table.output
