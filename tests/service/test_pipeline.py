"""Ingest end to end through the service: real files, real HTTP on loopback, both databases."""

from __future__ import annotations

import json
import shutil
from datetime import date
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from airace.config import Settings
from airace.ingest.sources import _count_lines, count_items, read_source
from airace.model import ItemStatus, RunReport
from airace.service.pipeline import ingest
from airace.store.repository import Store
from tests.support import Site

FIXTURES = Path(__file__).parent.parent / "fixtures"


def failures(report: RunReport) -> dict[str, str]:
    return {item.origin: item.reason or "" for item in report.failures()}


@pytest.fixture
def corpus(tmp_path: Path) -> Path:
    """A folder of good, duplicate and bad inputs."""
    folder = tmp_path / "corpus"
    (folder / "sub").mkdir(parents=True)
    shutil.copy(FIXTURES / "vi-forum.txt", folder / "vi-forum.txt")
    shutil.copy(FIXTURES / "vi-forum.txt", folder / "sub" / "same-text-elsewhere.txt")
    shutil.copy(FIXTURES / "en-page.html", folder / "en-page.html")
    shutil.copy(FIXTURES / "en-note.md", folder / "en-note.md")
    (folder / "empty.txt").write_bytes(b"")
    (folder / "binary.txt").write_bytes(bytes(range(256)) * 8)
    (folder / ".hidden.txt").write_text("not read")
    (folder / "picture.png").write_bytes(b"\x89PNG\r\n")
    lines = [
        json.dumps(
            {
                "url": "https://example.org/1",
                "title": "One",
                "text": "First article text about compute budgets.",
                "published": "2024-01-02",
                "lang": "en",
            }
        ),
        "{not json",
        json.dumps({"title": "No text"}),
        json.dumps({"text": "Second article text about AI talent.", "published": "yesterday-ish"}),
        json.dumps({"text": "Third article, no metadata at all, talks about data centres."}),
    ]
    (folder / "batch.jsonl").write_text("\n".join(lines) + "\n")
    return folder


def test_folder_ingest_stores_good_items_and_names_each_failure(
    corpus: Path, store: Store, settings: Settings
) -> None:
    report = ingest([str(corpus)], store, settings)
    # stored: vi-forum, en-page, en-note, jsonl lines 1 and 5; duplicate: the copy.
    assert (report.stored, report.duplicates) == (5, 1)
    failed = failures(report)
    assert set(failed) == {
        f"{corpus}/batch.jsonl:2",
        f"{corpus}/batch.jsonl:3",
        f"{corpus}/batch.jsonl:4",
        f"{corpus}/binary.txt",
        f"{corpus}/empty.txt",
    }
    assert "invalid JSON" in failed[f"{corpus}/batch.jsonl:2"]
    assert "'text'" in failed[f"{corpus}/batch.jsonl:3"]
    assert "'published'" in failed[f"{corpus}/batch.jsonl:4"]
    assert "binary" in failed[f"{corpus}/binary.txt"]
    assert "empty" in failed[f"{corpus}/empty.txt"]
    assert store.count_documents() == 5


def test_the_progress_total_counts_every_item_a_run_reports(
    corpus: Path, store: Store, settings: Settings
) -> None:
    report = ingest([str(corpus)], store, settings)
    assert count_items(str(corpus), settings) == len(report.items) == 11
    assert count_items("https://example.org/feed", settings) is None


@given(st.lists(st.sampled_from(["{}", "", "  ", "x" * 7, "\t"]), max_size=12), st.integers(1, 9))
def test_jsonl_lines_are_counted_across_chunk_boundaries(lines: list[str], chunk: int) -> None:
    import tempfile

    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "a.jsonl"
        path.write_text("\n".join(lines))
        items = list(read_source(str(path), Settings()))
        assert _count_lines(path, chunk) == len(items)


def test_ingesting_again_stores_nothing_new(corpus: Path, store: Store, settings: Settings) -> None:
    ingest([str(corpus)], store, settings)
    again = ingest([str(corpus)], store, settings)
    assert again.stored == 0
    assert again.duplicates == 6
    assert store.count_documents() == 5


def test_duplicate_from_another_path_records_that_origin(
    corpus: Path, store: Store, settings: Settings
) -> None:
    report = ingest([str(corpus / "vi-forum.txt"), str(corpus / "sub")], store, settings)
    first, second = report.items
    assert second.status is ItemStatus.DUPLICATE and second.document_id == first.document_id
    assert first.document_id is not None
    assert store.origins(first.document_id) == [
        str(corpus / "vi-forum.txt"),
        str(corpus / "sub" / "same-text-elsewhere.txt"),
    ]


def test_text_file_gets_title_date_language_and_loses_chrome(
    store: Store, settings: Settings
) -> None:
    report = ingest([str(FIXTURES / "vi-forum.txt")], store, settings)
    document = store.get_document(report.items[0].document_id or 0)
    assert document is not None
    assert document.title == "Việt Nam tăng tốc xây dựng hạ tầng tính toán cho trí tuệ nhân tạo"
    assert document.language == "vi"
    assert document.published == date(2025, 3, 12)
    assert "1741234567890.png" not in document.text
    assert "Bình luận: 3" not in document.text
    assert document.text.count("Minh Anh") <= 1
    assert "khoảng 1.500 GPU" in document.text
    assert document.content_hash.split(":")[0].startswith("n")


