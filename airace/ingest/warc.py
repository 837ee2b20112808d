"""WARC files (web archives, e.g. Common Crawl's news crawl): each HTML response is a page.

Records are read one at a time from the (optionally gzipped) file, so an archive of any size
streams. A response that is not HTML (images, scripts, robots.txt), not a 200, or larger than
the size limit is skipped, not failed: an archive is mostly such records. The page's origin is
its target URI, its date the record's ``WARC-Date`` when the page itself gives none.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import suppress
from pathlib import Path
from typing import TYPE_CHECKING, Any

from airace.errors import SourceError
from airace.ingest.decode import decode_bytes

if TYPE_CHECKING:
    from airace.config import Settings
    from airace.ingest.sources import Item


def read_warc_file(path: Path, settings: Settings) -> Iterator[Item]:
    """Yield one record per HTML response of a WARC file."""
    from warcio.archiveiterator import ArchiveIterator
    from warcio.exceptions import ArchiveLoadFailed

    from airace.ingest.dates import parse_date
    from airace.ingest.sources import SourceRecord

    origin = str(path)
    try:
        if not _starts_as_warc(path):
            yield SourceError("not a WARC file (no WARC/ version line)", path=origin)
            return
        stream = path.open("rb")
    except OSError as error:
        yield SourceError(f"cannot read file: {error.strerror}", path=origin)
        return
    with stream:
        try:
            for record in ArchiveIterator(stream):
                if not _is_page(record):
                    continue
                content_type = record.http_headers.get_header("Content-Type") or ""
                uri = record.rec_headers.get_header("WARC-Target-URI") or origin
                body = record.content_stream().read(settings.max_bytes + 1)
                if len(body) > settings.max_bytes:
                    continue
                try:
                    text = decode_bytes(body, uri, content_type)
                except SourceError as error:
                    yield error
                    continue
                day = record.rec_headers.get_header("WARC-Date")
                yield SourceRecord(uri, text, "html", published=parse_date(day) if day else None)
        except ArchiveLoadFailed as error:
            yield SourceError(f"not a readable WARC file: {error}", path=origin)


def count_pages(path: Path) -> int:
    """The HTML pages a WARC file holds (what ``read_warc_file`` yields, bar decoding
    failures and oversized pages), without reading their bodies. A file that is not a WARC
    counts one: the error it yields."""
    from warcio.archiveiterator import ArchiveIterator
    from warcio.exceptions import ArchiveLoadFailed

    if not _starts_as_warc(path):
        return 1
    pages = 0
    with path.open("rb") as stream, suppress(ArchiveLoadFailed):  # a torn tail: pages so far
        for record in ArchiveIterator(stream):
            pages += _is_page(record)
    return pages


def _is_page(record: Any) -> bool:
    """A 200 response whose content type is HTML: what an archive holds that is an article."""
    if record.rec_type != "response" or record.http_headers is None:
        return False
    headers = record.http_headers
    content_type = headers.get_header("Content-Type") or ""
    return bool(headers.get_statuscode() == "200" and "html" in content_type.lower())


def _starts_as_warc(path: Path) -> bool:
    """Whether the file (gzipped or not) opens with a WARC version line; warcio itself reads
    any bytes as some record."""
    import gzip

    with path.open("rb") as raw:
        head = raw.read(2)
    if head == b"\x1f\x8b":
        try:
            with gzip.open(path, "rb") as unzipped:
                head = unzipped.read(5)
        except (OSError, EOFError):
            return False
    else:
        with path.open("rb") as raw:
            head = raw.read(5)
    return head == b"WARC/"
