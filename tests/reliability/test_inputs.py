"""No single input ends a run: each bad file, line, link or item fails alone, naming why, and
the rest of the batch is stored (the high and low items of the fault probe)."""

from __future__ import annotations

import json
import os
import tracemalloc
from pathlib import Path

import pytest

from airace.config import Settings
from airace.ingest.sources import read_source
from airace.model import ItemStatus, RunReport
from airace.service.pipeline import ingest
from airace.store.repository import Store

GOOD = "Việt Nam hiện có {n}.000 GPU H100 phục vụ nghiên cứu trí tuệ nhân tạo trong nước."


def reasons(report: RunReport) -> dict[str, str]:
    return {item.origin: item.reason or "" for item in report.failures()}


def test_a_deeply_nested_jsonl_line_fails_alone(
    tmp_path: Path, store: Store, settings: Settings
) -> None:
    path = tmp_path / "batch.jsonl"
    lines = [
        json.dumps({"text": GOOD.format(n=1)}),
        "[" * 200_000 + "]" * 200_000,  # a RecursionError in json.loads
        '{"text": ' * 50_000 + '"x"' + "}" * 50_000,
        json.dumps({"text": GOOD.format(n=2)}),
    ]
    path.write_text("\n".join(lines) + "\n")
    report = ingest([str(path)], store, settings)
    assert report.stored == 2
    failed = reasons(report)
    assert set(failed) == {f"{path}:2", f"{path}:3"}
    assert all("nested too deeply" in reason for reason in failed.values())


def test_files_linked_to_each_other_fail_alone(
    tmp_path: Path, store: Store, settings: Settings
) -> None:
    folder = tmp_path / "corpus"
    folder.mkdir()
    (folder / "a.txt").symlink_to(folder / "b.txt")
    (folder / "b.txt").symlink_to(folder / "a.txt")
    (folder / "c.txt").write_text(GOOD.format(n=3))
    (folder / "loop").symlink_to(folder)  # a folder that contains itself
    report = ingest([str(folder)], store, settings)
    assert report.stored == 1
    failed = reasons(report)
    assert set(failed) == {f"{folder}/a.txt", f"{folder}/b.txt"}
    assert all("link loop" in reason for reason in failed.values())
    [error] = list(read_source(str(folder / "a.txt"), settings))  # named on its own
    assert "link loop" in str(error)


def test_a_link_out_of_the_folder_is_refused_unless_asked(
    tmp_path: Path, store: Store, settings: Settings
) -> None:
    outside = tmp_path / "secret.txt"
    outside.write_text("Japan has 5,000 GPUs in a file outside the corpus.")
    folder = tmp_path / "corpus"
    (folder / "inner").mkdir(parents=True)
    (folder / "inner" / "own.txt").write_text(GOOD.format(n=4))
    (folder / "leak.txt").symlink_to(outside)
    (folder / "again.txt").symlink_to(folder / "inner" / "own.txt")  # inside: followed
    report = ingest([str(folder)], store, settings)
    assert (report.stored, report.duplicates, report.failed) == (1, 1, 1)
    assert "outside the folder" in reasons(report)[f"{folder}/leak.txt"]
    followed = ingest([str(folder)], store, settings.model_copy(update={"follow_links": True}))
    assert followed.stored == 1 and followed.failed == 0


def test_an_unreadable_folder_is_reported_and_the_rest_is_read(
    tmp_path: Path, store: Store, settings: Settings, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = tmp_path / "corpus"
    (folder / "closed").mkdir(parents=True)
    (folder / "closed" / "x.txt").write_text(GOOD.format(n=5))
    (folder / "open.txt").write_text(GOOD.format(n=6))
    real = os.scandir

    def scandir(path: str | os.PathLike[str]) -> object:  # tests run as root: no chmod
        if Path(path).name == "closed":
            raise PermissionError(13, "Permission denied", str(path))
        return real(path)

    monkeypatch.setattr(os, "scandir", scandir)
    report = ingest([str(folder)], store, settings)
    assert report.stored == 1
    assert "permission denied" in reasons(report)[f"{folder}/closed"]

    def stat(self: Path, *args: object, **kwargs: object) -> os.stat_result:
        raise PermissionError(13, "Permission denied", str(self))

    monkeypatch.setattr(Path, "stat", stat)  # a path under a folder one may not enter
    [error] = list(read_source(str(folder / "closed" / "x.txt"), settings))
    assert "permission denied" in str(error)


def test_feed_items_of_every_content_shape_are_stored(
    tmp_path: Path, store: Store, settings: Settings
) -> None:
    page = "<html><body><article><p>{}</p></article></body></html>"
    items = [
        ("Plain", GOOD.format(n=7)),  # plain text
        ("Fragment", f"<p>{GOOD.format(n=8)}</p><p>Một đoạn nữa.</p>"),  # short HTML
        ("Page", page.format(GOOD.format(n=9) + " Thêm nội dung." * 40)),  # a whole page
    ]
    entries = "".join(
        f"<item><title>{title}</title><description><![CDATA[{body}]]></description></item>"
        for title, body in items
    )
    feed = tmp_path / "news.rss"
    feed.write_text(f'<?xml version="1.0"?><rss version="2.0"><channel>{entries}</channel></rss>')
    report = ingest([str(feed)], store, settings)
    assert (report.stored, report.failed) == (3, 0), reasons(report)
    texts = [store.get_document(str(item.document_id)) for item in report.items]
    assert all(t is not None and "GPU" in t.text and "<p>" not in t.text for t in texts)


def test_odd_file_names_and_nul_characters_are_stored_or_fail_with_a_reason(
    tmp_path: Path, store: Store, settings: Settings
) -> None:
    folder = tmp_path / "corpus"
    folder.mkdir()
    Path(os.fsdecode(bytes(folder) + b"/bad\xff name.txt")).write_text(GOOD.format(n=10))
    (folder / "nul.jsonl").write_text(
        json.dumps({"text": "Korea has 2,000\u0000 GPUs.", "url": "https://x.example/\u0000a"})
    )
    report = ingest([str(folder)], store, settings)
    assert (report.stored, report.failed) == (2, 0), reasons(report)
    origins = {store.get_document(str(i.document_id)).origin for i in report.items}  # type: ignore[union-attr]
    assert f"{folder}/bad\\xff name.txt" in origins and "https://x.example/a" in origins


def test_a_huge_jsonl_line_is_refused_without_holding_it(tmp_path: Path, store: Store) -> None:
    path = tmp_path / "big.jsonl"
    with path.open("w") as out:
        out.write(json.dumps({"text": GOOD.format(n=11)}) + "\n")
        out.write('{"text": "' + "x" * 20_000_000 + '"}\n')
        out.write(json.dumps({"text": GOOD.format(n=12)}) + "\n")
    settings = Settings(max_bytes=1_000_000)
    tracemalloc.start()
    try:
        items = list(read_source(str(path), settings))
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert peak < 5_000_000  # the 20 MB line was never held
    assert [type(item).__name__ for item in items] == [
        "SourceRecord",
        "SourceError",
        "SourceRecord",
    ]
    assert "over the size limit" in str(items[1]) and ":2" in str(items[1])
    report = ingest([str(path)], store, settings)
    assert (report.stored, report.failed) == (2, 1)
    assert all(i.status is not ItemStatus.FAILED or ":2" in i.origin for i in report.items)