def test_html_file_gets_main_text_title_and_date_from_metadata(
    store: Store, settings: Settings
) -> None:
    report = ingest([str(FIXTURES / "en-page.html")], store, settings)
    document = store.get_document(report.items[0].document_id or 0)
    assert document is not None
    assert document.language == "en"
    assert document.published == date(2024, 5, 14)
    assert document.title is not None and document.title.startswith("Chip makers race")
    assert "outstripped supply" in document.text
    assert "Log in" not in document.text
    assert "Subscribe" not in document.text


def test_markdown_is_stored_as_plain_text(store: Store, settings: Settings) -> None:
    report = ingest([str(FIXTURES / "en-note.md")], store, settings)
    document = store.get_document(report.items[0].document_id or 0)
    assert document is not None
    assert document.title == "Notes on national AI strategies"
    assert "**" not in document.text and "](" not in document.text
    assert "OECD AI Policy Observatory" in document.text
    assert document.published == date(2024, 2, 1)


def test_file_over_the_size_limit_fails_naming_the_limit(tmp_path: Path, store: Store) -> None:
    big = tmp_path / "big.txt"
    big.write_text("Trí tuệ nhân tạo. " * 100)
    report = ingest([str(big)], store, Settings(max_bytes=1000))
    assert report.failed == 1
    assert "limit" in (report.items[0].reason or "")
    assert store.count_documents() == 0


def test_missing_path_fails_and_the_batch_goes_on(
    tmp_path: Path, store: Store, settings: Settings
) -> None:
    report = ingest([str(tmp_path / "nope.txt"), str(FIXTURES / "en-note.md")], store, settings)
    assert [item.status for item in report.items] == [ItemStatus.FAILED, ItemStatus.STORED]
    assert "no such file" in (report.items[0].reason or "")


def test_xml_file_that_is_not_a_feed_fails(
    tmp_path: Path, store: Store, settings: Settings
) -> None:
    bogus = tmp_path / "notes.xml"
    bogus.write_text("<?xml version='1.0'?><notes><note>hi</note></notes>")
    report = ingest([str(bogus)], store, settings)
    assert report.failed == 1
    assert "not an RSS or Atom feed" in (report.items[0].reason or "")


ARTICLE = """<html><head><title>{title}</title></head><body><article>
<p>{title}. Cloud providers added tens of thousands of accelerators this quarter, executives
said, and expect to keep expanding their data centres through the rest of the year as demand
from model developers shows no sign of slowing down.</p></article></body></html>"""


def feed_xml(site: Site, count: int) -> str:
    items = "".join(
        f"<item><title>Story {n}</title><link>{site.base}/story/{n}</link>"
        f"<pubDate>Tue, 14 May 2024 08:00:00 GMT</pubDate>"
        f"<description>Teaser {n}</description></item>"
        for n in range(count)
    )
    return (
        f"<?xml version='1.0'?><rss version='2.0'><channel><title>T</title>{items}</channel></rss>"
    )


def test_feed_url_ingests_each_linked_article(site: Site, store: Store) -> None:
    for n in range(3):
        site.add(f"/story/{n}", ARTICLE.format(title=f"Story number {n} about compute"))
    feed = site.add("/feed.xml", feed_xml(site, 3), "application/rss+xml")
    report = ingest([feed], store, Settings(allow_private=True))
    assert report.stored == 3, report.failures()
    documents = store.list_documents()
    assert {d.origin for d in documents} == {f"{site.base}/story/{n}" for n in range(3)}
    assert {d.published for d in documents} == {date(2024, 5, 14)}


def test_feed_item_whose_page_is_missing_fails_alone(site: Site, store: Store) -> None:
    site.add("/story/0", ARTICLE.format(title="The only story that exists"))
    feed = site.add("/feed.xml", feed_xml(site, 2), "application/rss+xml")
    report = ingest([feed], store, Settings(allow_private=True))
    assert (report.stored, report.failed) == (1, 1)
    assert "404" in (report.failures()[0].reason or "")


def test_loopback_url_is_refused_unless_private_addresses_allowed(
    site: Site, store: Store, settings: Settings
) -> None:
    url = site.add("/page", ARTICLE.format(title="A page on loopback"))
    refused = ingest([url], store, settings)
    assert refused.failed == 1
    assert "--allow-private" in (refused.items[0].reason or "")
    allowed = ingest([url], store, Settings(allow_private=True))
    assert allowed.stored == 1


def test_unreachable_url_fails_with_a_reason(store: Store) -> None:
    report = ingest(["http://127.0.0.1:9/nothing"], store, Settings(allow_private=True))
    assert report.failed == 1
    assert report.items[0].reason


def test_html_without_main_text_fails_naming_the_file(
    tmp_path: Path, store: Store, settings: Settings
) -> None:
    page = tmp_path / "blank.html"
    page.write_text("<html><head><title>x</title></head><body><div></div></body></html>")
    report = ingest([str(page)], store, settings)
    assert report.failures()[0].origin == str(page)
    assert "no main text" in (report.failures()[0].reason or "")


def test_legacy_encodings_are_stored_as_the_same_text(
    tmp_path: Path, store: Store, settings: Settings
) -> None:
    text = "Hàn Quốc có khoảng 2.000 GPU, theo báo cáo của ngành công nghiệp bán dẫn.\n"
    (tmp_path / "utf16.txt").write_bytes(text.encode("utf-16"))
    (tmp_path / "utf8.txt").write_bytes(text.encode("utf-8"))
    report = ingest([str(tmp_path / "utf8.txt"), str(tmp_path / "utf16.txt")], store, settings)
    assert [item.status for item in report.items] == [ItemStatus.STORED, ItemStatus.DUPLICATE]
