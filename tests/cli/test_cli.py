"""The CLI end to end: exit codes, output, --db and AIRACE_DB, on both databases."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from airace.cli import app

FIXTURES = Path(__file__).parent.parent / "fixtures"
runner = CliRunner()


def test_demo_runs_from_a_fresh_process_and_lists_the_samples(tmp_path: Path) -> None:
    db = tmp_path / "demo.db"
    done = subprocess.run(
        [sys.executable, "-m", "airace", "demo", "--db", str(db)],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    assert " new, 0 duplicate, 0 failed" in done.stdout
    assert db.exists()
    stored = int(done.stdout.split(" new,")[0].split()[-1])
    assert stored >= 8
    assert "vi" in done.stdout and "en" in done.stdout


def test_demo_twice_stores_nothing_new(tmp_path: Path) -> None:
    db = str(tmp_path / "demo.db")
    first = runner.invoke(app, ["demo", "--db", db])
    second = runner.invoke(app, ["demo", "--db", db])
    assert first.exit_code == 0 and second.exit_code == 0
    assert second.stdout.startswith("0 new")


def test_ingest_exit_code_is_zero_when_all_stored_or_duplicate(db_url: str) -> None:
    result = runner.invoke(app, ["ingest", "-q", "--db", db_url, str(FIXTURES)])
    assert result.exit_code == 0, result.output
    assert "3 new, 0 duplicate, 0 failed" in result.stdout
    again = runner.invoke(app, ["ingest", "-q", "--db", db_url, str(FIXTURES)])
    assert again.exit_code == 0
    assert "0 new, 3 duplicate, 0 failed" in again.stdout


def test_ingest_exit_code_is_one_when_something_failed_and_names_it(
    tmp_path: Path, db_url: str
) -> None:
    (tmp_path / "empty.txt").write_text("")
    result = runner.invoke(
        app,
        ["ingest", "-q", "--db", db_url, str(tmp_path / "empty.txt"), str(FIXTURES / "en-note.md")],
    )
    assert result.exit_code == 1
    assert "1 new, 0 duplicate, 1 failed" in result.stdout
    assert f"failed: {tmp_path / 'empty.txt'}: " in result.stderr


def test_airace_db_environment_variable_selects_the_database(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    db = tmp_path / "from-env.db"
    monkeypatch.setenv("AIRACE_DB", str(db))
    result = runner.invoke(app, ["ingest", "-q", str(FIXTURES / "en-note.md")])
    assert result.exit_code == 0, result.output
    assert db.exists()
    listing = runner.invoke(app, ["documents"])
    assert "Notes on national AI" in listing.stdout


def test_documents_and_show_print_what_is_stored(db_url: str) -> None:
    runner.invoke(app, ["ingest", "-q", "--db", db_url, str(FIXTURES / "vi-forum.txt")])
    listing = runner.invoke(app, ["documents", "--db", db_url])
    assert listing.exit_code == 0
    assert "2025-03-12" in listing.stdout and " vi " in listing.stdout
    shown = runner.invoke(app, ["show", "1", "--db", db_url])
    assert shown.exit_code == 0
    assert "khoảng 1.500 GPU" in shown.stdout
    assert "origin: " in shown.stdout


def test_show_unknown_document_is_a_clear_error(db_url: str) -> None:
    result = runner.invoke(app, ["show", "42", "--db", db_url])
    assert result.exit_code == 2
    assert "no document '42'" in result.stderr


def test_db_upgrade_and_current_on_both_databases(db_url: str) -> None:
    before = runner.invoke(app, ["db", "current", "--db", db_url])
    assert "database: blank" in before.stdout
    upgraded = runner.invoke(app, ["db", "upgrade", "--db", db_url])
    assert upgraded.exit_code == 0, upgraded.output
    after = runner.invoke(app, ["db", "current", "--db", db_url])
    assert "database: blank" not in after.stdout


def test_unreachable_database_exits_two_with_one_line(tmp_path: Path) -> None:
    result = runner.invoke(
        app, ["ingest", "--db", "postgresql://nobody@127.0.0.1:1/x", str(FIXTURES)]
    )
    assert result.exit_code == 2
    assert result.stderr.startswith("error: ")
    assert "Traceback" not in result.output


SAMPLE = Path(__file__).parent.parent.parent / "airace/samples/articles/01-vi-cuoc-dua-gpu.txt"


def test_ingest_stores_claims_unless_told_not_to(tmp_path: Path) -> None:
    with_claims = str(tmp_path / "with.db")
    without = str(tmp_path / "without.db")
    runner.invoke(app, ["ingest", "-q", "--db", with_claims, str(SAMPLE)])
    runner.invoke(app, ["ingest", "-q", "--no-extract", "--db", without, str(SAMPLE)])
    listed = runner.invoke(
        app, ["claims", "--db", with_claims, "--subject", "Meta", "--format", "jsonl"]
    )
    assert listed.exit_code == 0
    assert '"metric": "gpu_count"' in listed.stdout and '"value": 350000.0' in listed.stdout
    assert runner.invoke(app, ["claims", "--db", without]).stdout.strip() == "no claims"


def test_extract_prints_claims_without_a_database(tmp_path: Path) -> None:
    result = runner.invoke(app, ["extract", str(SAMPLE)])
    assert result.exit_code == 0
    assert '"doc": "01-vi-cuoc-dua-gpu"' in result.stdout
    table = runner.invoke(app, ["extract", "--format", "table", str(SAMPLE)])
    assert "350,000" in table.stdout
    assert not (tmp_path / "airace.db").exists()
