"""Databases survive any kill and any crowd: schema setup is one locked transaction, so a kill
during it leaves a database the next command sets up, and many processes opening one new
database at once all get it (SQLite and PostgreSQL)."""

from __future__ import annotations

import multiprocessing
import subprocess
import sys
import traceback
from pathlib import Path

import pytest
import sqlalchemy as sa

from airace.service.pipeline import ingest_text
from airace.store.engine import create_engine
from airace.store.repository import open_store
from benchmarks.faults import KILLER  # kills the process at the N-th statement of the setup


def tables(db: str) -> set[str]:
    engine = create_engine(db)
    try:
        return set(sa.inspect(engine).get_table_names())
    finally:
        engine.dispose()


@pytest.mark.slow
@pytest.mark.parametrize("statement", [2, 4, 7, 10, 14])
def test_a_kill_during_schema_setup_leaves_a_database_the_next_command_sets_up(
    db_url: str, statement: int
) -> None:
    killed = subprocess.run([sys.executable, "-c", KILLER, db_url, str(statement)], timeout=120)
    assert killed.returncode == 9, "the kill must land during the setup"
    assert tables(db_url) == set()  # all of the setup rolled back, nothing half-made
    store = open_store(db_url, migrate_schema=True)
    try:
        result = ingest_text("Japan has 5,000 GPUs for research.", store, origin="after")
        assert result.status.value == "stored"
    finally:
        store.close()


def _open_and_store(db: str, number: int) -> str:
    try:
        store = open_store(db)
        try:
            text = f"Report {number}: Việt Nam có {number + 1}.000 GPU H100 vào năm 2024."
            return ingest_text(text, store, origin=f"process-{number}").status.value
        finally:
            store.close()
    except BaseException:
        return traceback.format_exc()


@pytest.mark.slow
def test_processes_opening_one_new_database_at_once_all_store(db_url: str) -> None:
    processes = 12
    with multiprocessing.get_context("spawn").Pool(processes) as pool:
        outcomes = pool.starmap(_open_and_store, [(db_url, n) for n in range(processes)])
    assert outcomes == ["stored"] * processes, [o for o in outcomes if o != "stored"][:1]
    engine = create_engine(db_url)
    with engine.connect() as connection:
        assert connection.execute(sa.text("SELECT count(*) FROM documents")).scalar_one() == 12
    engine.dispose()


def test_a_sqlite_file_is_set_up_in_wal_mode_with_a_busy_timeout(tmp_path: Path) -> None:
    engine = create_engine(str(tmp_path / "x.db"))
    with engine.connect() as connection:
        assert connection.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
        assert connection.exec_driver_sql("PRAGMA busy_timeout").scalar() == 10000
    engine.dispose()
