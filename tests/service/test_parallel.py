"""Ingest on Dask worker processes: the same documents as the sequential pipeline, one writer,
nothing lost when a worker dies, and WARC archives read record by record."""

from __future__ import annotations

import io
import os
import signal
from pathlib import Path

import pytest

from airace.config import Settings
from airace.ingest.sources import count_items, read_source
from airace.model import ItemResult
from airace.service.parallel import ingest_parallel
from airace.service.pipeline import ingest
from airace.store.repository import open_store

pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning")


def corpus(folder: Path, count: int) -> Path:
    folder.mkdir()
    for number in range(count):
        (folder / f"{number:03d}.txt").write_text(
            f"Tin số {number}\n\nHà Nội, 2/1/2025. Năm 2024, Việt Nam có {1000 + number} "
            f"kỹ sư AI và {number + 1} trung tâm dữ liệu.\n",
            encoding="utf-8",
        )
    return folder


def claims_by_origin(db: str) -> dict[str, list[tuple[str, float]]]:
    store = open_store(db)
    try:
        documents = {d.id: d.origin for d in store.iter_documents()}
        found: dict[str, list[tuple[str, float]]] = {}
        for claim, _ in store.iter_claims():
            assert claim.document_id is not None
            found.setdefault(documents[claim.document_id], []).append((claim.metric, claim.value))
        return {origin: sorted(values) for origin, values in found.items()}
    finally:
        store.close()


def test_two_workers_store_what_one_process_stores(tmp_path: Path, settings: Settings) -> None:
    folder = corpus(tmp_path / "news", 40)
    sequential, parallel = f"sqlite:///{tmp_path}/a.db", f"sqlite:///{tmp_path}/b.db"
    with _opened(sequential) as store:
        assert ingest([str(folder)], store, settings).stored == 40
    seen: list[ItemResult] = []
    with _opened(parallel) as store:
        report = ingest_parallel([str(folder)], store, settings, workers=2, on_item=seen.append)
        assert (report.stored, report.failed, len(seen)) == (40, 0, 40)
        again = ingest_parallel([str(folder)], store, settings, workers=2)
        assert (again.stored, again.duplicates) == (0, 40)  # idempotent
    assert claims_by_origin(parallel) == claims_by_origin(sequential)


def test_a_killed_worker_loses_nothing(tmp_path: Path, settings: Settings) -> None:
    from dask.distributed import Client, LocalCluster

    folder = corpus(tmp_path / "news", 300)
    with (
        LocalCluster(n_workers=2, threads_per_worker=1, dashboard_address=None) as cluster,
        Client(cluster) as client,
        _opened(f"sqlite:///{tmp_path}/k.db") as store,
    ):
        pids = list(client.run(os.getpid).values())
        killed: list[int] = []

        def kill_once(result: ItemResult) -> None:
            if not killed:
                os.kill(pids[0], signal.SIGKILL)  # mid-run: batches are still in flight
                killed.append(pids[0])

        report = ingest_parallel(
            [str(folder)], store, settings, scheduler=cluster.scheduler_address,
            on_item=kill_once, window=4,
        )  # fmt: skip
        assert killed
        assert (report.stored, report.failed) == (300, 0)
        assert store.count_documents() == 300


def test_warc_html_responses_become_documents(tmp_path: Path, settings: Settings) -> None:
    from warcio.statusandheaders import StatusAndHeaders
    from warcio.warcwriter import WARCWriter

    path = tmp_path / "crawl.warc.gz"
    page = (
        "<html><head><title>GPU</title></head><body><article><p>Hà Nội, 2/1/2025. Việt Nam "
        "hiện có 2.000 GPU H100 phục vụ nghiên cứu trí tuệ nhân tạo trong nước.</p>"
        "</article></body></html>"
    )
    with path.open("wb") as out:
        writer = WARCWriter(out, gzip=True)
        for uri, status, kind, body in [
            ("https://news.example/a", "200 OK", "text/html; charset=utf-8", page),
            ("https://news.example/logo.png", "200 OK", "image/png", "PNG"),
            ("https://news.example/gone", "404 Not Found", "text/html", "<p>no</p>"),
            ("https://news.example/b", "200 OK", "text/html", page.replace("2.000", "3.000")),
        ]:
            headers = StatusAndHeaders(status, [("Content-Type", kind)], protocol="HTTP/1.1")
            record = writer.create_warc_record(
                uri, "response", payload=io.BytesIO(body.encode()), http_headers=headers
            )
            writer.write_record(record)
    items = list(read_source(str(path), settings))
    assert [item.origin for item in items] == ["https://news.example/a", "https://news.example/b"]
    assert count_items(str(path), settings) == 2  # the progress total: pages, not records
    with _opened(f"sqlite:///{tmp_path}/w.db") as store:
        report = ingest([str(tmp_path)], store, settings)  # found in a folder too
        assert report.stored == 2 and report.failed == 0
    broken = tmp_path / "broken.warc"
    broken.write_bytes(b"not a warc at all")
    [error] = list(read_source(str(broken), settings))
    assert "WARC" in str(error) and "broken.warc" in str(error)
    assert count_items(str(tmp_path), settings) == 3  # two pages and the broken file's error


class _opened:
    """An opened store, closed afterwards."""

    def __init__(self, db: str) -> None:
        self.store = open_store(db)

    def __enter__(self):  # type: ignore[no-untyped-def]
        return self.store

    def __exit__(self, *exc: object) -> None:
        self.store.close()


def test_a_run_killed_midway_is_completed_by_running_it_again(
    tmp_path: Path, settings: Settings
) -> None:
    folder = corpus(tmp_path / "news", 200)

    class Stop(Exception):
        pass

    def stop_after_twenty(result: ItemResult) -> None:
        stop_after_twenty.seen += 1  # type: ignore[attr-defined]
        if stop_after_twenty.seen == 20:  # type: ignore[attr-defined]
            raise Stop

    stop_after_twenty.seen = 0  # type: ignore[attr-defined]
    db = f"sqlite:///{tmp_path}/r.db"
    with _opened(db) as store:
        with pytest.raises(Stop):
            ingest_parallel([str(folder)], store, settings, workers=2, on_item=stop_after_twenty)
        kept = store.count_documents()
        assert 20 <= kept < 200  # whole batches only, nothing half-written
        again = ingest_parallel([str(folder)], store, settings, workers=2)
        assert (again.stored, again.duplicates, again.failed) == (200 - kept, kept, 0)
        assert store.count_documents() == 200
