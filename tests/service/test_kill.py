"""SIGKILL mid-ingest leaves only whole documents; running again completes the rest."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
import sqlalchemy as sa

from airace.ingest.clean import content_hash
from airace.store.engine import create_engine
from airace.store.repository import open_store

FILES = 1200


def write_corpus(folder: Path) -> None:
    folder.mkdir()
    for number in range(FILES):
        (folder / f"{number:05d}.txt").write_text(
            f"Bài số {number}\n\nCông ty số {number} cho biết đã mua {number * 10} GPU "
            f"trong năm nay để huấn luyện mô hình ngôn ngữ lớn. " * 5
        )


def count(engine: sa.Engine) -> int:
    with engine.connect() as connection:
        return connection.execute(sa.text("SELECT count(*) FROM documents")).scalar_one()


@pytest.mark.slow
def test_sigkill_mid_ingest_leaves_whole_documents_and_rerun_completes(
    tmp_path: Path, db_url: str
) -> None:
    corpus = tmp_path / "corpus"
    write_corpus(corpus)
    open_store(db_url, migrate_schema=True).close()
    command = [sys.executable, "-m", "airace", "ingest", "-q", "--db", db_url, str(corpus)]
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    engine = create_engine(db_url)
    deadline = time.monotonic() + 60
    while count(engine) < 50 and time.monotonic() < deadline and process.poll() is None:
        time.sleep(0.02)
    os.kill(process.pid, signal.SIGKILL)
    process.wait()
    stored = count(engine)
    assert 0 < stored < FILES, "the kill must land mid-way"

    with engine.connect() as connection:
        rows = connection.execute(
            sa.text("SELECT id, text, size, content_hash FROM documents")
        ).all()
        orphans = connection.execute(
            sa.text(
                "SELECT count(*) FROM documents d WHERE NOT EXISTS "
                "(SELECT 1 FROM document_origins o WHERE o.document_id = d.id)"
            )
        ).scalar_one()
    assert orphans == 0
    for _id, text, size, digest in rows:
        assert len(text) == size
        assert content_hash(text) == digest

    rerun = subprocess.run(command, capture_output=True, text=True, timeout=300)
    assert rerun.returncode == 0, rerun.stderr
    assert f"{FILES - stored} new, {stored} duplicate, 0 failed" in rerun.stdout
    assert count(engine) == FILES
    engine.dispose()
